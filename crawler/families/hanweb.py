"""大汉 Hanweb JCMS listings (docs/portals.md §1.2–§1.3).

A column page ``/col/col{id}/index.html`` carries its first group of records in a
``<script type="text/xml"><datastore>`` island, each record an ``<li><a href title>…</a>
<span>date</span></li>`` fragment in CDATA, and the pager settings (totalRecord, perPage,
columnid, unitid, webid, webname) in the jpage script.  The rest comes from
``/module/web/jpage/dataproxy.jsp``: POST with ``startrecord/endrecord/perpage`` in the
query string and the ajaxParam fields as the form body, or GET ``?page=N&…`` (the
``nextgroup`` href).  The response is the same ``<datastore>`` XML.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import lxml.html

from ..limits import cap_count
from . import Link

DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"

_DATASTORE_RE = re.compile(r"<datastore\b.*?</datastore>", re.IGNORECASE | re.DOTALL)
_RECORD_RE = re.compile(r"<record\b[^>]*>(.*?)</record>", re.IGNORECASE | re.DOTALL)
_CDATA_RE = re.compile(r"^\s*<!\[CDATA\[(.*)\]\]>\s*$", re.DOTALL)
_NEXTGROUP_RE = re.compile(r"<nextgroup\b[^>]*>(.*?)</nextgroup>", re.IGNORECASE | re.DOTALL)
_TOTALRECORD_RE = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.IGNORECASE)
_DATE_RE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")

# jpage({...}) / var param_N = {...} settings: keys are written bare or quoted.
_PARAM_RES = {
    key: re.compile(rf"""['"]?\b{key}['"]?\s*[:=]\s*['"]?([^'",}}\s]+)""", re.IGNORECASE)
    for key in (
        "totalRecord",
        "perPage",
        "columnid",
        "unitid",
        "webid",
        "webname",
        "appid",
        "proxyUrl",
        "groupSize",
        "sourceContentType",
        "permissiontype",
        "col",
        "path",
    )
}


@dataclass(frozen=True)
class JpageConfig:
    """What the jpage script tells us about a column's remaining records."""

    total_record: int | None
    per_page: int
    columnid: str
    unitid: str
    webid: str
    webname: str = ""
    proxy_url: str = DATAPROXY_PATH
    extra: dict[str, str] = field(default_factory=dict)

    def form(self) -> dict[str, str]:
        """The POST body (ajaxParam) in the order real pages send it."""
        return {
            "col": self.extra.get("col", "1"),
            "appid": self.extra.get("appid", "1"),
            "webid": self.webid,
            "path": self.extra.get("path", "/"),
            "columnid": self.columnid,
            "sourceContentType": self.extra.get("sourceContentType", "1"),
            "unitid": self.unitid,
            "webname": self.webname,
            "permissiontype": self.extra.get("permissiontype", "0"),
        }


@dataclass(frozen=True)
class ProxyPage:
    """One dataproxy.jsp request: POST (form set) or GET (form None)."""

    url: str
    form: dict[str, str] | None
    start: int  # first record number asked for (1-based)
    end: int


def _cdata(text: str) -> str:
    m = _CDATA_RE.match(text)
    return m.group(1) if m else html_lib.unescape(text)


def _record_link(fragment: str, base_url: str) -> Link | None:
    """``<li><a href title>text…</a><span>date</span></li>`` → Link; None when no <a href>."""
    fragment = fragment.strip()
    if not fragment:
        return None
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on junk; a dirty record is skipped
        return None
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        text = " ".join(a.text_content().split())
        title = (a.get("title") or "").strip() or text
        rest = root.text_content()
        m = _DATE_RE.search(rest.replace(text, "")) or _DATE_RE.search(rest)
        date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else None
        return Link(url=urljoin(base_url, href), title=title, date=date)
    return None  # "无链接脏数据": records without an anchor do occur


def parse_records(text: str, base_url: str) -> list[Link]:
    """All record links of every ``<datastore>`` in a page or a dataproxy XML response."""
    links: list[Link] = []
    for store in _DATASTORE_RE.findall(text) or ([text] if "<record" in text else []):
        for raw in _RECORD_RE.findall(store):
            link = _record_link(_cdata(raw), base_url)
            if link is not None:
                links.append(link)
    return links


def has_datastore(text: str) -> bool:
    return _DATASTORE_RE.search(text) is not None


def total_record(text: str) -> int | None:
    """``<totalrecord>`` of a dataproxy response."""
    m = _TOTALRECORD_RE.search(text)
    return cap_count(m.group(1)) if m else None


def nextgroup_url(text: str, base_url: str) -> str | None:
    """The GET dataproxy URL from ``<nextgroup><![CDATA[<a href=…>]]>``."""
    m = _NEXTGROUP_RE.search(text)
    if not m:
        return None
    href = re.search(r"""href\s*=\s*["']([^"']+)["']""", _cdata(m.group(1)))
    if not href:
        return None
    return urljoin(base_url, html_lib.unescape(href.group(1)))


def parse_jpage_config(text: str) -> JpageConfig | None:
    """totalRecord/perPage/columnid/unitid/webid/webname from the jpage script.

    Falls back to the ``nextgroup`` query string for fields the script does not carry.
    None when no columnid/unitid pair can be found (then there is nothing to page).
    """
    values: dict[str, str] = {}
    for script in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.IGNORECASE | re.DOTALL):
        if "<datastore" in script or not re.search(r"jpage|param_|totalRecord", script):
            continue
        for key, rx in _PARAM_RES.items():
            if key not in values:
                m = rx.search(script)
                if m:
                    values[key] = m.group(1)
    ng = _NEXTGROUP_RE.search(text)
    if ng:
        href = re.search(r"""href\s*=\s*["']([^"']+)["']""", _cdata(ng.group(1)))
        if href:
            query = dict(parse_qsl(urlsplit(html_lib.unescape(href.group(1))).query))
            for key in ("columnid", "unitid", "webid", "webname", "appid", "permissiontype"):
                if key not in values and query.get(key):
                    values[key] = query[key]
    if not values.get("columnid") or not values.get("unitid"):
        return None
    per_page = _int(values.get("perPage")) or 15
    extra = {
        k: values[k]
        for k in ("appid", "col", "path", "sourceContentType", "permissiontype")
        if k in values
    }
    proxy = values.get("proxyUrl") or DATAPROXY_PATH
    return JpageConfig(
        total_record=_int(values.get("totalRecord")),
        per_page=per_page,
        columnid=values["columnid"],
        unitid=values["unitid"],
        webid=values.get("webid", "1"),
        webname=_unquote_twice(values.get("webname", "")),
        proxy_url=proxy,
        extra=extra,
    )


def _int(value: str | None) -> int | None:
    return cap_count(value)


def _unquote_twice(value: str) -> str:
    # nextgroup hrefs double-encode webname (%25E5…, docs/portals.md §1.2)
    from urllib.parse import unquote

    for _ in range(2):
        if "%" not in value:
            break
        value = unquote(value)
    return value


def post_page(
    config: JpageConfig, base_url: str, start: int, count: int | None = None
) -> ProxyPage:
    """The POST dataproxy request for records ``start … start+count-1``.

    ``count`` defaults to three pages' worth, the group size real pages ask for.
    """
    count = count or config.per_page * 3
    end = start + count - 1
    if config.total_record is not None:
        end = min(end, max(config.total_record, start))
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": config.per_page})
    url = urljoin(base_url, config.proxy_url) + "?" + query
    return ProxyPage(url=url, form=config.form(), start=start, end=end)


def get_page(nextgroup: str, page: int) -> str:
    """The GET dataproxy URL for ``page`` (``page=N`` replaced in the nextgroup href)."""
    parts = urlsplit(nextgroup)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"]
    query.insert(0, ("page", str(page)))
    return parts._replace(query=urlencode(query)).geturl()


def page_of(url: str) -> int:
    """The ``page=N`` of a GET dataproxy URL (1 when absent)."""
    value = dict(parse_qsl(urlsplit(url).query)).get("page", "1")
    return int(value) if value.isdigit() else 1


def remaining_after(config: JpageConfig, have: int) -> bool:
    """Are there records beyond the first ``have`` ones?  Unknown total → ask once more."""
    return config.total_record is None or have < config.total_record


# ------------------------------------------------------------------ the family protocol

NAME = "hanweb"
#: dataproxy groups planned from one column at most
MAX_GROUPS = 200


def matches(text: str) -> bool:
    return has_datastore(text)


def links(text: str, url: str) -> list[Link]:
    """The column's first group of records (the page's ``<datastore>``)."""
    return parse_records(text, url) if has_datastore(text) else []


def calls(text: str, url: str):
    """The dataproxy requests for the records after the page's own: every POST group when the
    total is known, one chained group when it is not, else the GET ``nextgroup`` pages."""
    from .api import Call

    if not has_datastore(text):
        return []
    inline = len(parse_records(text, url))
    config = parse_jpage_config(text)
    nextgroup = nextgroup_url(text, url) or ""
    base = (("listing", url), ("nextgroup", nextgroup))
    if config is not None:
        if not remaining_after(config, inline):
            return []
        count = config.per_page * 3
        if config.total_record is None:
            page = post_page(config, url, inline + 1, count)
            return [Call(page.url, NAME, 1, tuple(page.form.items()), base + (("chain", "1"),))]
        out, start = [], inline + 1
        while start <= config.total_record and len(out) < MAX_GROUPS:
            page = post_page(config, url, start, count)
            out.append(
                Call(
                    page.url,
                    NAME,
                    len(out) + 1,
                    tuple(page.form.items()),
                    base + (("total", str(config.total_record)),),
                )
            )
            start = page.end + 1
        return out
    if nextgroup:
        return [Call(nextgroup, NAME, page_of(nextgroup), None, base)]
    return []


def fallback(call):
    """A POST group the server refused: the GET ``nextgroup`` pages instead (None if none)."""
    from .api import Call

    ng = call.get("nextgroup")
    if call.form is None or not ng:
        return None
    return Call(ng, NAME, page_of(ng), None, tuple((k, v) for k, v in call.extra if k != "chain"))


def parse(body: str, call):
    """A dataproxy answer: its records, then the group after it (chained, or the server counts
    more records than the page said) or the next GET page."""
    from .api import Call, Page

    found = parse_records(body, call.get("listing") or call.url)
    page = Page(found)
    if not found or call.page >= MAX_GROUPS:
        return page
    if call.form is not None:
        q = dict(parse_qsl(urlsplit(call.url).query))
        try:
            start, end, per = int(q["startrecord"]), int(q["endrecord"]), int(q["perpage"])
        except (KeyError, ValueError):
            return page
        total = total_record(body)
        planned = _int(call.get("total"))
        more = call.get("chain") == "1" or (
            planned is not None and end >= planned and total is not None and total > planned
        )
        if more and (total is None or end < total):
            size = max(end - start + 1, per * 3)
            nstart = end + 1
            nend = nstart + size - 1 if total is None else min(nstart + size - 1, total)
            query = urlencode({"startrecord": nstart, "endrecord": nend, "perpage": per})
            extra = tuple((k, v) for k, v in call.extra if k not in ("chain", "total")) + (
                ("chain", "1"),
            )
            page.calls = [
                Call(call.url.split("?")[0] + "?" + query, NAME, call.page + 1, call.form, extra)
            ]
    else:
        nxt = get_page(call.url, call.page + 1)
        page.calls = [Call(nxt, NAME, call.page + 1, None, call.extra)]
    return page
