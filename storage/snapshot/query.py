"""What a snapshot holds: the filters and the as-of time, parsed once, written into the manifest."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from .bodies import RegistryEntry

LEVELS = ("county", "township", "department")
TEMPLATES = ("2019", "2021", "freeform")
CHECKS = ("passed", "failed")


class QueryError(ValueError):
    """A filter that cannot be read; the message names the option and a valid form."""


def utc_time(when: str) -> str:
    """A time as capture records write it (2025-01-01T00:00:00+00:00); a bare date or a time
    without zone is UTC."""
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        raise QueryError(
            f"as-of time {when!r} is not an ISO time; write 2025-01-01 or 2025-01-01T08:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_years(spec: str) -> tuple[int, ...]:
    """2019-2023, 2021 or 2019,2021 (ranges and lists may mix)."""
    years: set[int] = set()
    for part in spec.replace("，", ",").split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–~]\s*(\d{4}))?\s*", part)
        if not match:
            raise QueryError(f"--years {spec!r}: write 2019-2023, 2021 or 2019,2021")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            raise QueryError(
                f"--years {spec!r}: {first}-{last} runs backwards; write {last}-{first}"
            )
        years.update(range(first, last + 1))
    return tuple(sorted(years))


@dataclass(frozen=True)
class SnapshotQuery:
    years: tuple[int, ...] = ()  # empty: every year
    region: str = ""  # a 行政区划代码 prefix (digits) or part of the region's name
    level: str = ""  # county | township | department
    template: str = ""  # 2019 | 2021 | freeform
    checks: str = ""  # passed: no failed check C1–C8; failed: at least one
    as_of: str = ""  # the corpus as the store held it then (UTC ISO); "" = latest capture

    def __post_init__(self) -> None:
        for name, value, allowed in (
            ("level", self.level, LEVELS),
            ("template", self.template, TEMPLATES),
            ("checks", self.checks, CHECKS),
        ):
            if value and value not in allowed:
                raise QueryError(f"--{name} {value!r}: use one of {', '.join(allowed)}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["years"] = list(self.years)
        return d

    def window(self, found_years: Iterable[int]) -> list[int]:
        """The years a coverage gap is counted in: the filter's, else those the corpus spans."""
        if self.years:
            return list(self.years)
        found = sorted(found_years)
        return list(range(found[0], found[-1] + 1)) if found else []

    def region_matches(self, code: str, region: str) -> bool:
        if not self.region:
            return True
        if self.region.isdigit():
            return code.startswith(self.region)
        return self.region in region

    def body_matches(self, level: str, code: str, region: str) -> bool:
        """The filters that select bodies (for reports and for coverage gaps alike)."""
        return (not self.level or level == self.level) and self.region_matches(code, region)

    def entry_matches(self, entry: RegistryEntry) -> bool:
        return self.body_matches(entry.level, entry.code, entry.region)
