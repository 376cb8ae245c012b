"""Done-when of issue 9: the portal spider crawls 30 generated portals (simulator/procedural/,
fixed seeds) from their roots only, as a user runs it, and finds every report, with no false
positive and every year it reads right.

The generator draws from vocabularies the crawler does not share; bench/eval_discovery.py
scores the same way on fresh random seeds (``make eval``).  A seed listed in ``KNOWN_GAPS`` is
a case discovery does not handle yet, with what is missing: it is expected to fail, strictly,
so that fixing it shows up here.  There is no list of timing gaps: a portal that bans a fast
crawl (burst429) is waited out by the back-off middleware, not excused.
"""

from __future__ import annotations

import pytest

from bench.eval_discovery import MAX_FALSE, MIN_RECALL, crawl, requests_per_portal, score_seeds
from simulator import Simulator
from simulator.procedural import generated_portals

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

SEEDS = tuple(range(30))

#: seed -> what discovery misses there (replay: python -m bench.eval_discovery --seeds N -v).
#: Empty: the seven gaps of the last session were found and fixed (option values that are bare
#: file names or a query alone, records that carry only an id joined to the script's URL
#: constant, rows that navigate by onclick counted as links, a file named by a later link, a
#: burst429 ban waited out by pacing the host).
KNOWN_GAPS: dict[int, str] = {}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    with Simulator(portals=generated_portals(SEEDS)).running() as live:
        before = len(live.requests)
        items, _ = crawl(
            [p.root_url for p in live.portals], tmp_path_factory.mktemp("generated"), timeout=1800
        )
        yield {s.seed: s for s in score_seeds(live, items, requests_per_portal(live, before))}


@pytest.mark.parametrize(
    "seed",
    [
        pytest.param(s, marks=pytest.mark.xfail(reason=KNOWN_GAPS[s], strict=True))
        if s in KNOWN_GAPS
        else s
        for s in SEEDS
    ],
)
def test_every_report_found_nothing_else_and_years_right(generated, seed):
    s = generated[seed]
    assert s.reports, f"seed {seed} has no reports in its ground truth"
    assert not s.missed, f"seed {seed}: {len(s.missed)} of {s.reports} missed: {s.missed[:4]}"
    assert not s.false, f"seed {seed}: not reports but emitted: {s.false[:4]}"
    assert not s.wrong_year, f"seed {seed}: {s.wrong_year[:4]}"
    assert not s.duplicates, f"seed {seed}: {s.duplicates} reports emitted twice"


def test_recall_and_precision_over_all_seeds(generated):
    found = sum(s.found for s in generated.values())
    reports = sum(s.reports for s in generated.values())
    false = sum(len(s.false) for s in generated.values())
    assert found / reports >= MIN_RECALL, f"recall {found}/{reports}"
    assert false <= MAX_FALSE, [u for s in generated.values() for u in s.false]
