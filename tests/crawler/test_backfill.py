"""Backfills and date windows on the simulator's deep archives (simulator/deep.py): 2008–2025,
over 200 listing pages each, pre-2019 prose reports, a fifth of them titled with the year of
publication.  Checked against the simulator's ground truth and its access log."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crawler import classify
from crawler.discovery import window
from crawler.discovery.paging import Step
from simulator import Simulator, deep
from tests.conftest import run_crawl

DEEP = list(deep.NAMES)


def _listing_pages(sim: Simulator, live) -> dict[str, list[tuple[int, list[date]]]]:
    """Per portal: (page index, entry dates) of every listing page the crawl fetched."""
    out = {}
    for spec in deep.SPECS:
        pages = _pages(sim, spec.name)
        index = {deep.listing_path(spec, i): i for i in range(len(pages))}
        asked = {r.path for r in live.requests if r.portal == spec.name}
        out[spec.name] = [(i, pages[i]) for i in sorted(index[p] for p in asked if p in index)]
    return out


def _published(sim: Simulator, live) -> dict[str, date]:
    return {
        live.url_of(s.name, a.path): a.published for s in sim.sites for a in s.articles.values()
    }


def _pages(sim: Simulator, name: str) -> list[list[date]]:
    col = next(s for s in sim.sites if s.name == name).columns["ml"]
    return [
        [a.published for a in col.entries[i * col.per_page : (i + 1) * col.per_page]]
        for i in range(deep.page_count(col))
    ]


def test_years_2008_2018_finds_every_report_of_those_years_on_deep_archives(tmp_path):
    sim = Simulator(portals=DEEP)
    with sim.running() as live:
        roots = ",".join(p.root_url for p in live.portals)
        result = run_crawl(tmp_path, f"url={roots}", "years=2008-2018", timeout=1500)
        truth = live.reports
    assert all(len(_pages(sim, name)) > 200 for name in DEEP)
    wanted = {r.url for r in truth if 2008 <= r.report_year <= 2018}
    got = {item["url"] for item in result.items}
    assert result.returncode == 0, result.log[-3000:]
    assert wanted - got == set()  # every report of those years …
    assert got - wanted == set()  # … and none of another year (read, not titled)
    # the ones titled with the year they were published in (the next one) are among them
    later = [
        r for r in truth if r.url in wanted and classify.title_year(r.title) == r.report_year + 1
    ]
    assert later and all(r.url in got for r in later)
    assert {item["report_year"] for item in result.items} == set(range(2008, 2019))


def _window_crawl(tmp_path, *args: str):
    """Both deep archives crawled with these spider arguments: (sim, result, truth, listing
    pages fetched, publication date by URL)."""
    sim = Simulator(portals=DEEP)
    with sim.running() as live:
        roots = ",".join(p.root_url for p in live.portals)
        result = run_crawl(tmp_path, f"url={roots}", *args, timeout=900)
        truth, fetched, published = live.reports, _listing_pages(sim, live), _published(sim, live)
    assert result.returncode == 0, result.log[-3000:]
    return sim, result, truth, fetched, published


def test_since_fetches_no_listing_page_older_than_the_window_plus_one(tmp_path):
    since = date(2024, 1, 1)
    sim, result, truth, fetched, published = _window_crawl(tmp_path, f"since={since}")
    for name in DEEP:
        pages = _pages(sim, name)
        last_inside = max(i for i, dates in enumerate(pages) if max(dates) >= since)
        indexes = [i for i, _ in fetched[name]]
        assert indexes == list(range(last_inside + 2)), (name, last_inside, indexes)
    got = {item["url"] for item in result.items}
    recent = {r.url for r in truth if published[r.url] >= since}
    assert recent and recent <= got
    assert all(published[url] >= since for url in got)  # no entry dated before the window


def test_until_finds_the_window_by_a_binary_search_over_page_numbers(tmp_path):
    since, until = date(2012, 1, 1), date(2013, 12, 31)
    sim, result, truth, fetched, published = _window_crawl(
        tmp_path, f"since={since}", f"until={until}"
    )
    for name in DEEP:
        pages = _pages(sim, name)
        newer = [i for i, dates in fetched[name] if min(dates) > until]
        # page 1, then about log2(pages) probes: not the ~150 pages newer than the window
        assert len(newer) <= len(pages).bit_length() + 2, (name, newer)
        inside = {i for i, dates in enumerate(pages) if min(dates) <= until and max(dates) >= since}
        assert inside <= {i for i, _ in fetched[name]}
    in_window = {r.url for r in truth if since <= published[r.url] <= until}
    assert in_window and in_window <= {item["url"] for item in result.items}


# ------------------------------------------------------------------ the window, pure


def _steps(n: int, base: int = 1) -> list[Step]:
    return [Step(f"http://x/list.jsp?page={k}", number=k, probe=True) for k in range(base, n + 1)]


def test_window_places_pages_and_walks_one_page_at_a_time():
    w = window.Window(since=date(2020, 1, 1), until=date(2021, 12, 31))
    assert w.place([date(2022, 5, 1), date(2022, 1, 3)]) == window.NEWER
    assert w.place([date(2022, 1, 3), date(2021, 12, 30)]) == window.INSIDE
    assert w.place([date(2019, 12, 31), date(2019, 3, 1)]) == window.OLDER
    assert w.place([]) == window.UNDATED
    m = window.moves(
        window.Window(since=date(2020, 1, 1)),
        window.INSIDE,
        _steps(50),
        "http://x/list.jsp?page=3",
        None,
    )
    assert m.entries and [s.number for s in m.steps] == [4]
    past = window.moves(w, window.OLDER, _steps(50), "http://x/list.jsp?page=3", None)
    assert past == window.Moves(False)


def test_window_binary_search_converges_on_the_first_page_of_the_window():
    # pages 1..200, newest first; page p holds dates of year 2026 - p // 10: the window (2012 to
    # 2013) starts at page 130
    w = window.Window(since=date(2012, 1, 1), until=date(2013, 12, 31))

    def place(p: int) -> str:
        return w.place([date(2026 - p // 10, 6, 1)])

    m = window.moves(w, place(1), _steps(200), "http://x/list.jsp?page=1", None)
    asked = 0
    while m.probe is not None:
        asked += 1
        p = int(m.probe.urls[m.probe.at].rsplit("=", 1)[1])
        m = window.moves(w, place(p), _steps(200), f"http://x/list.jsp?page={p}", m.probe)
    assert asked <= 9
    first = m.restart or "here"
    assert first == "http://x/list.jsp?page=130" or (first == "here" and p == 130 and m.entries)


@pytest.mark.parametrize("spec", ["2024-13-01", "last week"])
def test_a_bad_window_date_names_the_argument(spec):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        window.parse(spec, None)


def test_years_go_by_the_data_year_once_read():
    years = classify.parse_years("2008-2018")
    # before reading: a title names the year of the data or of publication (the year after)
    assert classify.year_wanted("XX县2019年政府信息公开工作年度报告", years)
    assert not classify.year_wanted("XX县2020年政府信息公开工作年度报告", years)
    # read: the statistics period decides
    assert classify.year_wanted("XX县2019年政府信息公开工作年度报告", years, data_year=2018)
    assert not classify.year_wanted("XX县2019年政府信息公开工作年度报告", years, data_year=2019)


def test_a_narrower_window_marks_nothing_gone_and_fails_no_monitor(tmp_path):
    """A since= crawl sees part of a portal: the reports of the last run it does not meet are
    not gone, finding fewer is no drop, and a window with no report is no failure."""
    sim = Simulator(portals=["deep-trs"])
    with sim.running() as live:
        root = live.portal("deep-trs").root_url
        first = run_crawl(tmp_path, f"url={root}", "since=2023-01-01", timeout=900)
        later = run_crawl(tmp_path, f"url={root}", "since=2026-12-01", timeout=900)
    assert first.returncode == 0 and len(first.items) >= 10
    assert later.returncode == 0, later.log[-3000:]
    summary = json.loads(sorted((later.store_dir / "runs").glob("*/summary.json"))[-1].read_text())
    (row,) = summary["portals"].values()
    assert row["found"] == 0 and row["gone"] == 0
    assert [m for m in summary["monitors"] if not m["ok"]] == []
