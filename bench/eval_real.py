"""`make eval`, part two: the normalizer on real report texts labelled by hand.

The cases are in tests/realset/ (cases/<id>.txt or .html as the search tools returned them,
labels/<id>.json read off those texts by hand; tests/realset/README.md says how). Each case goes
through what `python -m reports.normalize <case file>` does, and the result is scored per field
kind:

- year       report_year, on every case
- template   where the text decides it (null labels are not scored)
- meta.<key> each labelled header field
- cells      each labelled table cell (right / labelled)
- flagged    each labelled arithmetic error of the report that a failed check names

and, as a count that must not grow, `false_alarms`: failed checks on reports whose printed
numbers were labelled as adding up. Every miss is printed (case, path, expected, got).
The figures are compared with tests/realset/floors.json; the run exits 1 if one fell below its
floor (or false_alarms rose above its ceiling). `--update` pins today's figures and refuses to
lower a floor.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reports.normalize.cli import normalize_path

REALSET = Path(__file__).resolve().parent.parent / "tests" / "realset"
FLOORS = REALSET / "floors.json"
CEILINGS = frozenset({"false_alarms"})  # figures that may only go down


@dataclass(frozen=True)
class Case:
    id: str
    text_path: Path
    label: dict


@dataclass
class Miss:
    case: str
    path: str
    expected: object
    got: object


@dataclass
class Scores:
    right: Counter = field(default_factory=Counter)
    labelled: Counter = field(default_factory=Counter)
    misses: list[Miss] = field(default_factory=list)
    false_alarms: list[Miss] = field(default_factory=list)

    def score(self, kind: str, case: str, path: str, expected: object, got: object) -> None:
        self.labelled[kind] += 1
        if _same(expected, got):
            self.right[kind] += 1
        else:
            self.misses.append(Miss(case, path, expected, got))

    def figures(self) -> dict[str, int]:
        out = {kind: self.right[kind] for kind in self.labelled}
        out["false_alarms"] = len(self.false_alarms)
        return out


def load_cases(root: Path = REALSET) -> list[Case]:
    """Every labelled case; its text is cases/<id>.txt, or .html for a page kept as HTML."""
    cases = []
    for label_path in sorted((root / "labels").glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))
        texts = sorted((root / "cases").glob(f"{label['id']}.*"))
        if len(texts) != 1:
            raise SystemExit(
                f"eval_real: {label_path} needs exactly one cases/{label['id']}.* file, "
                f"found {len(texts)}; add the case text or remove the label"
            )
        cases.append(Case(label["id"], texts[0], label))
    return cases


def _same(expected: object, got: object) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        is_number = isinstance(got, (int, float)) and not isinstance(got, bool)
        return is_number and abs(got - expected) < 1e-9
    return expected == got


def cell_value(report: dict, path: str) -> object:
    """The value at "applications.granted.total" in a normalized report, or None."""
    node: object = report
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def score_case(case: Case, report: dict, scores: Scores) -> None:
    label = case.label
    scores.score("year", case.id, "report_year", label["report_year"], report.get("report_year"))
    if label.get("template") is not None:
        scores.score("template", case.id, "template", label["template"], report.get("template"))
    got_meta = report.get("meta") or {}
    for key, value in label.get("meta", {}).items():
        scores.score(f"meta.{key}", case.id, f"meta.{key}", value, got_meta.get(key))
    for path, value in label.get("cells", {}).items():
        scores.score("cells", case.id, path, value, cell_value(report, path))
    failed = {(c["rule"], c["where"]) for c in report.get("checks", []) if c.get("ok") is False}
    expected = {(e["rule"], e["where"]) for e in label.get("checks_expected_to_fail", [])}
    for rule, where in sorted(expected):
        outcome = "failed" if (rule, where) in failed else "not failed"
        scores.score("flagged", case.id, f"checks {rule} {where}", "failed", outcome)
    for rule, where in sorted(failed - expected):
        scores.false_alarms.append(Miss(case.id, f"checks {rule} {where}", "adds up", "failed"))


def run(cases: list[Case]) -> Scores:
    scores = Scores()
    for case in cases:
        score_case(case, normalize_path(case.text_path), scores)
    return scores


def _kinds(scores: Scores) -> list[str]:
    meta = sorted(k for k in scores.labelled if k.startswith("meta."))
    order = ["year", "template", *meta, "cells", "flagged"]
    return [k for k in order if k in scores.labelled]


def report_text(scores: Scores, n_cases: int) -> str:
    lines = [f"normalizer eval: {n_cases} real report texts labelled by hand (tests/realset)"]
    for kind in _kinds(scores):
        right, total = scores.right[kind], scores.labelled[kind]
        lines.append(f"  {kind:<24} {right:5d}/{total:<5d} right ({right / total:6.1%})")
    if "flagged" not in scores.labelled:
        lines.append(f"  {'flagged':<24}     -/0     (no labelled arithmetic error)")
    lines.append(
        f"  {'false_alarms':<24} {len(scores.false_alarms):5d}       "
        "failed checks on reports labelled as adding up"
    )
    if scores.misses or scores.false_alarms:
        lines.append("misses (case, path, expected, got):")
        for m in scores.misses + scores.false_alarms:
            lines.append(f"  {m.case}  {m.path}  expected {m.expected!r}  got {m.got!r}")
    return "\n".join(lines)


def gate(
    figures: dict[str, int], floors_path: Path = FLOORS, *, update: bool = False
) -> tuple[int, str]:
    floors = json.loads(floors_path.read_text(encoding="utf-8")) if floors_path.exists() else {}
    fallen = {}
    for key, floor in floors.items():
        value = figures.get(key, 0)
        if (value > floor) if key in CEILINGS else (value < floor):
            fallen[key] = (value, floor)
    if update:
        if fallen:
            return 1, (
                f"not updating {floors_path.name}: below the pinned floors {fallen}; "
                "fix the regression first"
            )
        pinned = json.dumps(figures, indent=2, sort_keys=True) + "\n"
        floors_path.write_text(pinned, encoding="utf-8")
        return 0, f"floors pinned in {floors_path.name}: {figures}"
    if fallen:
        parts = [
            f"{k} {v} > ceiling {f}" if k in CEILINGS else f"{k} {v} < floor {f}"
            for k, (v, f) in fallen.items()
        ]
        return 1, "REGRESSION on the real set: " + ", ".join(parts)
    return 0, f"gate: every figure at or above its floor in {floors_path.name}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--update",
        action="store_true",
        help="pin today's figures as the floors (refuses to lower any)",
    )
    args = parser.parse_args(argv)
    cases = load_cases()
    scores = run(cases)
    print(report_text(scores, len(cases)))
    status, message = gate(scores.figures(), update=args.update)
    print(message)
    return status


if __name__ == "__main__":
    sys.exit(main())
