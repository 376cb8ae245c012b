"""Who published a report: one name per body across years, its level, and its region.

A body names itself differently from year to year (顾县镇人民政府 in one title, 顾县镇 in the
next), so reports are grouped by `body_name`, the name without the 人民政府 of a government.
The level (county / township / department) is the registry's where the registry names the body
itself, else read off the name's ending; the region is that of the registry entry whose portal
the report was captured on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from reports import vocabulary

# Endings of the names of local governments, by level; anything else is a department
# (局, 委员会, 办公室, 中心 …).  The words live in reports/vocabulary.py.
PLACE_SUFFIXES = vocabulary.PLACE_SUFFIXES
GOVERNMENT = vocabulary.GOVERNMENT
_SPACE = re.compile(r"\s+")


def body_name(org_name: str) -> str:
    """The name a body's reports are grouped under: spaces dropped, and a local government
    without its 人民政府 (顾县镇人民政府 → 顾县镇; 云溪县人民政府办公室 stays)."""
    name = _SPACE.sub("", org_name)
    stem = name.removesuffix(GOVERNMENT)
    if stem != name and place_level(stem):
        return stem
    return name


def place_level(name: str) -> str | None:
    """county or township if the name is that of a local government (云溪县, 顾县镇), else None."""
    for suffix, level in PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return level
    return None


def level_of(body: str) -> str:
    return place_level(body) or "department"


@dataclass(frozen=True)
class RegistryEntry:
    """A registry site as the snapshot needs it: the body it names and where its reports are."""

    portal: str  # the registry name, as capture records write `portal`
    body: str  # the body the entry is for (body_name form), "" if the entry names none
    level: str
    region: str  # 浙江省 云溪县
    code: str  # 行政区划代码, "" when the registry gives none
    province: str
    hosts: tuple[str, ...]  # hosts (host:port) of its start URL and extra hosts


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower() if "//" in url else url.lower()


def registry_entries(extra_files: Iterable[str | Path] = ()) -> list[RegistryEntry]:
    """Every registry entry (crawler/sites.json and SITES_FILE files), read through
    crawler.registry: the one place that knows the registry's shape."""
    from crawler.registry import load_sites

    entries = []
    for site in load_sites(extra_files).values():
        parts = site.region.split()
        body = body_name(parts[-1]) if parts else ""
        province = (
            parts[0]
            if parts and parts[0].endswith(("省", "自治区", "市")) and len(parts) > 1
            else ""
        )
        entries.append(
            RegistryEntry(
                portal=site.name,
                body=body,
                level=site.level,
                region=site.region,
                code=getattr(site, "code", "") or "",
                province=province,
                hosts=tuple(_host(h) for h in (site.start_url, *site.hosts)),
            )
        )
    return sorted(entries, key=lambda e: e.portal)


class Registry:
    """Finds the registry entry of a capture (by portal name, else by host)."""

    def __init__(self, entries: list[RegistryEntry]):
        self.entries = entries
        self._by_portal = {e.portal: e for e in entries}
        self._by_host = {h: e for e in entries for h in e.hosts}

    def entry_for(self, portal: str | None, url: str) -> RegistryEntry | None:
        if portal and portal in self._by_portal:
            return self._by_portal[portal]
        host = _host(url)
        if host in self._by_host:
            return self._by_host[host]
        bare = host.split(":")[0]
        # A registry host without a port covers its subdomains (xxgk.xx.gov.cn under xx.gov.cn).
        return next(
            (
                e
                for h, e in self._by_host.items()
                if ":" not in h and (bare == h or bare.endswith("." + h))
            ),
            None,
        )
