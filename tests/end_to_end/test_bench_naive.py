"""bench/naive.py, the baseline of issue 9: it follows plain links and frames only, keeps pages
by their <title>, and is scored against the generated portals' ground truth."""

from __future__ import annotations

from bench import naive
from simulator import Simulator, generated_portals
from simulator.procedural import build_sites


def test_naive_finds_plain_reports_and_counts_its_false_ones():
    seed = next(
        s
        for s in range(100)
        if (c := build_sites([f"generated:{s}"])[0].construction)["wall"] == "none"
        and c["root"] == "home"
        and c["plain_share"] >= 0.9
    )
    (name,) = generated_portals([seed])
    with Simulator(portals=[name]).running() as live:
        result = naive.crawl(live.portals[0].root_url)
        found, total, false = naive.score(live, name, result)
        truth = {u for r in live.reports for u in (r.url, *r.aliases)}
    assert 0 < found <= total and result.pages > found
    assert false == len(result.kept - truth)
    assert naive.seed_range("3-5") == range(3, 6) and naive.seed_range("7") == range(7, 8)
