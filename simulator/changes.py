"""Portals that change between two crawls: reports published, edited and taken down.

    changes = apply_changes(sites, added=5, edited=3, removed=2, seed=0)
    changes.added / .edited / .removed       # [(portal, path)], what a re-crawl must report

The choice is seeded, so the same call on the same sites changes the same reports.  What a
change does to the served pages is what real portals do:

* added: a report of the next year (2025) for a body that has reports, at the top of its
  column's listing, on a path of its own;
* edited: the page text of a report changes (a correction note at the top of its body), and
  its Last-Modified moves on; attachments stay as they were;
* removed: the report leaves every listing and its URL answers 404, its files too; or
  (gone_as="soft-404") it stays listed and its URL answers 200 with a "page does not exist"
  page, as many CMSs do.

Only reports whose page carries the report are edited or removed (a page that only links
its PDF would need its file edited instead), so every change is visible in the page bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .model import Article, Site

NEW_YEAR = 2025
CORRECTION = "（本报告于{day:%Y年%-m月%-d日}更正：第{n}项数据经复核后修订。）"


@dataclass
class ChangeSet:
    added: list[tuple[str, str]] = field(default_factory=list)  # (portal, path)
    edited: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


def _reports(site: Site) -> list[Article]:
    return sorted(
        (
            a
            for a in site.articles.values()
            if a.report is not None and a.kind == "report" and not a.files_only
        ),
        key=lambda a: a.path,
    )


def _families():
    from .sites import FAMILIES  # the family modules own their path layouts

    return FAMILIES


def apply_changes(
    sites: list[Site],
    *,
    added: int = 0,
    edited: int = 0,
    removed: int = 0,
    seed: int = 0,
    gone_as: str = "404",
) -> ChangeSet:
    if gone_as not in ("404", "soft-404"):
        raise ValueError(f"gone_as={gone_as!r}: use 404 or soft-404")
    rng = random.Random(f"nianbao-simulator-changes-{seed}")
    pool = [(site, art) for site in sites for art in _reports(site)]
    # Each report is touched once: edits and removals never fall on the same page.
    picked = rng.sample(pool, edited + removed) if edited + removed else []
    out = ChangeSet()
    for n, (site, art) in enumerate(picked[:edited], start=1):
        _edit(art, n)
        out.edited.append((site.name, art.path))
    for site, art in picked[edited:]:
        _remove(site, art, listed=gone_as == "soft-404")
        out.removed.append((site.name, art.path))
    # New reports follow the latest report of bodies that have one (no body gets two).
    latest: dict[tuple[str, str], tuple[Site, Article]] = {}
    for site, art in pool:
        key = (site.name, art.report.org_name if art.report else "")
        if key not in latest or art.report.report_year > latest[key][1].report.report_year:  # type: ignore[union-attr]
            latest[key] = (site, art)
    bodies = [v for k, v in sorted(latest.items()) if v[1].path not in {p for _, p in out.removed}]
    for site, art in rng.sample(bodies, min(added, len(bodies))):
        new = _publish(site, art, rng)
        out.added.append((site.name, new.path))
    return out


def _edit(art: Article, n: int) -> None:
    assert art.report is not None
    day = (art.modified or art.published) + timedelta(days=30)
    art.report = replace(
        art.report, preamble=[CORRECTION.format(day=day, n=n), *art.report.preamble]
    )
    art.modified = day


def _remove(site: Site, art: Article, listed: bool = False) -> None:
    site.articles.pop(art.path, None)
    if listed:  # still linked from its listings, its page now says it does not exist
        site.soft_gone.add(art.path)
    else:
        for column in site.columns.values():
            column.entries = [a for a in column.entries if a is not art]
    for file in art.files:
        site.files.pop(file.path, None)


def _publish(site: Site, template: Article, rng: random.Random) -> Article:
    """A report of NEW_YEAR for the body of `template`, first in its column."""
    assert template.report is not None and template.column is not None
    old_year = template.report.report_year
    published = date(NEW_YEAR + 1, 1, rng.randint(5, 28))
    fam = _families()[site.family]
    ids = [
        int(m.group(1))
        for a in site.articles.values()
        for m in [re.search(r"_(\d+)\.html$", a.path)]
        if m
    ]
    path = fam.article_path(template.column, published, max(ids, default=1000) + rng.randint(3, 60))

    def year(text: str) -> str:
        return text.replace(str(old_year), str(NEW_YEAR))

    report = replace(
        template.report,
        report_year=NEW_YEAR,
        preamble=[year(p) for p in template.report.preamble],
        sections=[[year(p) for p in section] for section in template.report.sections],
    )
    header = {
        k: (published if isinstance(v, date) else year(v) if isinstance(v, str) else v)
        for k, v in template.header.items()
    }
    art = replace(
        template,
        path=path,
        title=year(template.title),
        published=published,
        header=header,
        report=report,
        files=[],
        files_only=False,
        modified=None,
        absolute_link=False,
    )
    template.column.entries.insert(0, art)
    site.add_article(art)
    return art
