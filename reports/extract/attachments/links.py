"""Which documents a report page links as its attachments (附件).

A link is an attachment when its URL names a document (``.pdf``, ``.doc`` … in the path, as a
Hanweb ``downfile.jsp?…filename=x.pdf`` parameter or a TRS ``./P0….pdf`` sibling) or its text
does ("附件：XX年报.docx" on an opaque download URL), and it sits in the report body, or
anywhere on the page under an 附件/下载 label (a header's 附件下载 cell), never in navigation,
footers or related-article lists.  PDF viewers embedded in the page (``<iframe
src="…/viewer.html?file=/x.pdf">``, ``<embed src="x.pdf">``) count too.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree

from .. import binary_kind
from ..content import drop_scripts, find_main, is_chrome, strip_chrome
from ..dom import flat_text, parse_document
from ..encoding import decode_bytes
from . import ATTACHMENT_SUFFIXES, attachment_suffix

MAX_LINKS = 10
# Only these labels: a bare 下载 also heads sidebars of other files ("相关下载").
_LABEL = re.compile(r"附\s*件|文\s*件\s*下\s*载")
_MAX_LABEL_BLOCK_CHARS = 300
_EMBEDS = {"iframe": "src", "embed": "src", "object": "data"}
# Any document suffix anywhere in a link's URL or text: without one, no link is an attachment.
_ANY_SUFFIX = re.compile("|".join(re.escape(s) for s in ATTACHMENT_SUFFIXES), re.IGNORECASE)
_LINK_WORDS = etree.XPath("//a/@href | //a//text()")


def _embedded(root: etree._Element, base: str) -> list[tuple[str, str]]:
    """Documents shown in an embedded viewer: the viewer's ``file=`` parameter, or the src."""
    found = []
    for tag, attr in _EMBEDS.items():
        for el in root.iter(tag):
            src = (el.get(attr) or "").strip()
            if not src:
                continue
            url = urljoin(base, src)
            inner = [
                v for k, v in parse_qsl(urlsplit(url).query) if k.lower() in ("file", "src", "url")
            ]
            for candidate in [*inner, url]:
                absolute = urljoin(url, candidate)
                if attachment_suffix(absolute):
                    found.append((absolute, el.get("title") or ""))
                    break
    return found


def _labelled(a: etree._Element) -> bool:
    """Is the link under an 附件/下载 label (its own text, or its row, cell or paragraph)?"""
    for el in [a, *a.iterancestors()]:
        text = flat_text(el)
        if len(text) > _MAX_LABEL_BLOCK_CHARS:
            return False
        if _LABEL.search(text):
            return True
    return False


def attachment_links(
    body: bytes, url: str, declared_encoding: str | None = None
) -> list[tuple[str, str]]:
    """``(absolute URL, link text)`` of the page's attachments, in page order, at most
    ``MAX_LINKS``.  Never raises: a page that cannot be read has no attachment links.  (For a
    caller holding only the bytes; the spider reads the tree it already parsed, ``links_in``.)"""
    if binary_kind(body) is not None:
        return []  # the report URL answered with a document or an image: no page to read
    try:
        root = parse_document(decode_bytes(body, declared_encoding).text)
    except (etree.ParserError, ValueError):
        return []
    return links_in(root, url)


def links_in(root: etree._Element | None, url: str) -> list[tuple[str, str]]:
    """``attachment_links`` of a page already parsed.  It strips ``root`` as it reads it
    (scripts and chrome go): give it a tree nothing reads afterwards."""
    if root is None:
        return []
    bases = root.xpath("//base[@href]")
    base = urljoin(url, bases[-1].get("href")) if bases else url
    found = _embedded(root, base)
    if not found and not _ANY_SUFFIX.search(unquote(" ".join(_LINK_WORDS(root)))):
        return []  # the usual report page: no link so much as names a file (no body to find)
    drop_scripts(root)
    anchors = [
        a for a in root.iter("a") if not any(is_chrome(el) for el in [a, *a.iterancestors()])
    ]
    main, _ = find_main(root)
    strip_chrome(main)
    in_main = set(main.iter("a"))
    for a in anchors:
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        try:
            absolute = urljoin(base, href)
        except ValueError:
            continue  # a malformed URL (bad IPv6 host …) is no link to fetch
        text = flat_text(a)
        if attachment_suffix(absolute, text) and (a in in_main or _labelled(a)):
            found.append((absolute, text))
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for link, text in found:
        key = link.split("#", 1)[0]
        if key not in seen and urlsplit(link).scheme in ("http", "https"):
            seen.add(key)
            out.append((key, text))
    return out[:MAX_LINKS]
