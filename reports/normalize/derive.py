"""Cells the report's own arithmetic determines: filled in and marked ``derived`` in flags.

The sums of checks C1, C2, C3 and C5–C7 are equations between cells, and every cell of tables
三 and 四 is a count (never negative).  A null cell is filled only where that leaves one
answer:

* it is the one unknown of an equation: it is the difference (the blank of a row whose
  total and other cells are printed);
* the known side of an equation already equals the sum of the other side's known cells:
  every unknown on that side is 0 (each cell of a row whose total is 0; each result row's
  cell in a column whose 总计 is 0, as in seed 000).

Nothing else is ever guessed.  A row left null because its printed values had no places
(``Tables.printed``) keeps its derived cells only if its printed values are among them.
"""

from __future__ import annotations

from collections import Counter

from .layout import APPLICANT_ORDER, OTHER_ROWS, RESULT_ROWS, REVIEW_GROUP_ORDER, REVIEW_LEAF_ORDER
from .tables import Tables

Cell = tuple[str, str, str]  # (section, row, column)
Equation = tuple[str, list[Cell], list[Cell]]  # (rule, left, right): sum(left) = sum(right)

_SIX = APPLICANT_ORDER[:-1]


_FLOW = ("new_received", "carried_over", "total_handled", "carried_forward")


def _app(row: str, column: str) -> Cell:
    return ("applications", row, column)


def _equations(tables: Tables, template: str) -> list[Equation]:
    apps, review = tables.applications, tables.review_litigation
    out: list[Equation] = []
    for row in apps:
        out.append(("C1", [_app(row, "total")], [_app(row, c) for c in _SIX]))
    use_2021 = template == "2021" or any(r in apps for r in OTHER_ROWS["2021"])
    results = RESULT_ROWS["2021" if use_2021 else "2019"]
    for column in APPLICANT_ORDER:
        # An equation over a row the report does not have would fill a cell from a guess.
        if "total_handled" in apps and all(r in apps for r in results):
            out.append(("C3", [_app("total_handled", column)], [_app(r, column) for r in results]))
        if all(r in apps for r in _FLOW):
            new, carried, handled, forward = (_app(r, column) for r in _FLOW)
            out.append(("C2", [new, carried], [handled, forward]))
    for group in REVIEW_GROUP_ORDER:
        if group in review:
            out.append(
                (
                    "C5-C7",
                    [("review_litigation", group, "total")],
                    [("review_litigation", group, leaf) for leaf in REVIEW_LEAF_ORDER[:-1]],
                )
            )
    return out


def _get(tables: Tables, cell: Cell) -> object:
    section, row, column = cell
    return getattr(tables, section).get(row, {}).get(column)


def _known(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _solve(tables: Tables, equation: Equation) -> list[tuple[Cell, int]]:
    """The cells ``equation`` determines, with their values; [] if it determines none."""
    _, left, right = equation
    sides = [[(c, _get(tables, c)) for c in side] for side in (left, right)]
    if any(v is not None and not _known(v) for side in sides for _, v in side):
        return []  # a fraction or a misread: no arithmetic on it
    unknown = [[c for c, v in side if v is None] for side in sides]
    known = [sum(v for _, v in side if v is not None) for side in sides]  # type: ignore[misc]
    if not unknown[0] and not unknown[1]:
        return []
    if len(unknown[0]) + len(unknown[1]) == 1:
        this = 0 if unknown[0] else 1
        value = known[1 - this] - known[this]
        return [(unknown[this][0], value)] if value >= 0 else []
    for this in (0, 1):
        if unknown[this] and not unknown[1 - this] and known[this] == known[1 - this]:
            return [(cell, 0) for cell in unknown[this]]  # counts are never negative
    return []


def _printed_agree(tables: Tables, path: str) -> bool:
    section, row = path.split(".", 1)
    values = getattr(tables, section).get(row, {})
    if any(v is None for v in values.values()):
        return True  # not every place is known yet: nothing to compare
    return not (Counter(tables.printed[path]) - Counter(values.values()))


def derive(tables: Tables, template: str) -> None:
    """Fill every null cell the equations determine, in place, and flag each one."""
    filled: dict[Cell, tuple[int, str]] = {}
    equations = _equations(tables, template)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            for cell, value in _solve(tables, equation):
                section, row, column = cell
                getattr(tables, section)[row][column] = value
                filled[cell] = (value, equation[0])
                changed = True
    for path in tables.printed:
        if not _printed_agree(tables, path):
            section, row = path.split(".", 1)
            for cell in [c for c in filled if c[:2] == (section, row)]:
                getattr(tables, section)[row][cell[2]] = None
                del filled[cell]
            tables.flags.append(
                f"derived cells disagree with the printed values; left null: {path}"
            )
    for (section, row, column), (value, rule) in filled.items():
        tables.flags.append(
            f"derived from the report's own sums ({rule}): {section}.{row}.{column} = {value}"
        )
