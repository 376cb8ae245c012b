"""The other pages of a listing, in every shape a pager takes.

* next links in any wording (下一页, 下页, >, »…) and numbered links (2 3 4 …);
* links to the same URL with a page number in any parameter (``?p=3``, ``&pageIndex=3``,
  ``?Page=3&cid=2``) or a ``name_N.html`` sibling (``index_2.html``, ``list_3.shtml``);
* a page count kept in a script variable or call (``countPage = 7``, ``createPageHTML(7,0,
  "index","html")``) or in the text (共7页) with ``name_N`` siblings or a page parameter;
* a ``<select>`` of page numbers (its option values are links: ``links.page_links``);
* a GET form (a "go to page" box) or a POST form posting a page number.

``steps(page, links)`` returns every step it can see; the spider asks for those it has not
asked for, and stops a pager when a page of it brings no entry it had not seen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from ..families import Link
from ..limits import planned_pages
from . import vocabulary as V
from .page import Page, form_controls
from .urls import PAGE_FILE_RE, PAGE_PARAM_RE, page_number, pager_key, with_param

# pages planned from one count at most: LISTING_MAX_PLANNED_PAGES (crawler/limits.py); its default
# is PAGE_COUNT_CAP, because a deep archive (a county's 目录 back to 2008) has more than 200
# pages, and a pager whose links a script draws is walked only from its count.
_max_planned = planned_pages

_NEXT_RE = re.compile(V.NEXT_PAGE)
_PAGER_WORD_RE = re.compile(V.PAGER_WORDS)
_CREATE_PAGE_RE = re.compile(
    r"""createPage(?:HTML)?\s*\(\s*(?:["'][\w-]+["']\s*,\s*)?(\d+)\s*,\s*(\d+)\s*,\s*["']([\w.-]+)["']"""
    r"""\s*,\s*["'](\w+)["']"""
)
_COUNT_VAR_RE = re.compile(
    r"""(?:countPage|totalPage|pageCount|totalPages|page_count|pageTotal|maxPage|pagecount|allPage)\s*[=:]\s*['"]?(\d+)""",
    re.IGNORECASE,
)
_COUNT_TEXT_RE = re.compile(r"共\s*(\d+)\s*页|第?\s*\d+\s*/\s*(\d+)\s*页|总\s*(\d+)\s*页")


@dataclass(frozen=True)
class Step:
    url: str
    form: tuple[tuple[str, str], ...] | None = None  # a POST pager's form
    number: int | None = None
    probe: bool = False  # planned from a count: a 404 at either end is expected (0- or 1-based)


def steps(page: Page, links: list[Link]) -> list[Step]:
    here = pager_key(page.url)
    out: list[Step] = []
    for link in links:
        text = "".join((link.title or "").split())
        same = pager_key(link.url) == here
        worded = bool(_NEXT_RE.match(text) or _PAGER_WORD_RE.match(text))
        numbered = text.isdigit() and len(text) <= 4
        if link.url.split("#")[0] == page.url:
            continue
        if (same and (worded or numbered or page_number(link.url) is not None)) or (
            worded and _NEXT_RE.match(text) and _same_dir(link.url, page.url)
        ):
            out.append(Step(link.url, number=page_number(link.url)))
    count = page_count(page)
    if count:
        out += _planned(page, count)
    out += _post_pagers(page, count)
    out += _get_pagers(page, count)
    seen: set[tuple[str, tuple | None]] = set()
    return [s for s in out if not ((s.url, s.form) in seen or seen.add((s.url, s.form)))]


def create_page_call(code: str) -> tuple[str, str, str, str] | None:
    """(count, current, name, ext) of a script's ``createPageHTML(N, cur, "index", "html")`` in
    any of its forms (``createPage(…)``, the 6-argument ``createPageHTML('div', N, …)``)."""
    m = _CREATE_PAGE_RE.search(code)
    return (m.group(1), m.group(2), m.group(3), m.group(4)) if m else None


def count_variable(code: str) -> str | None:
    """The page count a script keeps in a variable (``countPage = 7``, ``totalPage: '7'``)."""
    m = _COUNT_VAR_RE.search(code)
    return m.group(1) if m else None


def page_count(page: Page) -> int | None:
    for code in page.scripts:
        m = _CREATE_PAGE_RE.search(code)
        if m:
            return int(m.group(1))
        m = _COUNT_VAR_RE.search(code)
        if m:
            return int(m.group(1))
    m = _COUNT_TEXT_RE.search(page.compact_text)
    if m:
        return int(next(g for g in m.groups() if g))
    return None


def _planned(page: Page, count: int) -> list[Step]:
    """``name_1 … name_N`` siblings (0- and 1-based sites both covered), or the page parameter
    the page's own links use."""
    count = min(count, _max_planned())
    if count <= 1:
        return []
    stem, ext = None, None
    for code in page.scripts:
        m = _CREATE_PAGE_RE.search(code)
        if m:
            stem, ext = m.group(3), "." + m.group(4)
            break
    path = urlsplit(page.url).path
    name = path.rpartition("/")[2]
    m = PAGE_FILE_RE.match(name)
    if stem is None and not urlsplit(page.url).query:
        if m:
            stem, ext = m["stem"], m["ext"]
        elif not name or name.rsplit(".", 1)[0].lower() in ("index", "list", "default"):
            stem, ext = (
                (name.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1])
                if "." in name
                else ("index", ".html")
            )
    if stem is not None and ext is not None:
        return [
            Step(urljoin(page.url, f"{stem}_{k}{ext}"), number=k, probe=True)
            for k in range(1, count + 1)
        ]
    param = _page_param(page)
    if param:
        return [
            Step(with_param(page.url, param, k), number=k, probe=True) for k in range(1, count + 1)
        ]
    return []


def _page_param(page: Page) -> str | None:
    from urllib.parse import parse_qsl

    for k, _ in parse_qsl(urlsplit(page.url).query):
        if PAGE_PARAM_RE.match(k):
            return k
    return None


def _post_pagers(page: Page, count: int | None) -> list[Step]:
    root = page.tree
    if root is None:
        return []
    out: list[Step] = []
    for form in root.iter("form"):
        if (form.get("method") or "").lower() != "post":
            continue
        fields: list[tuple[str, str]] = []
        page_field = None
        for name, kind, el in form_controls(form):
            if PAGE_PARAM_RE.match(name) and page_field is None:
                page_field = name
                continue
            if kind in ("hidden", "text", "number", "select"):
                fields.append((name, el.get("value") or ""))
        if page_field is None:
            continue
        action = urljoin(page.base_url, form.get("action") or page.url)
        last = min(count or 2, _max_planned())
        for k in range(1, last + 1):
            out.append(Step(action, tuple(fields) + ((page_field, str(k)),), k))
    return out


def _get_pagers(page: Page, count: int | None) -> list[Step]:
    """A GET "go to page" form (``<form method=get>`` with the current page number in a box):
    submitted with the neighbouring page numbers, or every number when the page declares its
    count.  Each page it leads to shows the form again with its own number, so the pager is
    walked like a next link, and stops like one (a page that brings nothing new)."""
    root = page.tree
    if root is None:
        return []
    out: list[Step] = []
    for form in root.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        controls = [
            (name, kind, el)
            for name, kind, el in form_controls(form)
            if kind in ("hidden", "text", "number", "select")
        ]
        field, current = _page_field(controls)
        if field is None:
            continue
        action = urljoin(page.base_url, form.get("action") or page.url).split("?")[0]
        numbers = range(1, min(count, _max_planned()) + 1) if count else (current - 1, current + 1)
        for k in numbers:
            if k < 1 or k == current:
                continue
            query = [(n, str(k) if n == field else _value(el)) for n, _, el in controls]
            out.append(Step(f"{action}?{urlencode(query)}", number=k, probe=bool(count)))
    return out


def _page_field(controls: list[tuple[str, str, Any]]) -> tuple[str | None, int]:
    """The control of a GET form that holds the current page number, and that number: one
    named as a page parameter, else the form's one box a visitor types in.  A form with an
    empty box is a search waiting for its words, not a pager."""
    boxes = [(name, el) for name, kind, el in controls if kind in ("text", "number")]
    if any(not _value(el) for _, el in boxes):
        return None, 0
    named = [(name, el) for name, _, el in controls if PAGE_PARAM_RE.match(name)]
    for name, el in named or (boxes if len(boxes) == 1 else []):
        value = _value(el)
        if value.isdigit() and 0 < int(value) <= _max_planned():
            return name, int(value)
    return None, 0


def _value(el: Any) -> str:
    """A control's current value (a select's selected option, else its first)."""
    if el.tag == "select":
        options = list(el.iter("option"))
        chosen = [o for o in options if o.get("selected") is not None] or options[:1]
        return (chosen[0].get("value") or chosen[0].text_content() or "").strip() if chosen else ""
    return (el.get("value") or "").strip()


def next_post_step(step: Step) -> Step | None:
    """The page after a POST pager step (count unknown: ask until a page brings nothing)."""
    if step.form is None or step.number is None or step.number >= _max_planned():
        return None
    form = tuple((k, str(step.number + 1) if PAGE_PARAM_RE.match(k) else v) for k, v in step.form)
    return Step(step.url, form, step.number + 1)


def _same_dir(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.netloc == pb.netloc and pa.path.rsplit("/", 1)[0] == pb.path.rsplit("/", 1)[0]
