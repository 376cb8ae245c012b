"""`make floors` fails when discovery on the generated portals falls below its floors."""

from __future__ import annotations

from bench.eval_discovery import SeedScore, gate


def _scores(found: int, reports: int, false: int) -> list[SeedScore]:
    return [
        SeedScore(0, reports=reports, found=found, false=[f"http://x/{i}" for i in range(false)])
    ]


def test_recall_at_its_floor_and_false_positives_at_their_ceiling_pass() -> None:
    assert gate(_scores(95, 100, 2), min_recall=0.95, max_false=2) == 0


def test_recall_below_its_floor_fails(capsys) -> None:
    assert gate(_scores(94, 100, 0), min_recall=0.95, max_false=2) == 1
    assert "recall 0.9400 is below its floor 0.95" in capsys.readouterr().out


def test_false_positives_above_their_ceiling_fail(capsys) -> None:
    assert gate(_scores(100, 100, 3), min_recall=0.95, max_false=2) == 1
    assert "3 false positives" in capsys.readouterr().out


def test_seeds_summed_not_averaged() -> None:
    # one portal of 2 reports missing both weighs 2 reports, not half the figure
    scores = [*_scores(98, 98, 0), SeedScore(1, reports=2, found=0)]
    assert gate(scores, min_recall=0.98, max_false=None) == 0
    assert gate(scores, min_recall=0.99, max_false=None) == 1
