"""report_year and org_name from the title, the opening text and the statistics period.

The year a report covers is not the year it was published (re-published pages, titles named
after the publication year, titles copied from last year's report). Evidence, strongest first:

1. the statistics period ("本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止"), unless
   title and body agree on another year (a period sentence copied from last year's report);
2. the title's year, unless the body speaks overwhelmingly of another year (邹城市田黄镇:
   title 2020, every number of the body 2021);
3. without a title: the year the body speaks of most, or "2013年度政府信息公开…".

Any disagreement that changes the answer is flagged.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from reports.vocabulary import year as cn_year

from .patterns import (
    BARE_YEAR,
    BOOKMARK,
    CN_YEAR,
    COMPILED_BY,
    OPENING_YEAR,
    PERIOD,
    PERIOD_KEYWORD,
    PLANS_HEADING,
    REPORT_NAME,
    SIGNATURE,
    SPAM_NAME,
    TITLE_END,
    TITLE_LABELS,
    TITLE_ORG_AFFIXES,
    TITLE_PREFIX,
    YEAR,
)
from .tables import Record

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
# A title is one short line; longer lines are prose that mentions the report.
_MAX_TITLE = 60
# Lines searched for a title at the top of a text (site chrome and metadata come first).
_TITLE_LINES = 60
# Characters of the body read for the year and the period (the opening sections).
_BODY_CHARS = 20_000
# The body overrides the title's year only when it names its own year at least this often,
# and this many times as often as the title's year.
_BODY_YEAR_MIN = 3
_BODY_YEAR_RATIO = 3


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFKC", BOOKMARK.sub("", line))
    line = CN_YEAR.sub(lambda m: str(cn_year(m.group(0)) or m.group(0)), line)
    return _SPACES.sub("", line)


@dataclass
class Identity:
    title: str | None = None
    report_year: int | None = None
    org_name: str | None = None
    flags: list[str] = field(default_factory=list)
    title_year: int | None = None
    period_year: int | None = None  # the year of the statistics period sentence, if any


def find_title(text: str) -> str | None:
    """The first heading-like line naming a year and a 报告; a title split over two lines joins."""
    lines = [line for line in text.splitlines()[:_TITLE_LINES] if _clean(line)]
    for i, raw in enumerate(lines):
        parts = [p for p in (_clean(x) for x in raw.split("|")) if p]
        if len(parts) >= 2 and parts[0] in TITLE_LABELS:
            candidate = parts[1]
        elif len(parts) == 1:
            candidate = TITLE_PREFIX.sub("", parts[0])
        else:
            continue
        if not TITLE_END.search(candidate) and i + 1 < len(lines):
            following = _clean(lines[i + 1])
            if len(following) <= 6 and TITLE_END.search(candidate + following):
                candidate += following
        if YEAR.search(candidate) and TITLE_END.search(candidate) and len(candidate) <= _MAX_TITLE:
            if i and title_parts(candidate)[1] is None:  # the body's name on the line above
                above = TITLE_PREFIX.sub("", _clean(lines[i - 1]))
                if SIGNATURE.match(above) and not YEAR.search(above) and ":" not in above:
                    candidate = above + candidate
            return candidate
    return None


def _strip_affixes(org: str) -> str:
    for affix in TITLE_ORG_AFFIXES:
        org = org.removeprefix(affix).removesuffix(affix)
    return org.rstrip("的")


def title_parts(title: str) -> tuple[int | None, str | None]:
    """(year, org) from "顾县镇人民政府2020年…报告" or "2013年度谢塘镇…报告"."""
    title = _clean(title)
    match = YEAR.search(title)
    if match is None:
        name = REPORT_NAME.search(title)
        return None, (_strip_affixes(title[: name.start()]) or None) if name else None
    org = _strip_affixes(title[: match.start()])
    name = REPORT_NAME.search(org)
    if name:  # "某局政府信息公开工作年度报告(2020年)": the year comes after the report's name
        org = org[: name.start()]
    elif not org:
        rest = title[match.end() :]
        name = REPORT_NAME.search(rest)
        org = _strip_affixes(rest[: name.start()]) if name else ""
    return int(match.group(1)), org or None


def period_year(body: str) -> int | None:
    """The year of the statistics period, if the text states one."""
    match = PERIOD.search(body)
    if match:  # where the two years disagree one is a typo; the start is 1 January of the year
        return int(match.group(1))
    match = PERIOD_KEYWORD.search(body)
    return int(match.group(1)) if match else None


def body_years(body: str) -> Counter[int]:
    """How often the body names each year as the year it reports on, before its plans."""
    plans = PLANS_HEADING.search(body)
    return Counter(
        int(m.group(1)) for m in BARE_YEAR.finditer(body[: plans.start()] if plans else body)
    )


# The signature block is among the last lines of the report.
_SIGNATURE_LINES = 6


def _signature(text: str) -> str | None:
    tail: list[str] = []
    for line in reversed(text.splitlines()):
        cleaned = _clean(line)
        if cleaned:
            tail.append(cleaned)
            if len(tail) == _SIGNATURE_LINES:
                break
    return next((line for line in tail if SIGNATURE.match(line)), None)


def _dominant(counts: Counter[int], over: int) -> bool:
    """The body names ``over``'s rival so rarely that ``over`` is clearly its year."""
    n = counts[over]
    return n >= _BODY_YEAR_MIN and all(
        n >= _BODY_YEAR_RATIO * c for year, c in counts.items() if year != over
    )


def _year(identity: Identity, title_year: int | None, body: str) -> int | None:
    stated = period_year(body)
    identity.title_year, identity.period_year = title_year, stated
    counts = body_years(body)
    if stated is not None:
        if title_year is not None and stated != title_year:
            if _dominant(
                counts, title_year
            ):  # the period sentence was copied from last year's report
                identity.flags.append(
                    f"statistics period year {stated} differs from the title and the body "
                    f"({title_year}); using the title"
                )
                return title_year
            identity.flags.append(
                f"title year {title_year} differs from statistics period year "
                f"{stated}; using the period"
            )
        return stated
    if title_year is not None:
        if counts:
            common = counts.most_common(1)[0][0]
            if common != title_year and _dominant(counts, common):
                identity.flags.append(
                    f"title year {title_year} differs from the year the body "
                    f"reports on ({common}); using the body"
                )
                return common
        return title_year
    opening = OPENING_YEAR.search(body)
    if opening:
        return int(opening.group(1))
    return counts.most_common(1)[0][0] if counts else None


# The national forms and the report years they were in use for (docs/report-templates.md §1): the
# 2021 form from the 2021 reports on; the 2019 form for 2019 and 2020 (some 2021 reports kept
# it, so it says nothing against a later year); neither before 2019.
FORM_YEARS = {"2021": (2021, None), "2019": (2019, 2020)}


def form_agrees(template: str, year: int) -> bool | None:
    """Whether a table of ``template``'s form fits a report on ``year``; None if it cannot tell."""
    if template not in FORM_YEARS:
        return None
    first, last = FORM_YEARS[template]
    if year < first:
        return False
    return True if last is None or year <= last else None


def settle_year(identity: Identity, template: str, labelled: bool) -> None:
    """A statistics period that beat the title loses when the tables' form agrees with the
    title's year and not with the period's (a period sentence copied from last year's report)."""
    title, period = identity.title_year, identity.period_year
    if (
        not labelled
        or title is None
        or period is None
        or identity.report_year != period
        or title == period
    ):
        return
    if form_agrees(template, title) is True and form_agrees(template, period) is False:
        identity.report_year = title
        identity.flags = [
            f for f in identity.flags if not f.startswith(f"title year {title} differs")
        ]
        identity.flags.append(
            f"report_year {title} from the title: the statistics period says {period}, "
            f"but the tables are of the {template} form, used from {FORM_YEARS[template][0]}"
        )


def identify(text: str, *, title: str | None, meta: Record) -> Identity:
    identity = Identity(title=title or meta.get("title") or find_title(text))
    year, org = title_parts(identity.title) if identity.title else (None, None)
    body = _clean(text[:_BODY_CHARS])
    if identity.title:
        body = body.replace(_clean(identity.title), "", 1)
    identity.report_year = _year(identity, year, body)
    compiled = COMPILED_BY.search(body)
    names = [org, meta.get("publisher"), compiled.group(1) if compiled else None, _signature(text)]
    if any(name and SPAM_NAME.search(name) for name in names):
        identity.flags.append("org name replaced by spam phrases (mirror page); not trusted")
    identity.org_name = next((name for name in names if name and not SPAM_NAME.search(name)), None)
    if identity.report_year is None:
        identity.flags.append("report year not found")
    if identity.org_name is None:
        identity.flags.append("org name not found")
    return identity
