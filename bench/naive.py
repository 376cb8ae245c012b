"""The naive baseline of issue 9: follow every same-host link (``<a href>``, ``<area href>``,
``<frame src>``, ``<iframe src>``) to depth 6, keep the pages whose ``<title>`` reads like an
annual report. Scored on generated portals against their
ground truth, so discovery has a number to beat.

    python -m bench.naive [--seeds 0-29]
"""

from __future__ import annotations

import argparse
import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from urllib.parse import urldefrag, urljoin, urlsplit

from simulator import Simulator
from simulator.procedural import generated_portals

MAX_DEPTH = 6
MAX_PAGES = 2000  # per portal: the naive crawler has no other brake on traps
_HREF = re.compile(
    rb"""<(?:a|area)\s[^>]*?href\s*=\s*["']?([^"'\s>]+)"""
    rb"""|<i?frame\s[^>]*?src\s*=\s*["']?([^"'\s>]+)""",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_REPORTISH = re.compile(r"年度报告|年报")


@dataclass
class NaiveResult:
    kept: set[str] = field(default_factory=set)
    pages: int = 0


def decode(body: bytes, content_type: str) -> str:
    for source in (content_type.encode(), body[:1024]):
        m = _CHARSET.search(source)
        if m:
            try:
                return body.decode(m.group(1).decode(), "strict")
            except (LookupError, UnicodeDecodeError):
                pass
    for codec in ("utf-8", "gb18030"):
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", "replace")


def crawl(root: str) -> NaiveResult:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    host = urlsplit(root).netloc
    out = NaiveResult()
    seen, queue = {root}, deque([(root, 0)])
    while queue and out.pages < MAX_PAGES:
        url, depth = queue.popleft()
        try:
            with opener.open(url, timeout=10) as resp:
                body, ctype = resp.read(), resp.headers.get("Content-Type", "")
        except (urllib.error.URLError, OSError):
            continue
        out.pages += 1
        if not ctype.startswith("text/html"):
            continue
        text = decode(body, ctype)
        title = _TITLE.search(text)
        if title and _REPORTISH.search(title.group(1)):
            out.kept.add(url)
        if depth >= MAX_DEPTH:
            continue
        for groups in _HREF.findall(body):
            href = b"".join(groups).decode("latin-1").replace("&amp;", "&")
            if href.startswith(("javascript:", "mailto:", "#")):
                continue
            link = urldefrag(urljoin(url, href))[0]
            if urlsplit(link).netloc == host and link not in seen:
                seen.add(link)
                queue.append((link, depth + 1))
    return out


def score(live, name: str, result: NaiveResult) -> tuple[int, int, int]:
    """(reports found, reports on the portal, false positives)."""
    reports = [r for r in live.reports if r.portal == name]
    spellings = {u: r.url for r in reports for u in (r.url, *r.aliases)}
    found = {spellings[u] for u in result.kept if u in spellings}
    return len(found), len(reports), len(result.kept - set(spellings))


def seed_range(text: str) -> range:
    first, _, last = text.partition("-")
    return range(int(first), int(last or first) + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.naive", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--seeds", default="0-29", help="seed range, e.g. 0-29 (default)")
    args = parser.parse_args(argv)
    names = generated_portals(seed_range(args.seeds))
    totals = [0, 0, 0, 0]
    with Simulator(portals=names).running() as live:
        for portal in live.portals:
            result = crawl(portal.root_url)
            found, total, false = score(live, portal.name, result)
            for i, v in enumerate((found, total, false, result.pages)):
                totals[i] += v
            mark = "" if found == total and not false else "  <- missed or false"
            print(
                f"{portal.name:<14} {found:3d}/{total:<3d} reports  {false:3d} false  "
                f"{result.pages:5d} pages{mark}"
            )
    found, total, false, pages = totals
    kept = found + false
    print(
        f"naive baseline on {len(names)} generated portals: recall {found / total:.1%} "
        f"({found}/{total}), precision {found / kept if kept else 0:.1%}, "
        f"{pages / found if found else float('inf'):.1f} pages per report found"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
