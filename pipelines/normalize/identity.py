"""report_year and org_name from the title, the opening text and the statistics period."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_YEAR = re.compile(r"((?:19|20)\d{2})年度?")
# Where the report's own name begins after the body's name ("…政府信息公开工作年度报告").
_REPORT_NAME = re.compile(r"(?:政府信息公开|政务信息公开|政务公开|信息公开)")
_TITLE_LABELS = ("标题", "名称")
_TITLE_END = re.compile(r"报告(?:\((?:19|20)\d{2}年度?\))?$")
# A title is one short line; longer lines are prose that mentions the report.
_MAX_TITLE = 60
# Statistics period: "自2020年1月1日起至12月31日止", "20201月1日至202012月31日" (dropped 年).
_PERIOD = re.compile(r"((?:19|20)\d{2})年?0?1月0?1日[起]?(?:至|到|-|—|~)((?:19|20)\d{2})?年?12月31日")
_OPENING_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:政府信息公开|政务公开|政务信息公开)")
_SIGNATURE = re.compile(r"^.{2,30}(?:人民政府|政府|局|委员会|办公室|办事处|镇|乡|街道)$")


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFKC", _BOOKMARK.sub("", line))
    return _SPACES.sub("", line)


@dataclass
class Identity:
    title: str | None = None
    report_year: int | None = None
    org_name: str | None = None
    flags: list[str] = field(default_factory=list)


def find_title(text: str) -> str | None:
    """The first heading-like line naming a year and a 报告; a title split over two lines joins."""
    lines = [line for line in text.splitlines()[:60] if _clean(line)]
    for i, raw in enumerate(lines):
        parts = [p for p in (_clean(x) for x in raw.split("|")) if p]
        if len(parts) >= 2 and parts[0] in _TITLE_LABELS:
            candidate = parts[1]
        elif len(parts) == 1:
            candidate = parts[0]
        else:
            continue
        if "报告" not in candidate and i + 1 < len(lines):
            following = _clean(lines[i + 1])
            if len(following) <= 6 and "报告" in candidate + following:
                candidate += following
        if _YEAR.search(candidate) and _TITLE_END.search(candidate) and len(candidate) <= _MAX_TITLE:
            return candidate
    return None


def title_parts(title: str) -> tuple[int | None, str | None]:
    """(year, org) from "顾县镇人民政府2020年…报告" or "2013年度谢塘镇…报告"."""
    title = _clean(title)
    match = _YEAR.search(title)
    if match is None:
        name = _REPORT_NAME.search(title)
        return None, (title[:name.start()] or None) if name else None
    org = title[:match.start()].removeprefix("关于")
    name = _REPORT_NAME.search(org)
    if name:  # "某局政府信息公开工作年度报告(2020年)": the year comes after the report's name
        org = org[:name.start()]
    elif not org:
        rest = title[match.end():]
        name = _REPORT_NAME.search(rest)
        org = rest[:name.start()] if name else ""
    return int(match.group(1)), org.rstrip("的") or None


def _signature(text: str) -> str | None:
    tail = [_clean(line) for line in text.splitlines() if _clean(line)][-6:]
    return next((line for line in reversed(tail) if _SIGNATURE.match(line)), None)


def identify(text: str, *, title: str | None, meta: dict) -> Identity:
    identity = Identity(title=title or meta.get("title") or find_title(text))
    year, org = title_parts(identity.title) if identity.title else (None, None)
    body = _clean(text[:20000])
    period = _PERIOD.search(body)
    period_year = int(period.group(1)) if period else None
    if year is None:
        year = period_year
        if year is None:
            opening = _OPENING_YEAR.search(body)
            year = int(opening.group(1)) if opening else None
    elif period_year is not None and period_year != year:
        identity.flags.append(f"title year {year} differs from statistics period year {period_year}; using the period")
        year = period_year
    identity.report_year = year
    identity.org_name = org or meta.get("publisher") or _signature(text)
    if identity.report_year is None:
        identity.flags.append("report year not found")
    if identity.org_name is None:
        identity.flags.append("org name not found")
    return identity
