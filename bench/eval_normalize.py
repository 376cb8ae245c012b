"""`make eval`: how well the normalizer reads the seeds and the simulator's reports.

Corpora: the seed texts, the simulator's report pages (main HTML and extracted text), and
the simulator's reports rendered into every text shape and HTML layout of the round-trip test.
Prints, per corpus, how many reports were read completely (template, year, body and every
table cell right), how many cells were read right, left null or read wrong, and the pass
rate of each check. Then it compares the totals with the floors pinned in
bench/eval_baseline.json and exits 1 if any fell (a gate, not a log to read); `--update` raises
the floors to the current figures and refuses to lower one unless `--allow-regression`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reports.normalize import normalize_html, normalize_text
from simulator import Simulator

from .normalize_corpus import TABLES, Case, seed_cases, shaped_cases, simulator_cases

BASELINE = Path(__file__).resolve().parent / "eval_baseline.json"


@dataclass
class Score:
    reports: int = 0
    complete: int = 0
    years: int = 0
    orgs: int = 0
    templates: int = 0
    cells: Counter = field(default_factory=Counter)  # right / null / wrong / missing
    checks: dict = field(default_factory=dict)  # rule -> Counter(passed, failed, not_evaluable)
    planted: Counter = field(
        default_factory=Counter
    )  # reports whose failed checks are exactly the planted ones

    def figures(self) -> dict[str, int]:
        return {
            "reports_complete": self.complete,
            "cells_right": self.cells["right"],
            "years_right": self.years,
            "orgs_right": self.orgs,
            "templates_right": self.templates,
        }


def _cells(got: dict, truth: dict) -> Counter:
    counts: Counter = Counter()
    for table in TABLES:
        made, read = getattr(truth, table), got.get(table, {})
        for row, columns in made.items():
            for column, value in columns.items():
                if row not in read or column not in read[row]:
                    counts["missing"] += 1
                elif read[row][column] == value:  # amount_unit may rightly be None
                    counts["right"] += 1
                elif read[row][column] is None:
                    counts["null"] += 1
                else:
                    counts["wrong"] += 1
        counts["extra"] += sum(len(cols) for row, cols in read.items() if row not in made)
    return counts


def score(cases: list[Case]) -> Score:
    result = Score()
    for case in cases:
        read = normalize_html if case.kind == "html" else normalize_text
        got = read(case.body, source=case.source, title=case.title, meta=case.meta)
        truth = case.truth
        cells = _cells(got, truth)
        result.reports += 1
        result.cells += cells
        ids = (
            got["report_year"] == truth.report_year,
            got["org_name"] == truth.org_name,
            got["template"] == truth.template,
        )
        result.years += ids[0]
        result.orgs += ids[1]
        result.templates += ids[2]
        result.complete += (
            all(ids)
            and cells["right"] == sum(cells.values()) - cells["extra"]
            and not cells["extra"]
        )
        for check in got["checks"]:
            outcome = {True: "passed", False: "failed", None: "not evaluable"}[check["ok"]]
            result.checks.setdefault(check["rule"], Counter())[outcome] += 1
        failed = {(c["rule"], c["where"]) for c in got["checks"] if c["ok"] is False}
        result.planted[failed == {(f["rule"], f["where"]) for f in truth.failing_checks}] += 1
    return result


def _print(name: str, s: Score) -> None:
    total = sum(s.cells[k] for k in ("right", "null", "wrong", "missing"))
    print(
        f"  {name:<30} {s.reports:4d} reports: {s.complete:4d} read completely; "
        f"year {s.years}/{s.reports}, org {s.orgs}/{s.reports}, template {s.templates}/{s.reports}"
    )
    print(
        f"  {'':<30} cells: {s.cells['right']}/{total} right, {s.cells['null']} null, "
        f"{s.cells['wrong']} wrong, {s.cells['missing']} missing, {s.cells['extra']} extra"
    )


def _print_checks(s: Score) -> None:
    print(
        "checks over all reports above (pass rate of those evaluable; planted errors fail by "
        "design)"
    )
    for rule in sorted(s.checks):
        c = s.checks[rule]
        evaluable = c["passed"] + c["failed"]
        rate = c["passed"] / evaluable if evaluable else 0.0
        print(
            f"  {rule}  {c['passed']:5d}/{evaluable:<5d} passed ({rate:6.1%})   "
            f"{c['not evaluable']:4d} not evaluable"
        )
    print(
        "  reports whose failed checks are exactly their planted errors: "
        f"{s.planted[True]}/{s.reports}"
    )


def _merge(scores: list[Score]) -> Score:
    total = Score()
    for s in scores:
        total.reports += s.reports
        total.complete += s.complete
        total.years += s.years
        total.orgs += s.orgs
        total.templates += s.templates
        total.cells += s.cells
        total.planted += s.planted
        for rule, counts in s.checks.items():
            total.checks.setdefault(rule, Counter()).update(counts)
    return total


def gate(figures: dict[str, int], *, update: bool, allow_regression: bool) -> int:
    floors = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    fallen = {k: (v, floors[k]) for k, v in figures.items() if k in floors and v < floors[k]}
    if update:
        if fallen and not allow_regression:
            print(f"not updating: below the floors {fallen} (use --allow-regression)")
            return 1
        BASELINE.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
        print(f"floors updated in {BASELINE.name}: {figures}")
        return 0
    if fallen:
        print("REGRESSION: " + ", ".join(f"{k} {v} < floor {f}" for k, (v, f) in fallen.items()))
        return 1
    print(f"gate: every figure at or above its floor in {BASELINE.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update", action="store_true", help="raise the floors to the current figures"
    )
    parser.add_argument(
        "--allow-regression", action="store_true", help="with --update: allow lowering a floor"
    )
    args = parser.parse_args(argv)
    with Simulator().running() as live:
        html, text = simulator_cases(live)
    shaped = shaped_cases(html)
    scores = {
        "seeds (text)": score(seed_cases()),
        "simulator pages (HTML)": score(html),
        "simulator pages (text)": score(text),
        f"simulator reports, {len(shaped) // len(html)} shapes": score(shaped),
    }
    print("normalizer eval: seeds and simulator reports against their ground truth")
    for name, s in scores.items():
        _print(name, s)
    total = _merge(list(scores.values()))
    _print("all", total)
    _print_checks(total)
    return gate(total.figures(), update=args.update, allow_regression=args.allow_regression)


if __name__ == "__main__":
    sys.exit(main())
