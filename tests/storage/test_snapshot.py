"""A researcher's snapshot of a simulator crawl, checked against the simulator's ground truth:
the Frictionless package validates, the README's queries run as written and count what the
simulator published, two runs agree byte for byte, cross-year errors and coverage gaps are
found, the heatmap is drawn from the right data, and every crawled item meets its schema."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crawler.schemas import validator
from simulator.sites import COUNTIES
from storage.snapshot.coverage import AXES_KEY, figure_size
from tests.conftest import ROOT, SCRAPY, run_crawl

pytestmark = pytest.mark.slow  # crawls the simulator in a subprocess

# The simulated world's registry: the two counties with their 行政区划代码, and a township the
# registry names that publishes nothing.
REGIONS = {"yunxi": ("浙江省 云溪县", "330799"), "tongqiao": ("贵州省 桐桥县", "522699")}
SILENT = {
    "name": "tongqiao-shuikou",
    "region": "贵州省 桐桥县 水口镇",
    "code": "522699",
    "level": "township",
    "start_url": "http://127.0.0.1:9/",
}
YEARS = (2020, 2021, 2022, 2023)
TOWNSHIPS = {name: county.name for county in COUNTIES for name, _, _ in county.townships}


def _township(report) -> str | None:
    """The simulator township a ground-truth report belongs to (its name opens the org name)."""
    return next((t for t in TOWNSHIPS if report.org_name.startswith(t)), None)


def _body(report) -> str:
    """Ground truth's body: the unit, whichever way a year's title names it."""
    county = next(c for c in COUNTIES if c.name == report.portal)
    unit = _township(report) or report.org_name.removesuffix("人民政府")
    if unit == county.county or unit == county.county + "人民政府":
        unit = county.county
    return f"{REGIONS[report.portal][1]}/{unit}"


@pytest.fixture(scope="module")
def world(live_sim, tmp_path_factory):
    out = tmp_path_factory.mktemp("snapshot")
    sites = out / "sites.json"
    sites.write_text(
        json.dumps(
            [
                {
                    "name": p.name,
                    "region": REGIONS[p.name][0],
                    "code": REGIONS[p.name][1],
                    "level": "county",
                    "start_url": p.root_url,
                    "family": p.family,
                }
                for p in live_sim.portals
            ]
            + [SILENT],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = run_crawl(
        out / "crawl",
        "site=" + ",".join(p.name for p in live_sim.portals),
        settings={"SITES_FILE": str(sites), "LOG_LEVEL": "WARNING"},
    )
    assert result.returncode == 0, result.log[-3000:]
    as_of = datetime.now(UTC).isoformat(timespec="seconds")
    return {"out": out, "sites": sites, "crawl": result, "as_of": as_of}


def _run_snapshot(world, target: str, *options: str, scrapy: bool = False, env=None):
    """`python -m storage snapshot TARGET` (or `scrapy snapshot`) on the crawl's store."""
    crawl = world["crawl"]
    state = str(crawl.store_dir.parent / "state")
    if scrapy:
        settings = {
            "STORE_URI": f"file://{crawl.store_dir}",
            "STATE_DIR": state,
            "SITES_FILE": world["sites"],
        }
        cmd = [*SCRAPY, "snapshot", target, *options]
        cmd += [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]
    else:
        cmd = [
            sys.executable,
            "-m",
            "storage",
            "--store",
            f"file://{crawl.store_dir}",
            "--state-dir",
            state,
            "snapshot",
            target,
            "--sites",
            str(world["sites"]),
            *options,
        ]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**(env or os.environ), "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _snapshot(world, name: str, *options: str, scrapy: bool = False) -> Path:
    target = world["out"] / name
    _run_snapshot(world, str(target), *options, scrapy=scrapy)
    return target


@pytest.fixture(scope="module")
def townships(world):
    """The snapshot the issue asks for: township reports 2020–2023."""
    return _snapshot(
        world, "townships", "--years", "2020-2023", "--level", "township", "--as-of", world["as_of"]
    )


@pytest.fixture(scope="module")
def everything(world):
    return _snapshot(world, "all")


@pytest.fixture(scope="module")
def truth_townships(live_sim):
    return [r for r in live_sim.reports if _township(r) and r.report_year in YEARS]


def test_the_package_validates_with_frictionless(townships):
    from frictionless import validate

    report = validate(townships / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    assert {t.name for t in report.tasks} == {"reports", "cells", "coverage_gaps", "coverage"}


def test_a_changed_byte_fails_validation(townships, tmp_path):
    """The package pins each table's hash: a copy with one cell edited does not validate."""
    from frictionless import validate

    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("datapackage.json", "cells.csv", "coverage_gaps.csv", "coverage.csv"):
        (copy / name).write_bytes((townships / name).read_bytes())
    (copy / "reports.csv").write_text(
        (townships / "reports.csv")
        .read_text(encoding="utf-8")
        .replace(",township,", ",county,", 1),
        encoding="utf-8",
    )
    assert not validate(copy / "datapackage.json").valid


def test_one_row_per_body_and_year_as_the_simulator_published(townships, truth_townships):
    reports = pq.read_table(townships / "reports.parquet").to_pylist()
    assert Counter((r["body"], r["report_year"]) for r in reports).most_common(1)[0][1] == 1
    expected = {
        (f"{REGIONS[r.portal][1]}/{_township(r)}", r.report_year): r.url for r in truth_townships
    }
    assert {
        (r["report_id"].rsplit("/", 1)[0], r["report_year"]): r["url"] for r in reports
    } == expected
    assert {r["level"] for r in reports} == {"township"}
    for r in reports:
        assert (townships / r["text_file"]).read_text(encoding="utf-8").strip(), r["url"]


def _blocks(readme: str, lang: str) -> list[str]:
    return [b.strip() for b in re.findall(rf"```{lang}\n(.*?)```", readme, re.DOTALL)]


def test_the_readme_queries_run_as_written_and_count_the_ground_truth(townships, truth_townships):
    import duckdb

    readme = (townships / "README.md").read_text(encoding="utf-8")
    sql, python = _blocks(readme, "sql"), _blocks(readme, "python")
    assert len(sql) == 3 and len(python) == 3
    per_year = Counter(r.report_year for r in truth_townships)
    planted = sorted(
        (f"{_body(r)}/{r.report_year}", f["where"].split(".")[1], f["where"].split(".")[2])
        for r in truth_townships
        for f in r.cross_year_failures
    )
    cwd = os.getcwd()
    os.chdir(
        townships
    )  # the queries name the files relative to the snapshot, as a reader runs them
    try:
        by_year, failed, missing = (duckdb.sql(q).fetchall() for q in sql)
    finally:
        os.chdir(cwd)
    assert by_year == sorted(per_year.items())
    assert sorted(row[:3] for row in failed) == planted and planted
    assert all(row[4] in ("X1", "X2", "X3") for row in failed)
    assert ("522699/水口镇", list(YEARS)) in missing  # the registry's township without reports
    outputs = [
        ast.literal_eval(
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=townships,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            ).stdout.strip()
        )
        for code in python
    ]
    assert outputs[0] == [("township", len(truth_townships))]
    assert outputs[1] == dict(per_year)
    assert outputs[2] == len(truth_townships)


def test_two_runs_with_the_same_as_of_give_the_same_manifest(world, townships):
    again = _snapshot(
        world,
        "townships-again",
        "--years",
        "2020-2023",
        "--level",
        "township",
        "--as-of",
        world["as_of"],
        scrapy=True,
    )  # and through `scrapy snapshot`
    assert (again / "manifest.json").read_bytes() == (townships / "manifest.json").read_bytes()
    manifest = json.loads((townships / "manifest.json").read_text(encoding="utf-8"))
    listed = {f["path"]: f for f in manifest["files"]}
    on_disk = {p.relative_to(townships).as_posix() for p in townships.rglob("*") if p.is_file()}
    assert set(listed) == on_disk - {"manifest.json"}
    import hashlib

    for path, entry in listed.items():
        data = (townships / path).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["query"] == {
        "years": list(YEARS),
        "region": "",
        "level": "township",
        "template": "",
        "checks": "",
        "as_of": world["as_of"],
    }
    assert manifest["code_version"]["package"] == "0.1.0"


def test_as_of_before_the_crawl_holds_nothing(world):
    empty = _snapshot(world, "before", "--as-of", "2001-01-01")
    assert (
        json.loads((empty / "manifest.json").read_text(encoding="utf-8"))["counts"]["reports"] == 0
    )
    assert pq.read_table(empty / "reports.parquet").num_rows == 0


def test_the_planted_carry_over_mismatch_and_every_cross_year_error_are_flagged(
    everything, live_sim
):
    cells = pq.read_table(everything / "cells.parquet").to_pylist()
    flagged = {
        (c["report_id"], f"{c['table']}.{c['row']}.{c['column']}")
        for c in cells
        if c["cross_year_ok"] is False
    }
    truth = {
        (f"{_body(r)}/{r.report_year}", f["where"])
        for r in live_sim.reports
        for f in r.cross_year_failures
    }
    assert flagged == truth
    planted = ("330799/云溪县/2021", "applications.carried_over.natural_person")
    assert planted in flagged
    [cell] = [
        c for c in cells if (c["report_id"], f"{c['table']}.{c['row']}.{c['column']}") == planted
    ]
    assert cell["cross_year_check"] == "X1" and any(
        f.startswith("X1 failed") for f in cell["flags"]
    )
    readme = (everything / "README.md").read_text(encoding="utf-8")
    assert "- 330799/云溪县/2021: X1 failed: applications.carried_over.natural_person" in readme
    # Where the chain holds, the check ran and passed: the same cell a year later.
    later = [
        c for c in cells if c["report_id"] == "330799/云溪县/2022" and c["row"] == "carried_over"
    ]
    assert later and all(c["cross_year_ok"] is True for c in later)


def test_a_body_missing_a_year_is_listed_in_the_gaps(everything, live_sim):
    gaps = list(_csv(everything / "coverage_gaps.csv"))
    listed = {
        (g["body_id"], int(g["year"]))
        for g in gaps
        if g["body_id"].startswith(("330799/", "522699/"))
    }
    years_of: dict[str, set[int]] = {}
    for r in live_sim.reports:
        years_of.setdefault(_body(r), set()).add(r.report_year)
    window = range(
        min(r.report_year for r in live_sim.reports),
        max(r.report_year for r in live_sim.reports) + 1,
    )
    expected = {(body, y) for body, years in years_of.items() for y in window if y not in years}
    expected |= {("522699/水口镇", y) for y in window}
    assert listed == expected and len(expected) > len(window)


def _csv(path: Path) -> list[dict]:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_coverage_heatmap_is_drawn_from_the_coverage_table(townships):
    from PIL import Image

    coverage = _csv(townships / "coverage.csv")
    regions = sorted({c["region_code"] for c in coverage})
    years = sorted({int(c["year"]) for c in coverage})
    assert regions == ["330799", "522699"] and years == list(YEARS)
    with Image.open(townships / "coverage.png") as image:
        assert image.size == figure_size(len(regions), len(years))
        assert json.loads(image.text[AXES_KEY]) == {"rows": regions, "columns": years}
        colours = {rgb: n for n, rgb in image.convert("RGB").getcolors(maxcolors=1 << 24)}
    white = colours.get((255, 255, 255), 0) / sum(colours.values())
    assert len(colours) > 50 and white < 0.8, "the heatmap is blank"


def test_a_snapshot_goes_to_s3_and_its_presigned_url_opens(world, s3_store_uri):
    uri, env = s3_store_uri
    target = uri.replace("/archive", "/snapshots/s1")
    proc = _run_snapshot(world, target, "--years", "2021", "--as-of", world["as_of"], env=env)
    url = proc.stdout.strip().splitlines()[-1]
    assert url.startswith("http://127.0.0.1:") and "Signature" in url
    with urllib.request.urlopen(url) as resp:  # no credentials: the URL carries the signature
        manifest = json.loads(resp.read())
    assert manifest["query"]["years"] == [2021] and manifest["counts"]["reports"] > 0
    assert "reports.parquet" in {f["path"] for f in manifest["files"]}


def test_every_crawled_item_and_its_report_meet_the_schemas(world):
    items = world["crawl"].items
    assert items
    for item in items:
        errors = [f"{e.json_path}: {e.message}" for e in validator("item").iter_errors(item)]
        assert not errors, (item["url"], errors[:3])
    broken = json.loads(json.dumps(items[0]["report"]))
    broken["applications"]["granted"]["total"] = "12"
    del broken["checks"]
    messages = {e.message for e in validator("report").iter_errors(broken)}
    assert any("checks" in m for m in messages) and any("'12'" in m for m in messages)


def test_the_wacz_holds_each_report_page_as_served_and_validates(world, live_sim):
    import io
    import zipfile

    from warcio.archiveiterator import ArchiveIterator

    snap = _snapshot(world, "wacz", "--years", "2021", "--as-of", world["as_of"], "--wacz")
    subprocess.run(
        [str(Path(sys.executable).with_name("wacz")), "validate", "-f", str(snap / "archive.wacz")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with zipfile.ZipFile(snap / "archive.wacz") as wacz:
        [warc] = [n for n in wacz.namelist() if n.startswith("archive/")]
        records = list(ArchiveIterator(io.BytesIO(wacz.read(warc)), check_digests="raise"))
        pages = [
            json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()[1:]
        ]
    responses = {
        r.rec_headers.get_header("WARC-Target-URI") for r in records if r.rec_type == "response"
    }
    expected = {r.url for r in live_sim.reports if r.report_year == 2021}
    assert responses == expected == {p["url"] for p in pages}


def _in_process(world, tmp_path, **query) -> list[dict]:
    from storage import open_store
    from storage.catalog import Catalog, state_dir
    from storage.snapshot import SnapshotQuery, build_snapshot, registry_entries

    uri = f"file://{world['crawl'].store_dir}"
    catalog = Catalog(state_dir(world["crawl"].store_dir.parent / "state", uri) / "catalog.sqlite")
    out = tmp_path / "snap"
    build_snapshot(
        open_store(uri), catalog, out, SnapshotQuery(**query), registry_entries([world["sites"]])
    )
    return pq.read_table(out / "reports.parquet").to_pylist()


@pytest.mark.parametrize(
    "region, county",
    [("3307", "yunxi"), ("522699", "tongqiao"), ("桐桥", "tongqiao"), ("浙江", "yunxi")],
)
def test_region_by_code_prefix_or_name(world, live_sim, tmp_path, region, county):
    reports = _in_process(world, tmp_path, region=region)
    assert {r["url"] for r in reports} == {r.url for r in live_sim.reports if r.portal == county}


def test_template_and_checks_filters(world, live_sim, tmp_path):
    failed = _in_process(world, tmp_path, checks="failed")
    assert {r["url"] for r in failed} == {r.url for r in live_sim.reports if r.failing_checks}
    forms_2019 = _in_process(world, tmp_path / "t", template="2019")
    assert {r["url"] for r in forms_2019} == {
        r.url for r in live_sim.reports if r.template == "2019"
    }


def test_a_progress_bar_shows_on_a_terminal(world, tmp_path):
    """stdout a terminal (a pty), a snapshot of more than 50 reports: tqdm draws on stderr."""
    import pty

    crawl = world["crawl"]
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "storage",
                "--store",
                f"file://{crawl.store_dir}",
                "--state-dir",
                str(crawl.store_dir.parent / "state"),
                "snapshot",
                str(tmp_path / "tty"),
            ],
            cwd=ROOT,
            stdout=secondary,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    finally:
        os.close(secondary)
        os.close(primary)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert re.search(r"100%\|.*\| 106/106", proc.stderr), proc.stderr[-500:]


def test_cells_are_typed_alike_and_money_carries_its_unit(everything, live_sim):
    import pyarrow as pa

    table = pq.read_table(everything / "cells.parquet")
    assert table.schema.field("value").type == pa.float64()
    assert table.schema.field("unit").type == pa.string()
    cells = table.to_pylist()
    by_url = {
        r["url"]: r["report_id"] for r in pq.read_table(everything / "reports.parquet").to_pylist()
    }
    got = {(c["report_id"], c["table"], c["row"], c["column"]): c for c in cells}
    for truth in live_sim.reports:
        rid = by_url[truth.url]
        procurement = truth.active.get("procurement")
        if (
            procurement and procurement["amount_unit"]
        ):  # 元 or 万元, in the unit column, not the value
            cell = got[(rid, "active", "procurement", "amount")]
            assert (
                cell["unit"] == procurement["amount_unit"]
                and cell["value"] == procurement["amount"]
            )
        if truth.template == "2021":  # the crosswalk's 2019 row, summed from the three 2021 rows
            apps = truth.applications
            cell = got[(rid, "applications", "other_handling", "total")]
            assert cell["derived"] is True
            assert cell["value"] == sum(
                apps[r]["total"] for r in ("other_no_correction", "other_unpaid_fee", "other_misc")
            )
            assert got[(rid, "active", "fees", "amount_wan_yuan")]["unit"] == "万元"
    assert any(c["unit"] == "万元" and c["row"] == "procurement" for c in cells)


def test_a_snapshot_of_an_s3_store_holds_the_same_files(world, townships, s3_store_uri, tmp_path):
    """The crawl's store copied into S3, snapshotted with a fresh state dir (the catalog is
    rebuilt from the bucket): every table is byte for byte the one of the file store."""
    uri, env = s3_store_uri
    crawl = world["crawl"]
    subprocess.run(
        [sys.executable, "-m", "storage", "copy", f"file://{crawl.store_dir}", uri],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        timeout=300,
    )
    target = tmp_path / "from-s3"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "storage",
            "--store",
            uri,
            "--state-dir",
            str(tmp_path / "state"),
            "snapshot",
            str(target),
            "--sites",
            str(world["sites"]),
            "--years",
            "2020-2023",
            "--level",
            "township",
            "--as-of",
            world["as_of"],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**env, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "rebuilt" in proc.stderr
    ours = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    theirs = json.loads((townships / "manifest.json").read_text(encoding="utf-8"))
    assert ours["store"] == uri
    same = {"README.md"}  # it names the store
    assert [f for f in ours["files"] if f["path"] not in same] == [
        f for f in theirs["files"] if f["path"] not in same
    ]
