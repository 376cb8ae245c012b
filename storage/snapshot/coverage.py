"""Coverage: which regions and years the snapshot has reports for, and which are missing.

A gap is a year of the window without a report of a body that is expected to report: it has
reports in other years, or the registry names it.  The heatmap is regions × years, one cell
per report count; its pixel size follows from the number of regions and years
(`figure_size`), so a reader (and a test) can tell what it should look like.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .bodies import RegistryEntry
from .query import SnapshotQuery
from .select import Candidate

DPI = 100
AXES_KEY = "nianbao-heatmap-axes"  # PNG text chunk: {"rows": [region codes], "columns": [years]}
CELL_INCHES = (0.9, 0.5)  # one year × one region
MARGIN_INCHES = (2.2, 1.4)  # labels, title, colour bar


def coverage_counts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """(region code, region, year) → reports, from reports rows."""
    counts = Counter((r["region_code"] or r["portal"], r["region"], r["report_year"]) for r in rows)
    return [
        {"region_code": code, "region": region, "year": year, "reports": n}
        for (code, region, year), n in sorted(counts.items())
    ]


def gaps(
    bodies: Iterable[Candidate],
    entries: Iterable[RegistryEntry],
    query: SnapshotQuery,
    window: list[int],
) -> list[dict[str, Any]]:
    years_of: dict[str, set[int]] = {}
    about: dict[str, Candidate] = {}
    for c in bodies:
        years_of.setdefault(c.body_id, set()).add(c.year)
        about.setdefault(c.body_id, c)
    out = []
    for body_id in sorted(years_of):
        c, found = about[body_id], years_of[body_id]
        if not query.body_matches(c.level, c.code, c.region):
            continue
        seen = ", ".join(str(y) for y in sorted(found))
        out += [
            {
                "body_id": body_id,
                "body": c.body,
                "level": c.level,
                "region": c.region,
                "region_code": c.code,
                "year": year,
                "reason": f"reports for {seen}",
            }
            for year in window
            if year not in found
        ]
    known = {(c.code, c.body) for c in about.values()} | {
        (c.portal, c.body) for c in about.values()
    }
    for e in entries:
        if (
            not e.body
            or (e.code, e.body) in known
            or (e.portal, e.body) in known
            or not query.entry_matches(e)
        ):
            continue
        out += [
            {
                "body_id": f"{e.code or e.portal}/{e.body}",
                "body": e.body,
                "level": e.level,
                "region": e.region,
                "region_code": e.code,
                "year": year,
                "reason": f"in the registry ({e.portal}); no report found",
            }
            for year in window
        ]
    return sorted(out, key=lambda g: (g["body_id"], g["year"]))


def figure_size(n_regions: int, n_years: int) -> tuple[int, int]:
    """The heatmap's width and height in pixels."""
    width = MARGIN_INCHES[0] + CELL_INCHES[0] * max(n_years, 1)
    height = MARGIN_INCHES[1] + CELL_INCHES[1] * max(n_regions, 1)
    return round(width * DPI), round(height * DPI)


def heatmap_data(
    counts: list[dict[str, Any]], years: list[int]
) -> tuple[list[str], list[int], list[list[int]]]:
    """(row labels, years, counts[row][year]) of the heatmap.  Labels are region codes (ASCII:
    the plot needs no CJK font); the README maps them to names."""
    labels = sorted({c["region_code"] for c in counts})
    cols = sorted(set(years) | {c["year"] for c in counts})
    grid = [[0] * len(cols) for _ in labels]
    for c in counts:
        grid[labels.index(c["region_code"])][cols.index(c["year"])] += c["reports"]
    return labels, cols, grid


def plot_heatmap(
    path: str | Path, labels: list[str], years: list[int], grid: list[list[int]]
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    width, height = figure_size(len(labels), len(years))
    fig, ax = plt.subplots(figsize=(width / DPI, height / DPI), dpi=DPI)
    image = ax.imshow(grid or [[0]], cmap="YlGnBu", aspect="auto", vmin=0)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(labels)), labels)
    peak = max((v for row in grid for v in row), default=0)
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            ax.text(
                j,
                i,
                str(value),
                ha="center",
                va="center",
                color="white" if peak and value > peak / 2 else "black",
                fontsize=9,
            )
    ax.set_xlabel("report year")
    ax.set_ylabel("region (code)")
    ax.set_title("reports per region and year")
    fig.colorbar(image, ax=ax, fraction=0.05)
    fig.tight_layout()
    # No timestamps or versions in the file, so the same data gives the same bytes; the axes
    # ride along as a PNG text chunk, for a reader (or a test) to check the picture against.
    axes = json.dumps({"rows": labels, "columns": years}, separators=(",", ":"))
    fig.savefig(path, dpi=DPI, metadata={"Software": None, AXES_KEY: axes})
    plt.close(fig)
