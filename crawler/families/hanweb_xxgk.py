"""大汉 Hanweb 信息公开目录 module (docs/portals.md §2): a 年报 query form whose script loads
``/module/xxgk/xxgkAnnualReport.jsp?fbtime=YYYY&area=CODE``.  Every (year, unit) pair of the
form's two ``<select>``s is asked for; each answer is a result table of links."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urljoin

from . import generic
from .api import Call, Page

NAME = "hanweb-xxgk"
_JSP_RE = re.compile(r"""(/module/xxgk/xxgkAnnualReport\.jsp)""")
_SELECT_RE = re.compile(
    r"""<select[^>]*name=["'](fbtime|area)["'][^>]*>(.*?)</select>""", re.S | re.I
)
_OPTION_RE = re.compile(r"""<option[^>]*value=["']([^"']+)["']""", re.I)


def matches(text: str) -> bool:
    return _JSP_RE.search(text) is not None


def calls(text: str, url: str) -> list[Call]:
    m = _JSP_RE.search(text)
    selects = {name.lower(): _OPTION_RE.findall(body) for name, body in _SELECT_RE.findall(text)}
    if not m or not selects.get("fbtime") or not selects.get("area"):
        return []
    jsp = urljoin(url, m.group(1))
    return [
        Call(f"{jsp}?{urlencode({'fbtime': y, 'area': a})}", NAME)
        for y in selects["fbtime"]
        if y not in ("", "-1")
        for a in selects["area"]
    ]


def parse(body: str, call: Call) -> Page:
    return Page(generic.links(body, call.url))
