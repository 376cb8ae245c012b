"""Report attachments (附件): bytes in, the report's structured text and flags out.

    convert(body, filename="", content_type="") -> Converted          # in this process
    convert_isolated(body, filename="", content_type="") -> Converted # in a bounded child

The text has the shape ``render_text`` gives a page (shape.py): a line per paragraph, a line
per table row with one TAB between cells, headings on lines of their own.  The kind is sniffed
from the bytes first (servers and file names lie), then the file name, then the Content-Type.

| kind | how |
|---|---|
| pdf | pdfplumber: text and ruled tables; a page without characters (a scan) gives ``no_text`` |
| docx | python-docx, tables included, merged cells once |
| xlsx / xls | openpyxl / xlrd, a TAB row per sheet row, merged cells once |
| doc, wps, rtf | LibreOffice headless → DOCX, else antiword (flagged ``tables_approximate``) |
| html, mht | a Word "save as web page" served as .doc: read as a page |
| ofd, image, zip, unknown | archived, no text, flagged ``unsupported:<kind>`` or ``no_text`` |

``convert`` never raises: corrupt or refused input (a truncated PDF, a zip bomb) gives empty
text and a flag.  ``convert_isolated`` runs it in a warm worker process (workers.py: imports
done once, replaced after a crash, a timeout or ``MAX_JOBS`` files) with an address-space limit,
a CPU limit and a wall-clock timeout per file, so a file that would exhaust memory or loop
costs a flag, not the crawl.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from reports.vocabulary import DOCUMENT_SUFFIXES

__all__ = [
    "ATTACHMENT_SUFFIXES",
    "Converted",
    "attachment_filename",
    "attachment_suffix",
    "convert",
    "convert_isolated",
    "sniff",
]

# Bodies above this size are archived but not converted.
MAX_BYTES = 64 * 1024 * 1024
ISOLATED_TIMEOUT_S = 300
ISOLATED_MEMORY = 2 * 1024**3  # address space of the child; LibreOffice maps ~1 GB itself

# File types a report is published as, by file-name suffix (the one list: reports/vocabulary.py).
ATTACHMENT_SUFFIXES = DOCUMENT_SUFFIXES
_BY_SUFFIX = {
    ".pdf": "pdf",
    ".doc": "doc",
    ".docx": "docx",
    ".xls": "xls",
    ".xlsx": "xlsx",
    ".wps": "wps",
    ".et": "xls",
    ".ofd": "ofd",
    ".rtf": "rtf",
    ".mht": "mht",
    ".mhtml": "mht",
    ".htm": "html",
    ".html": "html",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".tif": "image",
    ".tiff": "image",
    ".bmp": "image",
}
_BY_TYPE = (
    ("pdf", "pdf"),
    ("wordprocessingml", "docx"),
    ("spreadsheetml", "xlsx"),
    ("msword", "doc"),
    ("ms-excel", "xls"),
    ("ofd", "ofd"),
    ("rtf", "rtf"),
    ("image/", "image"),
    ("html", "html"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")
_HTML_START = re.compile(
    rb"^\s*(?:<!doctype html|<html|<\?xml[^>]*>\s*<(?:html|w:wordDocument))", re.IGNORECASE
)


@dataclass(frozen=True)
class Converted:
    kind: str  # what the bytes are (see the table above)
    text: str  # "" when nothing could be read
    flags: list[str] = field(default_factory=list)  # problems only, each a reason to look


# Query parameters a download script names its file in (Hanweb ``downfile.jsp?…filename=x.pdf``).
_FILENAME_PARAMS = ("filename", "file", "name", "fn")


def _named_files(url: str) -> list[str]:
    parts = urlsplit(url)
    return [unquote(v) for k, v in parse_qsl(parts.query) if k.lower() in _FILENAME_PARAMS]


def attachment_filename(url: str, link_text: str = "") -> str:
    """An attachment's file name: a ``filename=`` parameter, the URL path, else the link text."""
    named = [n for n in _named_files(url) if os.path.splitext(n)[1]]
    if named:
        return os.path.basename(named[0])
    name = os.path.basename(unquote(urlsplit(url).path))
    return name if os.path.splitext(name)[1] else link_text.strip()


def attachment_suffix(url: str, text: str = "") -> str | None:
    """The document suffix of an attachment link, from its path, a ``filename=`` query
    parameter (Hanweb ``downfile.jsp?…filename=x.pdf``) or its link text ("附件：X.pdf")."""
    names = [unquote(urlsplit(url).path)] + _named_files(url)
    names.append(text.strip())
    for name in names:
        suffix = os.path.splitext(name.lower().rstrip())[1]
        if suffix in ATTACHMENT_SUFFIXES:
            return suffix
    return None


def _from_name(filename: str, content_type: str) -> str | None:
    suffix = os.path.splitext(filename.lower())[1]
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    ctype = content_type.lower()
    return next((kind for needle, kind in _BY_TYPE if needle in ctype), None)


def _zip_kind(body: bytes) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(body)).namelist())
    except (zipfile.BadZipFile, ValueError):
        return ""
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names or any(n.lower().endswith("ofd.xml") for n in names):
        return "ofd"
    return "zip"


def sniff(body: bytes, filename: str = "", content_type: str = "") -> str:
    head = body[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    named = _from_name(filename, content_type)
    if head.startswith(b"PK\x03\x04"):
        # A corrupt archive named .docx is a corrupt DOCX (its reader says why), not a zip.
        return _zip_kind(body) or (named if named in ("docx", "xlsx", "ofd") else "zip")
    if head.startswith(_OLE):
        if named in ("xls", "doc", "wps"):
            return named
        # Which streams the compound file holds (their names are UTF-16 in its directory).
        if "Workbook".encode("utf-16-le") in body or "Book\x00".encode("utf-16-le") in body:
            return "xls"
        return "doc"
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGES):
        return "image"
    if head.lower().startswith(b"mime-version:") or b"multipart/related" in head.lower():
        return "mht"
    if _HTML_START.match(head):
        return "html"
    return named or "unknown"


def _html_text(body: bytes) -> tuple[str, list[str]]:
    from .. import extract_page

    page = extract_page(body, "")
    return page.text, [f for f in page.flags if f.startswith(("encoding", "not_html"))]


def _mht_text(body: bytes) -> tuple[str, list[str]]:
    import email
    from email import policy

    message = email.message_from_bytes(body, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)  # bytes, or None for an empty part
            if not isinstance(payload, bytes):
                payload = b""
            charset = part.get_content_charset()
            from .. import extract_page

            page = extract_page(payload, "", charset)
            return page.text, []
    return "", ["no_text"]


def _convert(kind: str, body: bytes, suffix: str) -> tuple[str, list[str]]:
    from . import legacy, office, pdf

    if kind == "pdf":
        return pdf.pdf_text(body)
    if kind == "docx":
        return office.docx_text(body)
    if kind == "xlsx":
        return office.xlsx_text(body)
    if kind == "xls":
        return office.xls_text(body)
    if kind in ("doc", "wps", "rtf"):
        return legacy.legacy_text(body, {"wps": ".wps", "rtf": ".rtf"}.get(kind, ".doc"))
    if kind == "html":
        return _html_text(body)
    if kind == "mht":
        return _mht_text(body)
    if kind == "image":
        return "", ["no_text"]
    return "", [f"unsupported:{kind}"]


def convert(body: bytes, filename: str = "", content_type: str = "") -> Converted:
    """Read one attachment in this process.  Never raises; see the module docstring."""
    from .office import Refused

    kind = sniff(body, filename, content_type)
    if not body:
        return Converted(kind, "", ["empty"])
    if len(body) > MAX_BYTES:
        return Converted(kind, "", [f"refused:larger_than_{MAX_BYTES // 2**20}MB"])
    named = _from_name(filename, content_type)
    flags = (
        [f"kind_mismatch:named={named},is={kind}"]
        if named and named != kind and not ({named, kind} <= {"doc", "wps"})
        else []
    )
    try:
        text, more = _convert(kind, body, os.path.splitext(filename)[1])
    except Refused as exc:
        return Converted(kind, "", [*flags, str(exc)])
    except MemoryError:
        return Converted(kind, "", [*flags, f"failed:{kind}:out_of_memory"])
    except (ImportError, OSError) as exc:  # the machine, not the file: a library, memory, disk
        return Converted(
            kind, "", [*flags, f"failed:{kind}:{type(exc).__name__}: {str(exc)[:160]}"]
        )
    except Exception as exc:  # a parser's error on a corrupt file is a flag, not a crash
        return Converted(
            kind, "", [*flags, f"corrupt:{kind}:{type(exc).__name__}: {str(exc)[:160]}"]
        )
    if (
        not text
        and "no_text" not in more
        and not any(
            f.startswith(("unsupported", "failed", "timeout", "converter_missing")) for f in more
        )
    ):
        more = [*more, "no_text"]
    return Converted(kind, text, [*flags, *more])


def convert_isolated(
    body: bytes,
    filename: str = "",
    content_type: str = "",
    *,
    timeout: float = ISOLATED_TIMEOUT_S,
    memory: int = ISOLATED_MEMORY,
) -> Converted:
    """``convert`` in a warm worker process (workers.py) with an address-space limit of
    ``memory`` bytes, a CPU limit and a wall-clock ``timeout``; what goes wrong there becomes a
    flag, and the worker is replaced."""
    from .workers import POOL, WorkerLost

    kind = sniff(body, filename, content_type)
    try:
        result = POOL.convert(body, filename, content_type, timeout=timeout, memory=memory)
    except WorkerLost as exc:
        return Converted(kind, "", [str(exc)])
    try:
        return Converted(result["kind"], result["text"], result["flags"])
    except (KeyError, TypeError):
        return Converted(kind, "", [f"failed:convert:unreadable_output:{str(result)[:80]!r}"])
