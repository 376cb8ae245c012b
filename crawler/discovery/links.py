"""Every way a page can point to another page, read off the one parse of ``Page``.

``page_links(page)`` returns ``Link`` records (``crawler.families.Link``) with ``via`` saying how
the link was found:

* ``a`` / ``area``: ``href`` (the ``title`` attribute when longer than a cut anchor text, the
  ``alt`` of an image-only link);
* ``frame`` / ``iframe``: ``src``;
* ``onclick``: ``window.open(…)``, ``location.href=…``, ``location=…`` and friends in any
  ``on*`` attribute or a ``javascript:`` href;
* ``option``: the values of a navigation ``<select>`` (one whose ``onchange`` navigates, or
  whose values are URLs);
* ``form``: a GET form's action with its fields (a pager's "go to page" form is expanded by
  ``crawler.discovery.paging``);
* ``script``: URL strings inside inline scripts (quoted paths and same-site URLs);
* ``onclick`` again for a call of a page function that builds the URL from its argument
  (``onclick="showDetail('123')"``, ``function showDetail(id){location.href='/x?id='+id}``).

No link is judged here: scope is the scope middleware's, priority is ``score``'s.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, replace
from urllib.parse import urlencode, urljoin, urlsplit

from ..families import Link
from . import vocabulary as V
from .page import Page, form_controls
from .urls import is_resource

_SKIP_SCHEMES = ("mailto:", "tel:", "data:", "about:", "ftp:", "file:")
#: a navigation call in an attribute or a script: window.open('…'), location.href = '…' …
JS_NAV_RE = re.compile(
    r"""(?:window\.open|location(?:\.href)?\s*=|location\.(?:assign|replace)|openUrl|goUrl|"""
    r"""openWin(?:dow)?|goto|jump(?:To)?|navigate|self\.location\s*=|top\.location\s*=)"""
    r"""\s*\(?\s*['"]([^'"]+)['"]""",
    re.IGNORECASE,
)
#: a quoted string in a script that looks like a page path or a same-site URL
_SCRIPT_URL_RE = re.compile(
    r"""['"]((?:https?://[\w.:-]+)?/?(?:[\w.~%-]+/)*[\w.~%-]+(?:\.s?html?|\.jsp|\.php|\.aspx?|\.do|/)"""
    r"""(?:\?[^'"\s<>]*)?|(?:https?://[\w.:-]+)?/[\w.~%/-]*\?[\w.~%-]+=[^'"\s<>]*)['"]"""
)
_DATE_RE = re.compile(r"((?:19|20)\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_MORE_RE = re.compile(V.MORE)


def page_links(page: Page) -> list[Link]:
    root = page.tree
    if root is None:
        return []
    base = page.base_url
    out: list[Link] = []
    for a in root.iter("a", "area"):
        href = (a.get("href") or "").strip()
        via = a.tag
        if not href or href.startswith("#") or href.lower().startswith("javascript:"):
            m = _nav_call(a) or (
                JS_NAV_RE.search(href) if href.lower().startswith("javascript:") else None
            )
            if not m:
                continue
            href, via = html_lib.unescape(m.group(1)), "onclick"
        out.append(_anchor_link(a, href, base, via))
    for el in root.iter("frame", "iframe"):
        src = (el.get("src") or "").strip()
        if src and not src.lower().startswith(("javascript:", "about:")):
            out.append(
                Link(
                    urljoin(base, src), _squash(el.get("title") or el.get("name") or ""), via=el.tag
                )
            )
    for el in root.xpath("//*[@onclick or @ondblclick or @onmousedown][not(self::a)]"):
        m = _nav_call(el)
        if m:
            out.append(
                Link(
                    urljoin(base, html_lib.unescape(m.group(1))),
                    _squash(el.text_content())[:60],
                    via="onclick",
                )
            )
    out += _select_links(root, base)
    out += _form_links(root, base)
    out += _script_links(page, base)
    out += templated_links(page)
    return _clean(out)


def _nav_call(el):
    for name, value in el.attrib.items():
        if name.lower().startswith("on") and value:
            m = JS_NAV_RE.search(value)
            if m:
                return m
    return None


def _anchor_link(a, href: str, base: str, via: str) -> Link:
    text = _squash(a.text_content())
    if not text:
        alts = [_squash(img.get("alt") or img.get("title") or "") for img in a.iter("img")]
        text = next((t for t in alts if t), "")
    title = _squash(a.get("title") or a.get("alt") or "")
    best = title if len(title) >= len(text.rstrip(".…")) else text
    date = None
    parent = a.getparent()
    if parent is not None:
        rest = _squash(parent.text_content()).replace(text, "")
        m = _DATE_RE.search(rest)
        if m:
            date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    context = _block_heading(a) if _MORE_RE.match(best or text or "") else ""
    return Link(urljoin(base, href), best or text, date, context, via=via)


def _block_heading(a) -> str:
    """Text of the block around a "更多" link, minus the link ("政府信息公开年报")."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            break
        t = _squash(node.text_content().replace(a.text_content(), ""))
        if t:
            return t[:30]
        node = node.getparent()
    return ""


#: a bare relative file name, with or without a query (``col.asp?cid=7``, ``list_2.html``)
_RELATIVE_FILE_RE = re.compile(r"^[\w~%-]+(?:\.[\w~%-]+)*\.[A-Za-z]\w{1,5}(?:\?[^\s]*)?$")

#: a query alone, relative to the page (``?sid=3041``)
_QUERY_ONLY_RE = re.compile(r"^\?[^\s=&]+=[^\s]*$")


def _select_links(root, base: str) -> list[Link]:
    out: list[Link] = []
    for select in root.iter("select"):
        navigates = any(
            JS_NAV_RE.search(v or "") or "location" in (v or "") or "open" in (v or "")
            for k, v in select.attrib.items()
            if k.lower().startswith("on")
        )
        for opt in select.iter("option"):
            value = (opt.get("value") or "").strip()
            if not value or value in ("#", "-1", "0"):
                continue
            looks_like_url = (
                "/" in value
                or value.startswith("http")
                or bool(_RELATIVE_FILE_RE.match(value) or _QUERY_ONLY_RE.match(value))
            )
            if (navigates and looks_like_url) or (
                looks_like_url and value.startswith(("http", "/"))
            ):
                out.append(Link(urljoin(base, value), _squash(opt.text_content()), via="option"))
    return out


def _form_links(root, base: str) -> list[Link]:
    """A GET form with its current field values (a search box is left to ``search``)."""
    out: list[Link] = []
    for form in root.iter("form"):
        if (form.get("method") or "get").lower() != "get":
            continue
        fields: list[tuple[str, str]] = []
        for name, kind, el in form_controls(form):
            if kind == "select":
                opts = [
                    o.get("value") or _squash(o.text_content())
                    for o in el.iter("option")
                    if o.get("selected") is not None
                ] or [o.get("value") or "" for o in el.iter("option")][:1]
                fields.append((name, opts[0] if opts else ""))
            elif kind in ("hidden", "text", "number", "search"):
                fields.append((name, el.get("value") or ""))
        action = urljoin(base, form.get("action") or "")
        if fields and all(v for _, v in fields):
            out.append(Link(f"{action.split('?')[0]}?{urlencode(fields)}", "", via="form"))
    return out


#: ``document.write('<a href="' + 'x.action?id=4' + '">…</a>')``: markup a script writes
_WRITE_RE = re.compile(r"""document\.write(?:ln)?\s*\(\s*(['"])(.*?)\1\s*\)\s*;?""", re.DOTALL)
_JOIN_RE = re.compile(r"""(['"])\s*\+\s*(['"])""")
#: a bare file name with a query in a script string (``'list.action?tid=4366'``)
_SCRIPT_FILE_RE = re.compile(
    r"""['"]([\w~%-]+(?:\.[\w~%-]+)*\.[A-Za-z]\w{1,5}\?[\w.~%-]+=[^'"\s<>]*)['"]"""
)


def _written_links(code: str, base: str) -> list[Link]:
    """The anchors of markup a script writes, its string pieces joined (``'a' + 'b'``)."""
    out: list[Link] = []
    for m in _WRITE_RE.finditer(code):
        markup = _JOIN_RE.sub("", m.group(2))
        if "<a" not in markup.lower() or "+" in _JOIN_RE.sub("", markup).replace("&", ""):
            continue  # pieces joined with variables: a template, read by script_templates
        written = Page.from_text(base, f"<html><body>{markup}</body></html>")
        out += [replace(k, via="script") for k in page_links(written) if k.via == "a"]
    return out


def _script_links(page: Page, base: str) -> list[Link]:
    out: list[Link] = []
    for code in page.scripts:
        out += _written_links(code, base)
        for m in _SCRIPT_FILE_RE.finditer(code):
            out.append(Link(urljoin(base, html_lib.unescape(m.group(1))), "", via="script"))
        for m in JS_NAV_RE.finditer(code):
            out.append(Link(urljoin(base, html_lib.unescape(m.group(1))), "", via="script"))
        for m in _SCRIPT_URL_RE.finditer(code):
            value = html_lib.unescape(m.group(1))  # data islands (<script type=text/xml>) escape &
            if "{" in value or "+" in value or value.startswith("//"):
                continue
            out.append(Link(urljoin(base, value), "", via="script"))
    return out


def _clean(links: list[Link]) -> list[Link]:
    out: list[Link] = []
    for link in links:
        url = link.url.split("#", 1)[0].strip()
        if not url or url.lower().startswith(_SKIP_SCHEMES):
            continue
        if urlsplit(url).scheme not in ("http", "https") or is_resource(url):
            continue
        out.append(replace(link, url=url) if url != link.url else link)
    return out


def _squash(text: str) -> str:
    return " ".join((text or "").split())


# ---------------------------------------------------------------- URLs built by script

#: a quoted string that ends where a value is appended: '/show.jsp?id=' + id + '&t=1'
_CONCAT_RE = re.compile(
    r"""(['"])((?:(?!\1).)*?)\1\s*\+\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[['"][\w$]+['"]\])*)"""
    r"""(?:\s*\+\s*(['"])((?:(?!\4).)*?)\4)?"""
)
_FUNC_RE = re.compile(r"function\s+([A-Za-z_$][\w$]*)\s*\(([^)]*)\)\s*\{")
_CALL_RE = re.compile(
    r"""([A-Za-z_$][\w$]*)\s*\(\s*((?:['"][^'"]*['"]|[\w.-]+)(?:\s*,\s*(?:['"][^'"]*['"]|[\w.-]+))*)\s*\)"""
)
_ARG_RE = re.compile(r"""['"]([^'"]*)['"]|([\w.-]+)""")
_URLISH_RE = re.compile(r"[/?=]|\.s?html?\b|\.jsp\b|\.do\b|\.php\b|\.aspx?\b")


@dataclass(frozen=True)
class Template:
    """A URL a script builds: ``prefix`` + the value of ``field`` + ``suffix``."""

    prefix: str
    field: str
    suffix: str = ""

    def fill(self, value: object) -> str:
        return f"{self.prefix}{value}{self.suffix}"


def _template(m: re.Match) -> Template | None:
    prefix = re.split(r"""href\s*=\s*["']?|src\s*=\s*["']?|["'\s(]""", m.group(2))[-1]
    if not prefix or not _URLISH_RE.search(prefix) or prefix.startswith(("<", "#")):
        return None
    var = m.group(3)
    field = re.split(r"""[.\[\]'"]+""", var.strip("]'\""))[-1]
    suffix = re.split(r"""["'\s>]""", m.group(5) or "")[0]
    return Template(prefix, field, suffix)


def script_templates(page: Page) -> tuple[dict[str, list[tuple[int, Template]]], list[Template]]:
    """The URL templates of the page's scripts: per function, which argument fills which
    template (``showDetail('123')``); and every template by the field it reads (``item.id``)."""
    functions: dict[str, list[tuple[int, Template]]] = {}
    fields: list[Template] = []
    for code in page.scripts:
        for fm in _FUNC_RE.finditer(code):
            args = [a.strip() for a in fm.group(2).split(",") if a.strip()]
            body = _body(code, fm.end() - 1)
            for m in _CONCAT_RE.finditer(body):
                t = _template(m)
                if t is not None and m.group(3) in args:
                    functions.setdefault(fm.group(1), []).append((args.index(m.group(3)), t))
        for m in _CONCAT_RE.finditer(code):
            t = _template(m)
            if t is not None and t not in fields:
                fields.append(t)
    return functions, fields


def _body(code: str, brace: int) -> str:
    depth = 0
    for i in range(brace, min(len(code), brace + 5000)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return code[brace:i]
    return code[brace : brace + 5000]


def templated_links(page: Page) -> list[Link]:
    """Links whose URL a page function builds from its argument: ``onclick="showDetail('123')"``
    and ``href="javascript:showDetail('123')"`` with ``function showDetail(id){…'/x?id='+id…}``."""
    functions, _ = script_templates(page)
    root = page.tree
    if not functions or root is None:
        return []
    out: list[Link] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if not (
                name.lower().startswith("on")
                or (name == "href" and value.lower().startswith("javascript:"))
            ):
                continue
            for cm in _CALL_RE.finditer(value):
                for index, t in functions.get(cm.group(1), ()):
                    args = [a or b for a, b in _ARG_RE.findall(cm.group(2))]
                    if index < len(args):
                        text = _squash(el.text_content())[:80]
                        out.append(
                            Link(urljoin(page.base_url, t.fill(args[index])), text, via="onclick")
                        )
    return out
