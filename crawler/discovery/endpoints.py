"""Lists drawn by script: the data endpoints a page's own script calls, and what they answer.

``find(page)`` reads the inline scripts for the calls a list is drawn from —
``$.ajax({url, type, data})``, ``$.get/$.post/$.getJSON(url, data)``, ``fetch(url, {method,
body})``, ``xhr.open(method, url)``, ``axios.get/post(url, …)``, ``$(…).load(url)`` — and
returns them as ``Call``s (GET with the data in the query, POST with it as the form).
``answer_links(text, call)`` reads an answer: JSON (every object with a URL-like field, its
title from the title-like field beside it; HTML strings inside the JSON too) or an HTML
fragment.  ``next_call(call)`` is the same call one page on, when it carries a page number.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..families import Link
from ..families.api import Call
from ..limits import endpoint_pages
from .page import Page
from .urls import PAGE_PARAM_RE, is_resource

FAMILY = "endpoint"
# pages of one endpoint asked for at most: ENDPOINT_MAX_PAGES, read in crawler/limits.py
_max_pages = endpoint_pages

_AJAX_RE = re.compile(r"""\$\.ajax\s*\(\s*\{(?P<body>.*?)\}\s*\)""", re.DOTALL)
_SHORT_RE = re.compile(
    r"""\$\.(?P<m>get|post|getJSON)\s*\(\s*['"](?P<url>[^'"]+)['"]\s*(?:,\s*(?P<data>\{[^{}]*\}))?""",
    re.DOTALL,
)
_FETCH_RE = re.compile(
    r"""fetch\s*\(\s*['"](?P<url>[^'"]+)['"]\s*(?:,\s*\{(?P<opts>.*?)\}\s*)?\)""", re.DOTALL
)
_XHR_RE = re.compile(
    r"""\.open\s*\(\s*['"](?P<m>GET|POST)['"]\s*,\s*['"](?P<url>[^'"]+)['"]""", re.IGNORECASE
)
_AXIOS_RE = re.compile(
    r"""axios\.(?P<m>get|post)\s*\(\s*['"](?P<url>[^'"]+)['"]\s*(?:,\s*(?P<data>\{[^{}]*(?:\{[^{}]*\}[^{}]*)?\}))?""",
    re.DOTALL,
)
_LOAD_RE = re.compile(r"""\.load\s*\(\s*['"](?P<url>[^'"]+)['"]""")
_URL_FIELD_RE = re.compile(r"""\burl\s*:\s*['"](?P<url>[^'"]+)['"]""")
_TYPE_FIELD_RE = re.compile(r"""\b(?:type|method)\s*:\s*['"](?P<m>\w+)['"]""", re.IGNORECASE)
_DATA_FIELD_RE = re.compile(r"""\bdata\s*:\s*(?P<data>\{[^{}]*\})""", re.DOTALL)
_BODY_FIELD_RE = re.compile(r"""\bbody\s*:\s*['"](?P<body>[^'"]*)['"]""")
_PAIR_RE = re.compile(
    r"""['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:['"]([^'"]*)['"]|(-?\d+(?:\.\d+)?)|(true|false)|"""
    r"""([A-Za-z_$][\w$.]*(?:\([^()]*\))?)(?:\s*\|\|\s*['"]?([\w-]+)['"]?)?)"""
)

_URL_KEYS = (
    "url",
    "link",
    "href",
    "path",
    "post_url",
    "detailurl",
    "docurl",
    "linkurl",
    "art_url",
    "infourl",
    "curl",
    "weburl",
    "siteurl",
    "pageurl",
    "jumpurl",
    "redirecturl",
    "fileurl",
)
_TITLE_KEYS = (
    "title",
    "name",
    "text",
    "label",
    "cname",
    "doctitle",
    "art_title",
    "infotitle",
    "columnname",
    "sitename",
    "unitname",
    "maintitle",
    "subject",
)
_DATE_KEYS = (
    "date",
    "pubdate",
    "publishtime",
    "publisheddate",
    "docreltime",
    "time",
    "createtime",
    "publishedtimestr",
    "fbsj",
    "pub_date",
)


def find(page: Page) -> list[Call]:
    out: list[Call] = []
    bindings = _bindings(page)

    def _pairs(obj: str) -> list[tuple[str, str]]:
        return _bound_pairs(obj, bindings)

    for code in page.scripts:
        for m in _AJAX_RE.finditer(code):
            body = m.group("body")
            u = _URL_FIELD_RE.search(body)
            if not u:
                continue
            t = _TYPE_FIELD_RE.search(body)
            d = _DATA_FIELD_RE.search(body)
            out.append(
                _call(
                    page,
                    u.group("url"),
                    t.group("m") if t else "GET",
                    _pairs(d.group("data")) if d else [],
                )
            )
        for m in _SHORT_RE.finditer(code):
            method = "POST" if m.group("m") == "post" else "GET"
            out.append(_call(page, m.group("url"), method, _pairs(m.group("data") or "")))
        for m in _FETCH_RE.finditer(code):
            opts = m.group("opts") or ""
            t = _TYPE_FIELD_RE.search(opts)
            b = _BODY_FIELD_RE.search(opts)
            pairs = (
                parse_qsl(b.group("body"))
                if b
                else _pairs((_DATA_FIELD_RE.search(opts) or _EMPTY).group("data"))
            )
            out.append(_call(page, m.group("url"), t.group("m") if t else "GET", pairs))
        for m in _XHR_RE.finditer(code):
            out.append(_call(page, m.group("url"), m.group("m"), []))
        for m in _AXIOS_RE.finditer(code):
            data = m.group("data") or ""
            inner = re.search(r"params\s*:\s*(\{[^{}]*\})", data)
            out.append(
                _call(page, m.group("url"), m.group("m"), _pairs(inner.group(1) if inner else data))
            )
        for m in _LOAD_RE.finditer(code):
            out.append(_call(page, m.group("url"), "GET", []))
    seen: set[tuple] = set()
    calls = [c for c in out if c is not None]
    calls = [c for c in calls if not ((c.url, c.form) in seen or seen.add((c.url, c.form)))]
    bound = [c for c in calls if not _unbound(c)]
    # the portal's search API, its query box bound at run time: asked for the report's names
    from . import vocabulary as V
    from .doors import is_search

    for c in calls:
        waiting = [k for k, v in (c.form or _query(c.url)) if v == UNBOUND]
        if _unbound(c) and (is_search(c.url) or (len(waiting) == 1 and is_search("", waiting))):
            for term in V.SEARCH_TERMS:
                if c.form is not None:
                    form = tuple((k, term if v == UNBOUND else v) for k, v in c.form)
                    bound.append(Call(c.url, c.family, c.page, form, c.extra))
                else:
                    query = [(k, term if v == UNBOUND else v) for k, v in _query(c.url)]
                    bound.append(
                        Call(
                            f"{c.url.split('?')[0]}?{urlencode(query)}",
                            c.family,
                            c.page,
                            None,
                            c.extra,
                        )
                    )
    # what the answers need to be read further: the page's URL templates (items that carry
    # only an id) and its calls waiting for a value from another answer (a unit tree's ids)
    from .links import script_templates

    _, fields = script_templates(page)
    templates = [[t.prefix, t.field, t.suffix] for t in fields]
    # a script constant that is a URL waiting for its value (``var u = "/show?id=";``): the
    # answer's records that carry only an id are read as that URL with their id
    templates += [
        [v, "", ""] for v in dict.fromkeys(bindings.values()) if _AWAITS_VALUE_RE.match(v)
    ]
    extra = (
        ("templates", json.dumps(templates)),
        (
            "unbound",
            json.dumps(
                [
                    [c.url, c.form is not None, list(c.form or ()) or _query(c.url)]
                    for c in calls
                    if _unbound(c)
                ]
            ),
        ),
    )
    return [Call(c.url, c.family, c.page, c.form, c.extra + extra) for c in bound]


#: a URL (absolute, rooted or a bare script name) whose query ends waiting for a value
_AWAITS_VALUE_RE = re.compile(
    r"^(?:https?://[^\s'\"]+|/[^\s'\"]*|[\w.-]+\.\w+)\?(?:[^\s=&]+=[^\s&]*&)*[^\s=&]+=$"
)


def _unbound(call: Call) -> bool:
    return UNBOUND in call.url or "%00" in call.url or any(v == UNBOUND for _, v in call.form or ())


def _query(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def filled_calls(call: Call, answer: str) -> list[Call]:
    """The page's waiting calls filled with the ids an answer lists (a unit tree's nodes)."""
    waiting = json.loads(call.get("unbound") or "[]")
    if not waiting:
        return []
    ids = answer_ids(answer)
    out: list[Call] = []
    for url, post, pairs in waiting:
        base = url.split("?")[0]
        for value in ids[: _max_pages()]:
            filled = [(k, value if v == UNBOUND else v) for k, v in pairs]
            extra = tuple((k, v) for k, v in call.extra if k != "unbound")
            if post:
                out.append(Call(base, FAMILY, _page_of(filled) or 1, tuple(filled), extra))
            else:
                out.append(
                    Call(f"{base}?{urlencode(filled)}", FAMILY, _page_of(filled) or 1, None, extra)
                )
    return out


_ID_KEYS = (
    "id",
    "unitid",
    "deptid",
    "orgid",
    "nodeid",
    "channelid",
    "columnid",
    "catid",
    "code",
    "key",
)


def _record_id(record: dict) -> str | int | None:
    """A record's id: its ``id``, a key of the known names, else the first key named ``…id``
    (``docId``, ``infoid``, ``orgId``) that holds a plain value."""
    for key in ("id", *(k for k in record if k.endswith("id")), *_ID_KEYS):
        value = record.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return value
    return None


def answer_ids(text: str) -> list[str]:
    """The ids of a JSON answer's objects that carry no URL (a tree of units by id)."""
    try:
        data = json.loads(text.lstrip())
    except ValueError:
        return []
    out: list[str] = []

    def walk(node, depth=0):
        if depth > 12:
            return
        if isinstance(node, list):
            for item in node:
                walk(item, depth + 1)
        elif isinstance(node, dict):
            lower = {str(k).lower(): v for k, v in node.items()}
            if not any(isinstance(lower.get(k), str) and lower[k] for k in _URL_KEYS):
                value = _record_id(lower)
                if value is not None and str(value) not in out:
                    out.append(str(value))
            for v in node.values():
                if isinstance(v, (dict, list)):
                    walk(v, depth + 1)

    walk(data)
    return out


class _Empty:
    def group(self, _):
        return ""


_EMPTY = _Empty()


#: a value bound at run time (``deptId: id``): the call is a template filled from another answer
UNBOUND = "\x00"


_VAR_RE = re.compile(
    r"""(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:['"]([^'"]*)['"]|(-?\d+))\s*[;,\n]"""
)


def _bindings(page: Page) -> dict[str, str]:
    """The scripts' constants (``var colId = "t2851";``), to fill the calls that use them."""
    out: dict[str, str] = {}
    for code in page.scripts:
        for name, s, n in _VAR_RE.findall(code):
            out.setdefault(name, s or n)
    return out


def _bound_pairs(obj: str, bindings: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """``{a: 1, b: 'x', c: p || 1, d: colId, e: id}`` → [(a, 1), (b, x), (c, 1), (d, the value
    of ``var colId``), (e, UNBOUND)]; a page number bound at run time starts at 1."""
    out = []
    for key, s, n, b, ident, default in _PAIR_RE.findall(obj or ""):
        if ident:
            bound = (bindings or {}).get(ident)
            out.append((key, default or bound or ("1" if PAGE_PARAM_RE.match(key) else UNBOUND)))
        else:
            out.append((key, s if s or not (n or b) else (n or b)))
    return out


def _call(page: Page, url: str, method: str, data: list[tuple[str, str]]) -> Call | None:
    if "{" in url or "+" in url or (is_resource(url) and not url.split("?")[0].endswith(".json")):
        return None
    absolute = urljoin(page.base_url, url)
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    number = _page_of(data) or _page_of(parse_qsl(urlsplit(absolute).query)) or 1
    if method.upper() == "POST":
        return Call(absolute, FAMILY, number, form=tuple(data), extra=(("listing", page.url),))
    if data:
        parts = urlsplit(absolute)
        query = parse_qsl(parts.query, keep_blank_values=True) + data
        absolute = urlunsplit(parts._replace(query=urlencode(query)))
    return Call(absolute, FAMILY, number, extra=(("listing", page.url),))


def _page_of(pairs) -> int | None:
    for k, v in pairs:
        if PAGE_PARAM_RE.match(k) and str(v).isdigit():
            return int(v)
    return None


def next_call(call: Call) -> Call | None:
    """The call one page on (its page parameter + 1), or None when it carries none."""
    if call.page >= _max_pages():
        return None
    if call.form is not None and _page_of(call.form) is not None:
        form = tuple(
            (k, str(int(v) + 1) if PAGE_PARAM_RE.match(k) and str(v).isdigit() else v)
            for k, v in call.form
        )
        return Call(call.url, call.family, call.page + 1, form=form, extra=call.extra)
    parts = urlsplit(call.url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if _page_of(query) is None:
        return None
    query = [
        (k, str(int(v) + 1) if PAGE_PARAM_RE.match(k) and v.isdigit() else v) for k, v in query
    ]
    return Call(
        urlunsplit(parts._replace(query=urlencode(query))),
        call.family,
        call.page + 1,
        form=call.form,
        extra=call.extra,
    )


def answer_links(text: str, call: Call) -> list[Link]:
    """The links an endpoint answered: JSON records, or an HTML fragment's anchors."""
    base = call.get("listing") or call.url
    stripped = text.lstrip()
    if stripped[:1] in "{[":
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if data is not None:
            out: list[Link] = []
            templates = json.loads(call.get("templates") or "[]")
            if json.loads(call.get("unbound") or "[]"):
                # its ids fill the page's other calls (a unit tree): they are not documents
                templates = [t for t in templates if t[1]]
            _walk(data, base, out, 0, templates)
            return out
    from .links import page_links

    return [_as(link, "endpoint") for link in page_links(Page.from_text(base, text))]


def _as(link: Link, via: str) -> Link:
    from dataclasses import replace

    return replace(link, via=via)


def _walk(node, base: str, out: list[Link], depth: int, templates=()) -> None:
    if depth > 12:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, base, out, depth + 1, templates)
        return
    if not isinstance(node, dict):
        return
    lower = {str(k).lower(): v for k, v in node.items()}
    url = next(
        (lower[k] for k in _URL_KEYS if isinstance(lower.get(k), str) and lower[k].strip()), None
    )
    if url is None:
        for prefix, field_name, suffix in templates:
            if not field_name and not any(isinstance(lower.get(k), str) for k in _TITLE_KEYS):
                continue  # only a record with a title is a document (not the answer's wrapper)
            value = (
                node.get(field_name, lower.get(field_name.lower()))
                if field_name
                else _record_id(lower)
            )
            if isinstance(value, (str, int)) and str(value):
                url = f"{prefix}{value}{suffix}"
                break
    if url and not url.strip().lower().startswith(("javascript:", "#")):
        title = next((lower[k] for k in _TITLE_KEYS if isinstance(lower.get(k), str)), "")
        date = next((lower[k][:10] for k in _DATE_KEYS if isinstance(lower.get(k), str)), None)
        out.append(Link(urljoin(base, url.strip()), " ".join(title.split()), date, via="endpoint"))
    for value in node.values():
        if isinstance(value, (dict, list)):
            _walk(value, base, out, depth + 1, templates)
        elif isinstance(value, str) and "<a " in value and "href" in value:
            from .links import page_links

            for link in page_links(Page.from_text(base, f"<html><body>{value}</body></html>")):
                out.append(_as(link, "endpoint"))
