"""The one site builder: a seeded random stream, article ids, and the columns and articles of a
``Site``.

The hand-built counties (sites.py), the fixture-matrix counties (lite.py) and the deep archives
(deep.py) differ in their structure, titles and header cells, which their subclasses say. How an
article gets its id and its place in the site's columns, whether a unit files a report in a
given year, and the final newest-first order of every column are this one mechanism.

Every draw comes from ``self.rng`` in a fixed order, so a build is identical on every run.
The generated portals (simulator/procedural/) are drawn differently, as a graph of pages from
their own wider tables, and do not use this builder.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .model import Article, Column, Site


@dataclass
class Unit:
    """A body that files reports: the county, a township or a department."""

    name: str  # as titles use it
    full: str  # the body's full name
    kind: str  # county | township | department
    code: str = ""  # the stem of its 索引号 (credit or org code), or its platform id
    slug: str = ""
    column: Column | None = None  # where its reports are listed
    seeds: dict = field(default_factory=dict)  # {year: seed key} of the real reports it files
    index: int = 0  # 0 for the county, then townships, then departments


class SiteBuilder:
    """Draws one site. Subclasses lay out the structure and write the articles' headers."""

    #: how far apart successive article ids are drawn (inclusive)
    id_step: tuple[int, int] = (3, 60)
    #: the range of an article's view count, or None when the portal shows none
    views: tuple[int, int] | None = (30, 3000)

    def __init__(self, seed: str, site: Site, first_id: int) -> None:
        self.rng = random.Random(seed)
        self.site = site
        self.next_id = first_id

    def new_id(self) -> int:
        self.next_id += self.rng.randint(*self.id_step)
        return self.next_id

    def draw_views(self) -> int:
        return self.rng.randint(*self.views) if self.views else 0

    def add_column(self, column: Column) -> Column:
        self.site.columns[column.key] = column
        return column

    def add(self, art: Article, listed_in: list[Column]) -> Article:
        """Put an article in the site and at the end of each column that lists it."""
        for column in listed_in:
            column.entries.append(art)
        return self.site.add_article(art)

    def files_in(self, unit: Unit, skip: float, *, must: bool = False) -> bool:
        """Whether ``unit`` files a report this year: a county always does, another body skips a
        year with probability ``skip`` unless it ``must`` (a seed or an injected error is due)."""
        return must or unit.kind == "county" or self.rng.random() >= skip

    def finish(self) -> Site:
        """Every column lists newest first, as portals do."""
        for column in self.site.columns.values():
            column.entries.sort(key=lambda a: (a.published, a.path), reverse=True)
        return self.site


def unit_column(unit: Unit) -> Column:
    """The column that lists ``unit``'s reports; a builder places every unit before it files."""
    assert unit.column is not None, f"{unit.full} has no column yet"
    return unit.column
