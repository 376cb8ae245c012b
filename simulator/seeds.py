"""The five real report texts (simulator/corpus/*.txt) as reports with known values.

``simulator/corpus/`` is the one copy of the seed texts: the simulator serves them (it ships in
the wheel), and the tests and the bench read them from there (``SEED_DIR``).

The values were read by hand from the seed texts; the prose and the section headings are
taken from the files, the tables are re-rendered from the values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .generate import zero_values
from .model import ReportContent

#: the seed texts, ``<nnn>_<hash>.txt``, beside their checked-in .doc files
SEED_DIR = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class Seed:
    file: str
    title: str
    org_name: str
    report_year: int
    template: str
    amount_label: str | None = None
    amount_unit: str | None = None
    active: tuple = ()  # ((row, col, value), ...) non-zero cells


SEEDS: dict[str, Seed] = {
    "000": Seed(
        "000_baa9f92cd75d3d34.txt",
        "顾县镇人民政府2020年政府信息公开工作年度报告",
        "顾县镇人民政府",
        2020,
        "2019",
        amount_label="采购总金额(单位:万元,保留4位小数)",
        amount_unit="万元",
    ),
    "001": Seed(
        "001_67fd554f9e32afcc.txt",
        "张家坡镇2020年度政府信息公开工作年度报告",
        "张家坡镇",
        2020,
        "2019",
    ),
    "002": Seed(
        "002_e3992751381c814a.txt",
        "平昌关镇2023年政府信息公开工作年度报告",
        "平昌关镇",
        2023,
        "2021",
    ),
    "003": Seed(
        "003_69a1a3adf1f283fc.txt",
        "鹿乡镇2020年政府信息公开工作年度报告",
        "鹿乡镇",
        2020,
        "2019",
        active=(
            ("licensing", "prev_items", 2),
            ("other_services", "prev_items", 1),
            ("penalty", "prev_items", 109),
        ),
    ),
    "004": Seed(
        "004_d99be4c0911699a4.txt",
        "花戛乡人民政府2020年政府信息公开工作年度报告",
        "花戛乡人民政府",
        2020,
        "2019",
        active=(("procurement", "projects", 4), ("procurement", "amount", 790000)),
    ),
}

_NUMERALS = "一二三四五六"


def _split(text: str, title: str) -> tuple[list[str], list[str], list[list[str]]]:
    """(preamble, headings, paragraphs per section) of a seed text; title and tables dropped."""
    preamble: list[str] = []
    headings: list[str] = []
    sections: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.replace("[bookmark: _GoBack]", "").strip(" \t\u3000\xa0")
        if not line:
            continue
        if (
            (line.startswith(_NUMERALS[len(headings)] + "、") if len(headings) < 6 else False)
            and "|" not in line
            and "\t" not in raw
        ):
            headings.append(line)
            sections.append([])
            continue
        if not headings:
            squeezed = line.replace(" ", "")
            if "|" not in line and squeezed not in title and squeezed != "报告":
                preamble.append(line)
            continue
        # sections 二–四 are tables; keep prose only in 一, 五, 六
        if len(headings) in (1, 5, 6) and "|" not in line and "\t" not in raw:
            sections[-1].append(line)
    return preamble, headings, sections


def seed_report(key: str) -> ReportContent:
    seed = SEEDS[key]
    text = resources.files(__package__).joinpath("corpus", seed.file).read_text(encoding="utf-8")
    preamble, headings, sections = _split(text, seed.title)
    active, applications, review = zero_values(seed.template)
    if seed.template == "2019":
        active["procurement"]["amount_unit"] = seed.amount_unit
    for row, col, value in seed.active:
        active[row][col] = value
    signature: list[str] = []
    last = sections[5]
    while last and (
        last[-1].endswith("人民政府") or re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", last[-1])
    ):
        signature.insert(0, last.pop())
    return ReportContent(
        org_name=seed.org_name,
        report_year=seed.report_year,
        template=seed.template,
        active=active,
        applications=applications,
        review_litigation=review,
        headings=tuple(headings),
        sections=sections,
        preamble=preamble,
        signature=signature,
        amount_label=seed.amount_label,
    )
