"""Table 三's column order where the report does not show it (text dumps, header-less grids).

The official order ends with 总计; some reports list 总计 first (073). A dump cannot show a
multi-row header's layout, so the numbers decide where they can: if the rows add up only
with 总计 first, it is first. Where they add up either way (all zeros), what the header says
decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .layout import APPLICANT_ORDER
from .values import Reading

TOTAL_FIRST = APPLICANT_ORDER[-1:] + APPLICANT_ORDER[:-1]


def applicant_order(
    rows: Iterable[Sequence[Reading | None] | None], header_total_first: bool, flags: list[str]
) -> list[str]:
    """APPLICANT_ORDER or TOTAL_FIRST for rows of seven readings; a row with a gap is left out."""
    full = [
        [r.value for r in row if r is not None]
        for row in rows
        if row is not None and len(row) == len(APPLICANT_ORDER) and all(r is not None for r in row)
    ]
    last_ok = all(sum(v[:-1]) == v[-1] for v in full)
    first_ok = all(sum(v[1:]) == v[0] for v in full)
    if full and first_ok and not last_ok:
        flags.append("applications: 总计 read as the first column (only that order adds up)")
        return TOTAL_FIRST
    if header_total_first and not (last_ok and not first_ok):
        flags.append("applications: 总计 read as the first column (the header lists it first)")
        return TOTAL_FIRST
    return APPLICANT_ORDER
