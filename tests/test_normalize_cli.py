"""`python -m pipelines.normalize PATH…` prints one JSON object per line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"


def _run(*paths: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipelines.normalize", *paths], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


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
