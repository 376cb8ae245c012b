"""The real-report evaluation set (tests/realset): its labels are well-formed and consistent with
the texts and with the tables' own arithmetic, and the normalizer stays at or above the floors."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from bench.eval_real import Case, Scores, gate, load_cases, run, score_case
from reports.extract.meta_labels import CONTRACT_KEYS, EXTRA_KEYS
from reports.normalize.layout import (
    ACTIVE_ORDER,
    ALL_APPLICATION_ROWS,
    APPLICANT_ORDER,
    APPLICATION_ORDER,
    RESULT_ROWS,
    REVIEW_GROUP_ORDER,
    REVIEW_LEAF_ORDER,
)

CASES = load_cases()
REQUIRED = {
    "id",
    "source_url",
    "retrieved",
    "via",
    "province",
    "level",
    "shape",
    "report_year",
    "template",
    "meta",
    "cells",
    "checks_expected_to_fail",
    "notes",
    "checked",
    "second_reading",
}
SECOND_READING = {"by", "date", "result", "notes"}
LEVELS = {
    "national",
    "province",
    "prefecture",
    "county",
    "district",
    "township",
    "street",
    "department",
}
SIX = APPLICANT_ORDER[:-1]


def _valid_paths(template: str | None) -> set[str]:
    templates = [template] if template in ACTIVE_ORDER else list(ACTIVE_ORDER)
    paths = set()
    for t in templates:
        for row, columns in ACTIVE_ORDER[t].items():
            paths |= {f"active.{row}.{c}" for c in columns}
    paths.add("active.procurement.amount_unit")
    rows = set(ALL_APPLICATION_ROWS) | {"total_handled", "carried_forward"}
    if template in APPLICATION_ORDER:
        rows = set(APPLICATION_ORDER[template])
    paths |= {f"applications.{r}.{c}" for r in rows for c in APPLICANT_ORDER}
    paths |= {f"review_litigation.{g}.{c}" for g in REVIEW_GROUP_ORDER for c in REVIEW_LEAF_ORDER}
    return paths


def _second_reading_problems(reading: dict, text: str) -> list[str]:
    """What is wrong with a second reader's verdict: its keys, its date, its result, and for a
    correction, at least one quoted fragment that the case text really contains."""
    problems = []
    if set(reading) != SECOND_READING:
        return [f"keys {sorted(set(reading) ^ SECOND_READING)}"]
    try:
        date.fromisoformat(reading["date"])
    except (TypeError, ValueError):
        problems.append("date is not ISO")
    if reading["result"] not in {"agrees", "corrected"}:
        problems.append(f"result {reading['result']!r}")
    if not reading["by"] or not reading["notes"]:
        problems.append("by and notes must be filled in")
    quotes = re.findall(r'"([^"]+)"', reading["notes"] or "")
    if reading["result"] == "corrected" and not any(q in text for q in quotes):
        problems.append("a correction must quote the text that proves it")
    return problems


def _ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


def test_the_set_is_large_and_varied() -> None:
    assert len(CASES) >= 60
    labels = [c.label for c in CASES]
    assert len({lab["province"] for lab in labels if lab["province"]}) >= 15
    assert {lab["level"] for lab in labels} == LEVELS
    years = {lab["report_year"] for lab in labels}
    assert min(years) <= 2009 and max(years) >= 2025
    assert {lab["template"] for lab in labels} == {"2019", "2021", "freeform", None}
    assert sum(1 for lab in labels if lab["meta"]) >= 12
    assert sum(1 for lab in labels if len(lab["cells"]) >= 10) >= 15


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_label_is_well_formed(case: Case) -> None:
    label = case.label
    assert set(label) == REQUIRED, set(label) ^ REQUIRED
    assert case.text_path.stem == label["id"] and case.text_path.suffix in {".txt", ".html"}
    text = case.text_path.read_text(encoding="utf-8")
    assert text.strip()
    # a page URL, or the index id of a repository file when the index does not name the repository
    assert label["source_url"].startswith(("http://", "https://", "github-index:"))
    date.fromisoformat(label["retrieved"])
    assert label["level"] in LEVELS
    assert isinstance(label["report_year"], int) and 2008 <= label["report_year"] <= 2025
    assert label["template"] in {"2019", "2021", "freeform", None}
    assert label["checked"], "the first reader's re-check must say what it verified"
    assert not _second_reading_problems(label["second_reading"], text), label["id"]
    for key, value in label["meta"].items():
        assert key in CONTRACT_KEYS + EXTRA_KEYS, key
        assert value, key
        if key.endswith("_date"):
            date.fromisoformat(value)
            y, m, d = value.split("-")
            assert value in text or f"{y}年{int(m)}月{int(d)}日" in text, (key, value)
        else:
            assert value in text, (key, value)
    if label["template"] == "freeform":
        assert not label["cells"], "a free-form report has no national tables"
    paths = _valid_paths(label["template"])
    for path, value in label["cells"].items():
        assert path in paths, path
        if path.endswith("amount_unit"):
            assert value in {"元", "万元"}
        elif path.endswith((".amount", ".amount_wan_yuan")):
            assert isinstance(value, (int, float)) and value >= 0, path
        elif path.endswith(".change"):
            assert isinstance(value, int), path  # 本年增/减 may be negative
        else:
            assert isinstance(value, int) and value >= 0, path


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_every_nonzero_cell_is_printed_in_the_text(case: Case) -> None:
    """A typo in a label shows up here: every non-zero number labelled must be in the text."""
    text = case.text_path.read_text(encoding="utf-8")
    numbers = {float(n) for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text)}
    for path, value in case.label["cells"].items():
        if isinstance(value, (int, float)) and value:
            assert abs(value) in numbers, (path, value)


def _arithmetic_errors(label: dict) -> set[tuple[str, str]]:
    """(rule, where) of every docs/report-templates.md §4 rule whose labelled cells do not add
    up."""
    cells = label["cells"]
    template = label["template"] if label["template"] in RESULT_ROWS else "2021"

    def get(row: str, col: str) -> int | None:
        return cells.get(f"applications.{row}.{col}")

    errors = set()
    for row in ALL_APPLICATION_ROWS + ("total_handled", "carried_forward"):
        values = [get(row, c) for c in APPLICANT_ORDER]
        if None not in values and sum(values[:-1]) != values[-1]:
            errors.add(("C1", f"applications.{row}"))
    for col in APPLICANT_ORDER:
        flow = [
            get(r, col)
            for r in ("new_received", "carried_over", "total_handled", "carried_forward")
        ]
        if None not in flow and flow[0] + flow[1] != flow[2] + flow[3]:
            errors.add(("C2", f"applications.*.{col}"))
        results = [get(r, col) for r in RESULT_ROWS[template]] + [get("total_handled", col)]
        if None not in results and sum(results[:-1]) != results[-1]:
            errors.add(("C3", f"applications.*.{col}"))
    for rule, group in (("C5", "review"), ("C6", "suit_direct"), ("C7", "suit_after_review")):
        values = [cells.get(f"review_litigation.{group}.{c}") for c in REVIEW_LEAF_ORDER]
        if None not in values and sum(values[:-1]) != values[-1]:
            errors.add((rule, f"review_litigation.{group}"))
    return errors


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_labelled_cells_obey_the_tables_arithmetic(case: Case) -> None:
    """Rows that do not add up are allowed only where the label says the report itself is wrong."""
    expected = case.label["checks_expected_to_fail"]
    assert all(set(e) == {"rule", "where"} for e in expected)
    labelled_wrong = {(e["rule"], e["where"]) for e in expected}
    errors = _arithmetic_errors(case.label)
    assert errors <= labelled_wrong, (
        f"not adding up, not listed as errors: {errors - labelled_wrong}"
    )
    assert labelled_wrong <= errors, f"listed as errors, but adding up: {labelled_wrong - errors}"


def test_second_reading_check_rejects_unproven_corrections() -> None:
    text = "行政处罚 | 1472 |"
    good = {
        "by": "second reader",
        "date": "2026-12-01",
        "result": "corrected",
        "notes": 'penalty.decisions 1427 -> 1472: the text prints "行政处罚 | 1472 |"',
    }
    assert _second_reading_problems(good, text) == []
    assert _second_reading_problems({**good, "notes": 'it says "1427"'}, text) == [
        "a correction must quote the text that proves it"
    ]
    assert _second_reading_problems({**good, "result": "maybe"}, text) == ["result 'maybe'"]
    assert _second_reading_problems({**good, "date": "1 Dec"}, text) == ["date is not ISO"]
    assert _second_reading_problems({"by": "x"}, text)[0].startswith("keys")


def test_arithmetic_check_catches_a_bad_row() -> None:
    label = {
        "template": "2021",
        "cells": {
            f"applications.granted.{c}": v
            for c, v in zip(APPLICANT_ORDER, [1, 0, 0, 0, 0, 0, 2], strict=True)
        },
    }
    assert _arithmetic_errors(label) == {("C1", "applications.granted")}
    review = zip(REVIEW_LEAF_ORDER, [1, 1, 0, 0, 1], strict=True)
    label["cells"].update({f"review_litigation.review.{c}": v for c, v in review})
    assert ("C5", "review_litigation.review") in _arithmetic_errors(label)


def test_score_records_misses_and_false_alarms() -> None:
    label = {
        "report_year": 2021,
        "template": "2021",
        "meta": {"index_no": "A/1"},
        "cells": {"active.penalty.decisions": 9, "applications.granted.total": 0},
        "checks_expected_to_fail": [{"rule": "C1", "where": "applications.granted"}],
    }
    case = Case("x", Path("x.txt"), label)
    report = {
        "report_year": 2020,
        "template": "2021",
        "meta": {},
        "active": {"penalty": {"decisions": 9}},
        "applications": {"granted": {"total": None}},
        "checks": [{"rule": "C2", "where": "applications.*.total", "ok": False}],
    }
    scores = Scores()
    score_case(case, report, scores)
    assert scores.right == {"template": 1, "cells": 1}
    assert scores.labelled == {
        "year": 1,
        "template": 1,
        "meta.index_no": 1,
        "cells": 2,
        "flagged": 1,
    }
    assert [(m.path, m.expected, m.got) for m in scores.misses] == [
        ("report_year", 2021, 2020),
        ("meta.index_no", "A/1", None),
        ("applications.granted.total", 0, None),
        ("checks C1 applications.granted", "failed", "not failed"),
    ]
    assert [m.path for m in scores.false_alarms] == ["checks C2 applications.*.total"]


def test_gate_fails_below_a_floor_and_update_refuses_to_lower(tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"cells": 10, "false_alarms": 1}))
    assert gate({"cells": 10, "false_alarms": 1}, floors)[0] == 0
    assert gate({"cells": 9, "false_alarms": 0}, floors)[0] == 1
    # false_alarms is a ceiling: it may not grow
    assert gate({"cells": 12, "false_alarms": 2}, floors)[0] == 1
    status, message = gate({"cells": 9, "false_alarms": 0}, floors, update=True)
    assert status == 1 and "not updating" in message
    assert json.loads(floors.read_text()) == {"cells": 10, "false_alarms": 1}
    assert gate({"cells": 11, "false_alarms": 0}, floors, update=True)[0] == 0
    assert json.loads(floors.read_text()) == {"cells": 11, "false_alarms": 0}


def test_normalizer_stays_at_or_above_the_pinned_floors() -> None:
    status, message = gate(run(CASES).figures())
    assert status == 0, message
