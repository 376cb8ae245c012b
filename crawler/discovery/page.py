"""A fetched page, decoded once and parsed once: the object every discovery step reads.

``Page.build(url, body, declared)`` decodes the bytes with the project's one decoder
(``reports.extract.encoding.decode_bytes``) and parses the text with lxml once; the tree,
the titles, the visible text and the features (``crawler.discovery.features``) are computed
from that one parse, lazily, and kept.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from reports.extract import binary_kind
from reports.extract.dom import text_pieces
from reports.extract.encoding import decode_bytes

_WS = re.compile(r"\s+")


@dataclass(eq=False)
class Page:
    url: str
    body: bytes
    text: str = ""  # the decoded page ("" for a document)
    encoding: str | None = None
    document_kind: str | None = None  # pdf, docx … when the bytes are a file, not a page
    content_type: str = ""
    _tree: lxml.html.HtmlElement | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls, url: str, body: bytes, declared: str | None = None, content_type: str = ""
    ) -> Page:
        kind = binary_kind(body) if body else None
        if kind is not None:
            return cls(url, body, document_kind=kind, content_type=content_type)
        decoded = decode_bytes(body, declared)
        page = cls(url, body, decoded.text, decoded.encoding, content_type=content_type)
        page._tree = _parse(decoded.text)
        return page

    @classmethod
    def from_text(cls, url: str, text: str) -> Page:
        """A page whose text is already decoded (an HTML fragment an endpoint answered)."""
        page = cls(url, text.encode("utf-8"), text, "utf-8")
        page._tree = _parse(text)
        return page

    # ------------------------------------------------------------ what the parse gives

    @property
    def tree(self) -> lxml.html.HtmlElement | None:
        return self._tree

    def take_tree(self) -> lxml.html.HtmlElement | None:
        """The tree, for a reader that strips it as it reads (the attachment links): the page
        lets go of it, so nothing reads the stripped tree as the page (what was computed from
        it before stays)."""
        tree, self._tree = self._tree, None
        return tree

    @functools.cached_property
    def base_url(self) -> str:
        if self._tree is not None:
            for base in self._tree.iter("base"):
                href = (base.get("href") or "").strip()
                if href:
                    return urljoin(self.url, href)
        return self.url

    @functools.cached_property
    def titles(self) -> tuple[str, ...]:
        """Candidate titles, best first: ArticleTitle meta, <h1>, a title-classed element,
        <title> (its site suffix cut)."""
        root = self._tree
        if root is None:
            return ()
        out: list[str] = []
        for v in root.xpath(
            "//meta[@name='ArticleTitle' or @name='articletitle' or @property='og:title']/@content"
        ):
            out.append(_squash(v))
        for xp in ("//h1", "//*[contains(@class,'title') and not(self::title)][1]", "//h2"):
            for el in root.xpath(xp)[:2]:
                out.append(_squash(el.text_content()))
        for v in root.xpath("//title/text()"):
            whole = _squash(v)
            out.append(re.split(r"\s*[-_|—]+\s*", whole)[0] if whole else "")
            out.append(whole)
        seen: set[str] = set()
        return tuple(t for t in out if t and len(t) <= 200 and not (t in seen or seen.add(t)))

    @functools.cached_property
    def article_title(self) -> str:
        """The title the page gives its own content (ArticleTitle meta, else the first <h1>)."""
        root = self._tree
        if root is None:
            return ""
        for v in root.xpath("//meta[@name='ArticleTitle' or @name='articletitle']/@content"):
            if _squash(v):
                return _squash(v)
        for el in root.iter("h1"):
            if _squash(el.text_content()):
                return _squash(el.text_content())
        return ""

    @property
    def title(self) -> str:
        return self.titles[0] if self.titles else ""

    @functools.cached_property
    def head_title(self) -> str:
        """The <title> as written."""
        if self._tree is None:
            return ""
        vals = [_squash(v) for v in self._tree.xpath("//title/text()")]
        return next((v for v in vals if v), "")

    @functools.cached_property
    def visible_text(self) -> str:
        """The page's text without scripts, styles and menus' <select>s, whitespace squashed."""
        if self._tree is None:
            return ""
        body = self._tree.find("body")
        pieces = text_pieces(body if body is not None else self._tree)
        return _squash(" ".join(p for p in pieces if p))

    @functools.cached_property
    def compact_text(self) -> str:
        """``visible_text`` without any whitespace (what the Chinese patterns read)."""
        return _WS.sub("", self.visible_text)

    @functools.cached_property
    def scripts(self) -> tuple[str, ...]:
        """The inline scripts' code."""
        if self._tree is None:
            return ()
        return tuple(s.text for s in self._tree.iter("script") if s.text and s.text.strip())

    @functools.cached_property
    def self_hints(self) -> tuple[str, ...]:
        """What the page says about itself: ColumnName meta, <title>, the last breadcrumb."""
        root = self._tree
        if root is None:
            return ()
        hints = [v.strip() for v in root.xpath("//meta[@name='ColumnName']/@content") if v.strip()]
        if self.head_title:
            hints.append(self.head_title)
        for el in root.xpath(_CRUMB_XPATH)[:2]:
            t = _squash(el.text_content())
            if t:
                hints.append(_CRUMB_SEP_RE.split(t)[-1].strip())
        return tuple(hints)

    @functools.cached_property
    def drawn_by_script(self) -> bool:
        """Does an inline script fetch data or write the page (a list drawn by script)?"""
        return any(_DRAWING_RE.search(code) for code in self.scripts)

    @functools.cached_property
    def features(self):
        from .features import compute

        return compute(self)


#: the classes a breadcrumb ("当前位置：首页 > 政务公开 > 年报") is marked with
_CRUMB_CLASSES = ("position", "crumb", "location", "dqwz")
_CRUMB_XPATH = "//*[" + " or ".join(f"contains(@class,'{c}')" for c in _CRUMB_CLASSES) + "]"
_CRUMB_SEP_RE = re.compile(r"[>›»＞/]")
#: what a script that draws the page's list calls
_DRAWING_RE = re.compile(
    r"fetch\s*\(|XMLHttpRequest|\.ajax\s*\(|innerHTML|\$\.get|\$\.post|"
    r"\.load\s*\(|document\.write|appendChild|axios",
    re.IGNORECASE,
)
_CDATA_RE = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse(text: str) -> lxml.html.HtmlElement | None:
    if not text.strip():
        return None
    if "<![CDATA[" in text:  # records in a data island or an XML answer: their markup is content
        text = _CDATA_RE.sub(lambda m: m.group(1), text)
    text = _XML_DECL_RE.sub("", text, count=1)  # lxml refuses a str that declares its encoding
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _squash(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def form_controls(form: etree._Element) -> Iterator[tuple[str, str, etree._Element]]:
    """A form's named controls in order, as (name, kind, element): kind is ``select`` for a
    ``<select>``, else the input's type (``text`` when it names none).  The one reader of form
    fields for the GET forms, the POST pagers and the search forms discovery fills in."""
    for el in form.iter("input", "select"):
        name = el.get("name")
        if name:
            yield name, "select" if el.tag == "select" else (el.get("type") or "text").lower(), el
