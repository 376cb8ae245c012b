"""`python -m reports.normalize PATH…` prints one JSON object per line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SEED_DIR

SEEDS = SEED_DIR


def _run(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reports.normalize", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_two_seed_files_give_two_json_lines():
    seed_002 = next(SEEDS.glob("002_*.txt"))
    seed_004 = next(SEEDS.glob("004_*.txt"))
    result = _run(str(seed_002), str(seed_004))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert (first["report_year"], first["org_name"]) == (2023, "平昌关镇")
    assert (second["report_year"], second["org_name"]) == (2020, "花戛乡人民政府")
    assert "平昌关镇" in lines[0]  # ensure_ascii=False


def test_html_file_and_a_missing_file(tmp_path):
    html = ROOT / "tests" / "fixtures" / "normalize" / "word_2021_arith_error.html"
    missing = tmp_path / "missing.txt"
    result = _run(str(missing), str(html))
    assert result.returncode == 1
    broken, report = (json.loads(line) for line in result.stdout.splitlines())
    assert "error" in broken and broken["flags"]
    assert report["report_year"] == 2021 and report["template"] == "2021"


# --- documents through the crawl's converters (issue 10) ----------------------------------

CORPUS = ROOT / "simulator" / "corpus"
ATTACHMENTS = ROOT / "tests" / "fixtures" / "extract" / "attachments"


def _one(path: Path) -> tuple[subprocess.CompletedProcess, dict]:
    result = _run(str(path))
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result
    return result, json.loads(lines[0])


def test_help():
    result = _run("--help")
    assert result.returncode == 0
    assert "PDF" in result.stdout and "DOCX" in result.stdout and "WPS" in result.stdout


def test_no_path_is_a_usage_error():
    result = _run()
    assert result.returncode == 2 and "PATH" in result.stderr


def test_seed_doc_reads_like_the_seed_text():
    # simulator/corpus/003_….doc: seed 003 saved as Word 97 by LibreOffice
    result, report = _one(next(CORPUS.glob("003_*.doc")))
    assert result.returncode == 0, result.stderr
    assert (report["template"], report["report_year"], report["org_name"]) == (
        "2019",
        2020,
        "鹿乡镇",
    )
    assert report["active"]["penalty"] == {"prev_items": 109, "change": 0, "decisions": 0}
    assert report["active"]["licensing"] == {"prev_items": 2, "change": 0, "decisions": 0}
    assert report["flags"][0] == "read from doc"


def test_a_wps_file_goes_through_the_legacy_converter(tmp_path):
    # WPS Writer files are OLE compound documents like .doc; the converter is told the suffix.
    wps = tmp_path / "report.wps"
    wps.write_bytes(next(CORPUS.glob("001_*.doc")).read_bytes())
    result, report = _one(wps)
    assert result.returncode == 0, result.stderr
    assert (report["report_year"], report["org_name"]) == (2020, "张家坡镇")
    assert len(report["applications"]) == 23


def test_xls_fixture_gives_the_tables(tmp_path):
    xls = tmp_path / "003_stats.xls"
    xls.write_bytes((ATTACHMENTS / "003_stats.xls").read_bytes())
    result, report = _one(xls)
    assert result.returncode == 0, result.stderr
    assert report["active"]["penalty"]["prev_items"] == 109
    assert report["review_litigation"]["review"]["total"] == 0


def test_pdf_and_docx_made_from_a_seed(tmp_path):
    from simulator.documents import report_docx, report_pdf
    from simulator.seeds import SEEDS, seed_report

    for kind, make in (("pdf", report_pdf), ("docx", report_docx)):
        path = tmp_path / f"002.{kind}"
        path.write_bytes(make(SEEDS["002"].title, seed_report("002")))
        result, report = _one(path)
        assert result.returncode == 0, result.stderr
        assert (report["template"], report["report_year"]) == ("2021", 2023), kind
        assert report["applications"]["total_handled"]["total"] == 0, kind


def test_files_it_cannot_read_fail_with_one_clear_line(tmp_path):
    corrupt = tmp_path / "cut.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n1 0 obj <<")
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    for path, why in ((corrupt, "pdf converter read no text"), (image, "the bytes are image")):
        result = _run(str(path))
        assert result.returncode == 1
        errors = result.stderr.strip().splitlines()
        assert len(errors) == 1 and errors[0].startswith(f"error: {path}: ") and why in errors[0], (
            errors
        )
        assert json.loads(result.stdout)["error"]
