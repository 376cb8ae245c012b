"""The site registry: every county-level government of China, and the sites a user adds.

Two kinds of entry, one ``Site`` shape:

* **county-level divisions** (``counties.csv`` beside this module, validated against
  ``county.schema.json``; sources and licences per column in ``sources.json``): the 6-digit
  GB/T 2260 code (the entry's name), the division's name and kind (市辖区, 县级市, 县, 自治县,
  旗, 自治旗, 特区, 林区), its prefecture and province, and the portal root where a public list
  gives one (``url`` empty otherwise: such an entry is listed but not crawled).
* **extra sites** from ``SITES_FILE`` (a JSON list, or ``{"sites": [...]}``): ``name``,
  ``start_url``, ``region``, ``level`` (county / township / department), ``family`` (one of
  ``crawler.families.FAMILIES``, or empty for detection), optional ``robots`` (false: do not obey
  robots.txt; then ``robots_reason`` must say why, and the run summary shows it), ``hosts``
  (more hosts the portal's reports live on, subdomains included), ``code`` (a GB/T 2260 code,
  so that ``region`` selects the entry) and ``note``.  An extra site with a county's code or
  name replaces that county's entry; the simulator's portals come in this way.

``select(region=, level=, site=)`` is what ``-a region=37``, ``-a level=county`` and
``-a site=NAME`` of the ``portal`` spider and ``scrapy sites`` resolve through.  What a crawl
learned of each entry (family, robots.txt, the root's last status) is kept apart, in the state
file of ``crawler.registry.state``.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..families import FAMILIES

HERE = Path(__file__).parent
COUNTIES_FILE = HERE / "counties.csv"
SCHEMA_FILE = HERE / "county.schema.json"
SOURCES_FILE = HERE / "sources.json"
COUNTY_COLUMNS = [
    "code",
    "name",
    "kind",
    "province_code",
    "province",
    "prefecture_code",
    "prefecture",
    "url",
    "note",
]
LEVELS = ("county", "township", "department")
# County-level kinds by the end of the name, longest first (自治旗 before 旗, 自治县 before 县).
# 林区 only for a division the province governs directly (神农架林区): 万柏林区 is a 市辖区.
KINDS = (
    ("自治旗", "自治旗"),
    ("自治县", "自治县"),
    ("特区", "特区"),
    ("林区", "林区"),
    ("旗", "旗"),
    ("县", "县"),
    ("区", "市辖区"),
    ("市", "县级市"),
)
_REGION = re.compile(r"\d{2}(?:\d{2}){0,2}")


def kind_of(name: str, code: str) -> str | None:
    """The county-level kind a division's name says (``历城区`` → ``市辖区``), or None."""
    for suffix, kind in KINDS:
        if kind == "林区" and code[2:4] != "90":
            continue
        if name.endswith(suffix):
            return kind
    return None


class UnknownSiteError(KeyError):
    """Raised for a name that is in no registry; the message names close candidates."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class RegistryError(ValueError):
    """The registry data (counties.csv or a SITES_FILE) is broken: the message says where."""


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
    code: str = ""  # GB/T 2260 code, for a county-level entry or an extra site that has one
    title: str = ""  # the division's own name (历城区); ``name`` is its code
    kind: str = ""  # 市辖区, 县级市, 县, 自治县, 旗, 自治旗, 特区, 林区
    province: str = ""
    prefecture: str = ""

    @classmethod
    def from_dict(cls, d: dict, source: str) -> Site:
        missing = [k for k in ("name", "start_url") if not d.get(k)]
        if missing:
            raise RegistryError(f"{source}: entry {d!r} lacks {', '.join(missing)}")
        family = d.get("family") or None
        if family is not None and family not in FAMILIES:
            raise RegistryError(
                f"{source}: site {d['name']!r} has family {family!r}; "
                f"use one of {', '.join(FAMILIES)} or leave it empty"
            )
        level = d.get("level") or "county"
        if level not in LEVELS:
            raise RegistryError(
                f"{source}: site {d['name']!r} has level {level!r}; use {', '.join(LEVELS)}"
            )
        reason = (d.get("robots_reason") or "").strip()
        if d.get("robots") is False and not reason:
            raise RegistryError(
                f"{source}: site {d['name']!r} turns robots.txt off without a "
                f'reason; add "robots_reason": "why this portal\'s robots.txt '
                f'is not obeyed"'
            )
        code = str(d.get("code") or "")
        if code and not re.fullmatch(r"\d{6}", code):
            raise RegistryError(
                f"{source}: site {d['name']!r} has code {code!r}; "
                f"use a 6-digit GB/T 2260 code or leave it out"
            )
        return cls(
            name=d["name"],
            start_url=d["start_url"],
            region=d.get("region", ""),
            level=level,
            family=family,
            robots=d.get("robots"),
            robots_reason=reason,
            hosts=tuple(d.get("hosts") or ()),
            note=d.get("note", ""),
            code=code,
            title=d.get("title", ""),
            kind=d.get("kind", ""),
            province=d.get("province", ""),
            prefecture=d.get("prefecture", ""),
        )

    def as_json(self) -> dict[str, Any]:
        """The entry as ``scrapy sites`` prints it."""
        out: dict[str, Any] = {
            "code": self.code or None,
            "name": self.title or self.name,
            "site": self.name,
            "level": self.level,
            "kind": self.kind or None,
            "province": self.province or None,
            "prefecture": self.prefecture or None,
            "url": self.start_url or None,
        }
        if self.family:
            out["family"] = self.family
        if self.note:
            out["note"] = self.note
        return out


# ------------------------------------------------------------------------- county-level entries


@lru_cache(maxsize=1)
def _schema_validator():
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def validate_counties(rows: list[dict[str, str]], source: str) -> None:
    """Each row against the schema, then across rows: unique codes, parents that fit the code."""
    validator = _schema_validator()
    seen: set[str] = set()
    provinces: dict[str, str] = {}
    prefectures: dict[str, str] = {}
    for n, row in enumerate(rows, 2):  # line 1 is the header
        errors = sorted(validator.iter_errors(row), key=lambda e: list(e.path))
        if errors:
            err = errors[0]
            where = ".".join(str(p) for p in err.path) or "row"
            raise RegistryError(f"{source}:{n}: {where}: {err.message}")
        code = row["code"]
        if code in seen:
            raise RegistryError(f"{source}:{n}: code {code} appears twice; keep one row per code")
        seen.add(code)
        if row["province_code"] != code[:2] + "0000" or row["prefecture_code"] != code[:4] + "00":
            raise RegistryError(
                f"{source}:{n}: {code} {row['name']}: province_code/prefecture_code "
                f"must be the code's first 2/4 digits padded with zeros"
            )
        if kind_of(row["name"], code) != row["kind"]:
            raise RegistryError(
                f"{source}:{n}: {code} {row['name']} has kind {row['kind']!r}; "
                f"its name says {kind_of(row['name'], code)!r}"
            )
        for table, key, value in (
            (provinces, row["province_code"], row["province"]),
            (prefectures, row["prefecture_code"], row["prefecture"]),
        ):
            if table.setdefault(key, value) != value:
                raise RegistryError(
                    f"{source}:{n}: {key} is named {value!r} here and "
                    f"{table[key]!r} above; one name per code"
                )


def read_counties(path: Path = COUNTIES_FILE) -> list[dict[str, str]]:
    """The rows of a counties file, validated (RegistryError names the line at fault)."""
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COUNTY_COLUMNS:
            raise RegistryError(
                f"{path}: header is {reader.fieldnames}; expected {','.join(COUNTY_COLUMNS)}"
            )
        rows = list(reader)
    validate_counties(rows, str(path))
    return rows


def county_site(row: dict[str, str]) -> Site:
    region = " ".join(dict.fromkeys((row["province"], row["prefecture"], row["name"])))
    return Site(
        name=row["code"],
        start_url=row["url"],
        region=region,
        level="county",
        note=row["note"],
        code=row["code"],
        title=row["name"],
        kind=row["kind"],
        province=row["province"],
        prefecture=row["prefecture"],
    )


@lru_cache(maxsize=4)
def _load_counties(path: str, mtime: float) -> tuple[Site, ...]:
    return tuple(county_site(row) for row in read_counties(Path(path)))


def load_counties(path: Path = COUNTIES_FILE) -> tuple[Site, ...]:
    """Every county-level entry, validated once per version of the file."""
    return _load_counties(str(path), path.stat().st_mtime)


# ------------------------------------------------------------------------- all sites, selection


def _read_sites_file(path: Path) -> list[Site]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RegistryError(
            f"SITES_FILE {path}: cannot be read as JSON ({exc}); give a JSON list of site entries"
        ) from None
    if isinstance(data, dict):  # also accept {"sites": [...]}
        data = data.get("sites", [])
    return [Site.from_dict(entry, str(path)) for entry in data]


def load_sites(extra: Iterable[str | Path] = ()) -> dict[str, Site]:
    """All sites by name: the county-level entries, then each ``extra`` file in order."""
    sites: dict[str, Site] = {site.name: site for site in load_counties()}
    for path in extra:
        if not path:
            continue
        for site in _read_sites_file(Path(path)):
            # an extra site with a county's code takes that county's place
            if site.code and site.code in sites and site.code != site.name:
                del sites[site.code]
            sites[site.name] = site
    return sites


def lookup(name: str, sites: dict[str, Site]) -> Site:
    """A site by its name (a county's code), a county's own name when only one county has it,
    or its name with the prefecture and/or province before it (济南市历城区)."""
    if name in sites:
        return sites[name]
    matches = [
        s
        for s in sites.values()
        if s.title
        and name
        in (
            s.title,
            s.prefecture + s.title,
            s.province + s.title,
            s.province + s.prefecture + s.title,
        )
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownSiteError(
            f"site {name!r} is ambiguous: "
            + ", ".join(f"{s.name} ({s.region})" for s in matches)
            + "; give the code or the prefecture's name before it"
        )
    close = sorted(n for n in sites if not n.isdigit())[:20]
    raise UnknownSiteError(
        f"unknown site {name!r}: give a 6-digit county code or a county's name "
        f"(scrapy sites lists them); known sites: {', '.join(close) or '(none)'}"
    )


def get_site(name: str, extra: Iterable[str | Path] = ()) -> Site:
    return lookup(name, load_sites(extra))


def split_arg(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def select(
    region: str | None = None,
    level: str | None = None,
    site: str | None = None,
    extra: Iterable[str | Path] = (),
) -> list[Site]:
    """The entries a crawl or ``scrapy sites`` works on: in code order (sites without a code
    after), or with ``site`` in the order named.

    ``region``: GB/T 2260 prefixes, comma-separated (``37`` a province, ``3701`` a prefecture,
    ``370112`` one county).  ``level``: a registry level (county / township / department) or a
    county-level kind (县, 市辖区, 县级市, 自治县, 旗, 自治旗, 特区, 林区).  ``site``: names as
    ``lookup`` takes them.  Given together, an entry must pass each.
    """
    sites = load_sites(extra)
    if site:
        chosen = list(dict.fromkeys(lookup(name, sites) for name in split_arg(site)))
    else:
        chosen = sorted(sites.values(), key=lambda s: (not s.code, s.code, s.name))
    prefixes = split_arg(region)
    for prefix in prefixes:
        if not _REGION.fullmatch(prefix):
            raise ValueError(
                f"region {prefix!r}: give a GB/T 2260 prefix of 2, 4 or 6 digits "
                f"(37 山东省, 3701 济南市, 370112 历城区)"
            )
    if prefixes:
        chosen = [s for s in chosen if s.code and s.code.startswith(tuple(prefixes))]
    if level:
        kinds = {kind for _, kind in KINDS}
        if level not in LEVELS and level not in kinds:
            raise ValueError(
                f"level {level!r}: use one of {', '.join(LEVELS)} or a county-level "
                f"kind ({', '.join(sorted(kinds))})"
            )
        chosen = [s for s in chosen if level in (s.level, s.kind)]
    return chosen
