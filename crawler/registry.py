"""The site registry: ``crawler/sites.json`` plus an optional ``SITES_FILE`` (same shape).

Each entry: ``name``, ``region``, ``level`` (county / township / department), ``start_url``,
``family`` (one of ``crawler.families.FAMILIES``, or empty for detection), optional ``robots`` (false: do
not obey robots.txt for this portal; then ``robots_reason`` must say why, in writing, and the
reason is recorded in every run summary that crawls the portal), optional ``code`` (the region's 行政区划代码), optional ``hosts`` (more hosts the portal's reports live
on, e.g. a provincial 信息公开 platform; subdomains included) and a ``note``.  ``-a site=NAME`` looks a name up here; entries from ``SITES_FILE`` override the
built-in ones of the same name, which is how the demo registers simulator portals.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .families import FAMILIES

BUILTIN_SITES = Path(__file__).with_name("sites.json")
LEVELS = ("county", "township", "department")


class UnknownSiteError(KeyError):
    """Raised for a name that is in no registry file; the message lists the known names."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


@dataclass(frozen=True)
class Site:
    name: str
    start_url: str
    region: str = ""
    level: str = "county"
    family: str | None = None
    robots: bool | None = None
    robots_reason: str = ""
    hosts: tuple[str, ...] = ()
    note: str = ""
    code: str = ""  # 行政区划代码 of the region (6 digits for a county), when known

    @classmethod
    def from_dict(cls, d: dict, source: str) -> "Site":
        missing = [k for k in ("name", "start_url") if not d.get(k)]
        if missing:
            raise ValueError(f"{source}: entry {d!r} lacks {', '.join(missing)}")
        family = d.get("family") or None
        if family is not None and family not in FAMILIES:
            raise ValueError(f"{source}: site {d['name']!r} has family {family!r}; "
                             f"use one of {', '.join(FAMILIES)} or leave it empty")
        level = d.get("level") or "county"
        if level not in LEVELS:
            raise ValueError(f"{source}: site {d['name']!r} has level {level!r}; use {', '.join(LEVELS)}")
        reason = (d.get("robots_reason") or "").strip()
        if d.get("robots") is False and not reason:
            raise ValueError(f"{source}: site {d['name']!r} turns robots.txt off without a reason; "
                             f"add \"robots_reason\": \"why this portal's robots.txt is not obeyed\"")
        return cls(name=d["name"], start_url=d["start_url"], region=d.get("region", ""),
                   level=level, family=family, robots=d.get("robots"), robots_reason=reason,
                   hosts=tuple(d.get("hosts") or ()), note=d.get("note", ""), code=str(d.get("code") or ""))


def load_sites(extra: Iterable[str | Path] = ()) -> dict[str, Site]:
    """All sites by name: the built-in registry, then each ``extra`` file in order."""
    sites: dict[str, Site] = {}
    for path in (BUILTIN_SITES, *[Path(p) for p in extra if p]):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if isinstance(data, dict):  # also accept {"sites": [...]}
            data = data.get("sites", [])
        for entry in data:
            site = Site.from_dict(entry, str(path))
            sites[site.name] = site
    return sites


def get_site(name: str, extra: Iterable[str | Path] = ()) -> Site:
    sites = load_sites(extra)
    try:
        return sites[name]
    except KeyError:
        raise UnknownSiteError(
            f"unknown site {name!r}; known sites: {', '.join(sorted(sites)) or '(none)'}"
        ) from None
