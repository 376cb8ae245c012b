"""Reports with attachments (附件): files made from the same report content as the page.

Three seed reports link a copy: 顾县镇 (Hanweb) as a .doc and 平昌关镇 as a .docx, both through
``/module/download/downfile.jsp?classid=0&filename=….doc``, and 鹿乡镇 (TRS) as a PDF beside
the page (``./P0….pdf``).  桐桥县's own 2021 report (TRS) is published *only* as a PDF: its
page has the header and a link, no report body.  The bytes are made once per process
(deterministic: simulator/documents.py) and served by the portal with their own types.
"""

from __future__ import annotations

import posixpath
import zlib
from dataclasses import dataclass
from html import escape

from . import documents
from .model import Article, Response, Site
from .seeds import SEEDS, seed_report

# seed -> file kind (the page carries the report too)
PLAN: dict[str, str] = {"000": "doc", "002": "docx", "003": "pdf"}
# (portal, column, report year) of the report published only as a PDF: a county's own column
# always has every year's report
PDF_ONLY = ("tongqiao", "nb", 2021)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class AttachmentFile:
    path: str  # what the portal serves it at (path and query)
    href: str  # how the page links it
    name: str  # the link text: the file name the page shows


_CACHE: dict[tuple[str, str, str], bytes] = {}


def document(site: Site, art: Article, seed: str | None, kind: str) -> bytes:
    """The file's bytes, made once per process (a simulator is built in many tests)."""
    key = (site.name, art.path, kind)
    if key not in _CACHE:
        if kind == "doc":
            _CACHE[key] = documents.report_doc(seed)  # checked in: LibreOffice made it
        else:
            title, content = (
                (SEEDS[seed].title, seed_report(seed)) if seed else (art.title, art.report)
            )
            make = documents.report_pdf if kind == "pdf" else documents.report_docx
            _CACHE[key] = make(title, content)
    return _CACHE[key]


def attach(site: Site, art: Article, seed: str | None) -> None:
    """Give ``art`` its attachment, if it has one (``PLAN``, ``PDF_ONLY``), and serve it."""
    if site.family not in ("hanweb", "trs") or art.report is None:  # the families that render files
        return
    only = (site.name, art.column.key if art.column else "", art.report.report_year) == PDF_ONLY
    if seed not in PLAN and not only:
        return
    kind = "pdf" if only else PLAN[seed]
    stamp = (
        f"{art.published:%y%m%d}{zlib.crc32(art.path.encode()) % 10**8:08d}"  # like the CMSs' names
    )
    if site.family == "hanweb":
        path = href = f"/module/download/downfile.jsp?classid=0&filename={stamp}.{kind}"
    else:
        name = f"P0{art.published:%Y%m%d}{stamp[-10:]}.{kind}"
        path = posixpath.join(posixpath.dirname(art.path), name)
        href = f"./{name}"
    art.files.append(AttachmentFile(path, href, f"{art.title}.{kind}"))
    art.files_only = only
    site.files[path] = Response(200, CONTENT_TYPES[kind], document(site, art, seed, kind))


def article_body(art: Article, report_html: str) -> str:
    """The page's body: the report (or only an introduction when the report is published as
    its file), then a 附件 line per file."""
    body = report_html
    if art.files_only:
        body = f'<p style="text-indent:2em">{escape(art.title)}全文见附件。</p>'
    links = "".join(
        f'<p>附件：<a href="{escape(f.href)}" target="_blank">{escape(f.name)}</a></p>'
        for f in art.files
    )
    return body + links
