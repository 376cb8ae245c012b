"""The catalog answers its three questions, from indexes, and can be rebuilt from the store."""

from __future__ import annotations

import asyncio

from scrapy.utils.test import get_crawler

from crawler.items import ReportPage
from pipelines.archive import ArchivePipeline
from pipelines.catalog import CatalogPipeline
from pipelines.store import crawler_storage
from storage.catalog import Capture, Catalog

A = "http://www.a.gov.cn/art/2024/1/1/art_1_1.html"
B = "http://www.a.gov.cn/art/2024/1/1/art_1_2.html"


def _capture(url, when, sha, change, org="平昌关镇", year=2023):
    capture = f"pages/h/{abs(hash(url)) % 10**8}/{when}-{sha[:12]}"
    return Capture(
        capture=capture,
        url=url,
        fetched_at=when,
        sha256=sha * 64 if len(sha) == 1 else sha,
        change=change,
        version=capture,
        org_name=org,
        report_year=year,
    )


def _filled(tmp_path) -> Catalog:
    catalog = Catalog(tmp_path / "catalog.sqlite")
    for capture in (
        _capture(A, "2024-01-20T08:00:00+00:00", "a", "new"),
        _capture(A, "2024-03-01T08:00:00+00:00", "b", "changed"),
        _capture(A, "2024-02-01T08:00:00+00:00", "a", "unchanged"),
        _capture(B, "2024-02-15T08:00:00+00:00", "c", "new", org="平昌关镇", year=2022),
        _capture(
            "http://www.b.gov.cn/x.html", "2024-01-05T08:00:00+00:00", "d", "new", org="鹿乡镇"
        ),
    ):
        catalog.add(capture)
    return catalog


def test_every_capture_of_a_url_in_time_order(tmp_path):
    catalog = _filled(tmp_path)
    assert [c.change for c in catalog.captures_of(A)] == ["new", "unchanged", "changed"]
    assert catalog.last_capture(A).change == "changed"
    assert catalog.last_capture(A, before="2024-02-10").change == "unchanged"
    assert catalog.captures_of("http://elsewhere/") == []


def test_reports_of_a_body_and_year_at_their_latest_capture(tmp_path):
    catalog = _filled(tmp_path)
    [report] = catalog.reports_of("平昌关镇", 2023)
    assert (report.url, report.sha256[0]) == (A, "b")
    [before] = catalog.reports_of("平昌关镇", 2023, as_of="2024-02-10T00:00:00+00:00")
    assert before.sha256[0] == "a"
    assert [c.url for c in catalog.reports_of("平昌关镇", 2022)] == [B]
    assert catalog.reports_of("鹿乡镇", 2021) == []


def test_the_corpus_as_of_a_time_is_the_last_capture_of_each_url(tmp_path):
    catalog = _filled(tmp_path)
    state = {c.url: c.sha256[0] for c in catalog.as_of("2024-02-20T00:00:00+00:00")}
    assert state == {A: "a", B: "c", "http://www.b.gov.cn/x.html": "d"}
    assert {c.url for c in catalog.as_of("2024-01-10T00:00:00+00:00")} == {
        "http://www.b.gov.cn/x.html"
    }
    assert {c.url: c.sha256[0] for c in catalog.as_of("2099-01-01")}[A] == "b"


def test_adding_a_capture_twice_keeps_one_row(tmp_path):
    catalog = _filled(tmp_path)
    n = catalog.count()
    catalog.add(_capture(A, "2024-01-20T08:00:00+00:00", "a", "new"))
    assert catalog.count() == n


def test_the_questions_are_answered_from_indexes_not_table_scans(tmp_path):
    """At a million reports a scan is seconds per question; an index probe is not."""
    catalog = _filled(tmp_path)
    db = catalog._db
    db.execute("ANALYZE")
    plans = {
        "captures_of": ("SELECT * FROM captures WHERE url = ? ORDER BY fetched_at", (A,)),
        "last_capture": (
            "SELECT * FROM captures WHERE url = ? AND fetched_at < ? "
            "ORDER BY fetched_at DESC LIMIT 1",
            (A, "2025"),
        ),
        "reports_of": (
            "SELECT *, MAX(fetched_at) FROM captures WHERE org_name = ? AND report_year = ? "
            "GROUP BY url",
            ("平昌关镇", 2023),
        ),
        "as_of": (
            "SELECT *, MAX(fetched_at) FROM captures WHERE fetched_at <= ? GROUP BY url",
            ("2025",),
        ),
    }
    for name, (sql, args) in plans.items():
        plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql, args))
        assert "USING" in plan and "INDEX" in plan, f"{name}: {plan}"
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, f"{name}: {plan}"


def test_rebuild_from_the_store_gives_back_the_catalog(tmp_path):
    crawler = get_crawler(
        settings_dict={
            "STORE_URI": f"file://{tmp_path / 'store'}",
            "STATE_DIR": str(tmp_path / "state"),
        }
    )
    storage = crawler_storage(crawler)
    for when, body in (
        ("2024-01-20T08:00:00+00:00", b"<p>v1</p>"),
        ("2024-02-20T08:00:00+00:00", b"<p>v1</p>"),
        ("2024-03-20T08:00:00+00:00", b"<p>v2</p>"),
    ):
        item = ReportPage(url=A, portal="a", body=body, status=200, fetched_at=when, text="t")
        item = asyncio.run(ArchivePipeline(storage.store, storage).process_item(item))
        asyncio.run(CatalogPipeline(storage.store, storage).process_item(item))
    rebuilt = Catalog(tmp_path / "rebuilt.sqlite")
    assert rebuilt.rebuild(storage.store) == 3
    fields = lambda cs: [(c.capture, c.fetched_at, c.sha256, c.change, c.version) for c in cs]  # noqa: E731
    assert fields(rebuilt.captures_of(A)) == fields(storage.catalog.captures_of(A))


def test_a_catalog_is_complete_only_when_started_on_an_empty_store_or_rebuilt(tmp_path):
    def storage(state):
        return crawler_storage(
            get_crawler(
                settings_dict={
                    "STORE_URI": f"file://{tmp_path / 'store'}",
                    "STATE_DIR": str(tmp_path / state),
                }
            )
        )

    first = storage("a")
    first._catalog_on_empty_store()
    assert first.catalog.complete  # nothing captured anywhere yet: a miss means "new"
    item = ReportPage(
        url=A, portal="a", body=b"<p>v1</p>", status=200, fetched_at="2024-01-20T08:00:00+00:00"
    )
    asyncio.run(ArchivePipeline(first.store, first).process_item(item))

    second = storage("b")  # another machine, same store: its empty catalog knows nothing
    second._catalog_on_empty_store()
    assert not second.catalog.complete
    second.catalog.rebuild(second.store)
    assert second.catalog.complete
