"""Page bytes → decoded HTML, metadata header, report-body HTML and structured text.

Pure: no network, no storage.  The contract (docs/architecture.md)::

    extract_page(body, url, declared_encoding=None) -> ExtractedPage
    extract_main(body, url, declared_encoding=None) -> (ExtractedPage, main element or None)
    parse_text_header(text) -> (meta, rest_text)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any, cast
from urllib.parse import urljoin

from lxml import etree, html

from .content import drop_scripts, find_main, is_chrome, strip_chrome
from .dom import HUGE_PAGE_CHARS, drop, elements, flat_text, parse_document
from .encoding import decode_bytes, decode_html
from .headings import split_run_in
from .meta import extract_meta, meta_tag_values
from .scriptdata import config_detail
from .text import render_text
from .text_header import parse_text_header

__all__ = ["ExtractedPage", "decode_html", "extract_main", "extract_page", "parse_text_header"]


@dataclass(frozen=True)
class ExtractedPage:
    encoding: str | None  # codec used to decode the body; None when it was not HTML
    title: str  # "" when the page has none
    meta: dict[str, Any]  # canonical keys (docs/report-schema.md "meta"); {} when no header
    main_html: str  # the body container, header and chrome removed, links absolute
    text: str  # render_text(main_html)
    flags: list[str] = field(default_factory=list)  # problems only: each one a reason to look
    content_source: str = ""  # how the body was found: a marker, a container selector, "scored"


# Magic numbers of files that servers hand out as text/html.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"\x1f\x8b", "gzip"),
    (b"Rar!", "rar"),
    (b"7z\xbc\xaf", "7z"),
    (b"{\\rtf", "rtf"),
)
# Share of control bytes above which a body is binary, whatever it claims.
_MAX_CONTROL_SHARE = 0.05
# The bytes that are not control bytes (TAB, LF, FF, CR and ESC occur in text): deleting them
# leaves the control bytes, counted in C instead of byte by byte in Python.
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 12, 13, 27))

_TITLE_SELECTORS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' xxgk-title ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' xxgk_title ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article-title ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' article_title ')]",
    "//h1",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' title ')][self::div or self::h2]",
    "//h2",
)
# Separators between an article title and the site name in <title>; a lone hyphen only
# between non-digits, so "2019-2020年度" stays whole.
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|-{2,}|——|\s[-–—－]\s|(?<!\d)[-–—－](?!\d))\s*")
_MAX_TITLE_CHARS = 200
_HTML_TAG = re.compile(
    r"<(?:!doctype|html|head|body|p|div|table|br|span|meta|title|a|font|td)\b", re.IGNORECASE
)
_LINE_TRIM = " \u3000\xa0\ufeff\r"  # not TAB: a table row may start with an empty cell
_TEXT_CONTENT = etree.XPath("string()")  # lxml.html's text_content(), on a plain tree
# Below this much text the page is a shell, and a body kept in script data is read instead.
_MIN_BODY_CHARS = 50


def absolute_links(main: etree._Element, url: str) -> None:
    """Make every ``href`` and ``src`` under ``main`` absolute, against ``<base href>`` if the
    page has one and then the page URL (lxml's make_links_absolute, without its pass over
    every element and every CSS ``url()`` of the page)."""
    bases = [el for el in main.getroottree().iter("base") if el.get("href") is not None]
    base = bases[-1].get("href") if bases else None
    for el in bases:
        drop(el)  # resolved: a <base> left in the body HTML would re-base it a second time
    for el in main.iterdescendants(etree.Element):  # (an XPath of @href or @src: twice the cost)
        for attr in ("href", "src"):
            link = el.get(attr)
            if link is None:
                continue
            try:
                new = urljoin(url, urljoin(base, link.strip()) if base else link.strip())
            except ValueError:
                continue  # a malformed URL (bad IPv6 host …) stays as the page wrote it
            if new != link:
                el.set(attr, new)


def binary_kind(body: bytes) -> str | None:
    """What a body is when it is no page (pdf, zip, ole, png …), else None."""
    head = body[:16].lstrip(b"\xef\xbb\xbf")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    sample = body[:4096]
    if not sample:
        return None
    control = len(sample.translate(None, _NOT_CONTROL))
    return "binary" if control / len(sample) > _MAX_CONTROL_SHARE else None


def _empty(encoding: str | None, flags: list[str]) -> ExtractedPage:
    return ExtractedPage(encoding=encoding, title="", meta={}, main_html="", text="", flags=flags)


def _clean_title(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _title_from_title_tag(raw: str) -> str:
    parts = [p for p in _TITLE_SPLIT.split(_clean_title(raw)) if p]
    if not parts:
        return ""
    for part in parts:
        if "报告" in part or "年报" in part:
            return part
    return parts[0]


def _page_title(
    root: etree._Element, meta: dict[str, Any], tags: dict[str, str], title_tag: str
) -> str:
    """Header 标题 > ArticleTitle > a heading naming a report > <title> > any heading."""
    if meta.get("title"):
        return str(meta["title"])
    if tags.get("articletitle", "").strip():
        return _clean_title(tags["articletitle"])
    site = _clean_title(tags.get("sitename", ""))
    headings: list[str] = []
    for xpath in _TITLE_SELECTORS:
        for el in elements(root, xpath):
            if any(is_chrome(a) for a in [el, *el.iterancestors()]):
                continue  # a logo in the page header, not the article's heading
            text = flat_text(el)
            if 4 <= len(text) <= _MAX_TITLE_CHARS and text != site and text not in headings:
                headings.append(text)
    from_tag = _title_from_title_tag(title_tag)
    for text in (*headings, from_tag):
        if "报告" in text or "年报" in text:
            return text
    return from_tag or (headings[0] if headings else "")


def _plain_text_page(text: str, encoding: str, flags: list[str]) -> ExtractedPage:
    meta, rest = parse_text_header(text)
    lines = (line.strip(_LINE_TRIM) for line in rest.splitlines())
    body = "\n".join(part for line in lines if line.strip() for part in split_run_in(line))
    title = next(iter(body.split("\n", 1)), "")
    # One <p> per line, so HTML readers downstream see the same lines as ``text``.
    main_html = (
        '<div class="plain-text">'
        + "".join(f"<p>{escape(line)}</p>" for line in body.split("\n") if line)
        + "</div>"
    )
    return ExtractedPage(
        encoding=encoding,
        title=str(meta.get("title", title)),
        meta=meta,
        main_html=main_html,
        text=body,
        flags=[*flags, "plain_text"],
    )


def extract_page(body: bytes, url: str, declared_encoding: str | None = None) -> ExtractedPage:
    """Extract one report page.  Never raises on bad input; problems become ``flags``."""
    return extract_main(body, url, declared_encoding)[0]


def extract_main(
    body: bytes, url: str, declared_encoding: str | None = None
) -> tuple[ExtractedPage, etree._Element | None]:
    """``extract_page``, and the parsed body container its ``main_html`` serializes (None when
    the page was no HTML), for a reader of the same tree (the normalizer, reports.reading)."""
    kind = binary_kind(body)
    if kind is not None:
        return _empty(None, [f"not_html:{kind}"]), None
    decoded = decode_bytes(body, declared_encoding)
    flags = list(decoded.flags)
    if decoded.text.strip() and not _HTML_TAG.search(decoded.text[:65536]):
        # Text served as a page (a .txt copy): keep its lines instead of joining them.
        return _plain_text_page(decoded.text, decoded.encoding, flags), None
    try:
        root = parse_document(decoded.text)
    except (etree.ParserError, ValueError):
        return _empty(decoded.encoding, [*flags, "not_html:unparseable"]), None
    if len(decoded.text) > HUGE_PAGE_CHARS:
        flags.append("huge_page")  # read whole, but a page this size deserves a look

    tags = meta_tag_values(root)
    title_el = root.find(".//title")
    title_tag = _TEXT_CONTENT(title_el) if title_el is not None else ""

    meta, meta_flags = extract_meta(root)
    flags.extend(meta_flags)
    title = _page_title(root, meta, tags, title_tag)

    detail = config_detail(root)
    drop_scripts(root)
    main, how = find_main(root)
    strip_chrome(main)
    text = render_text(main)
    if len(text) < _MIN_BODY_CHARS and detail and isinstance(detail.get("content"), str):
        # gkmlpt: the page is a shell, the body is HTML inside _CONFIG.DETAIL (docs/portals.md §6)
        box = html.fragment_fromstring(detail["content"], create_parent="div")
        drop_scripts(box)
        strip_chrome(box)
        if len(boxed := render_text(box)) > len(text):
            main, text, how = box, boxed, "_CONFIG.DETAIL"
    if how == "scored":
        # No known container: the body was guessed, so a reader should check it.
        flags.append("content_scored")
    if url.startswith(("http://", "https://")):
        # Attachment links (附件：….pdf) must stay usable once the HTML leaves its page.
        absolute_links(main, url)
    # Every element of a tree lxml.html parsed is an HtmlElement; find_main is typed for any.
    main_html = html.tostring(
        cast(html.HtmlElement, main), encoding="unicode", method="html", with_tail=False
    )
    if not text:
        # The same name a scanned attachment gets: the report exists but has no readable text.
        flags.append("no_text")
    page = ExtractedPage(
        encoding=decoded.encoding,
        title=title,
        meta=meta,
        main_html=main_html,
        text=text,
        flags=flags,
        content_source=how,
    )
    return page, main
