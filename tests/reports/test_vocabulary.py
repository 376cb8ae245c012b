"""The shared words (reports/vocabulary.py): one home that the crawler, the extractor, the
normalizer and the snapshot all read, and that the simulator does not."""

from __future__ import annotations

import ast
import re

import pytest

from crawler import classify
from crawler.discovery import vocabulary as crawl_words
from crawler.discovery.urls import is_document
from reports import vocabulary as V
from reports.extract.attachments import attachment_suffix
from reports.normalize.labels import SECTION_HEADINGS, lookup
from storage.snapshot.bodies import place_level
from tests.conftest import ROOT, SEED_DIR


@pytest.mark.parametrize(
    "text,value",
    [
        ("339", 339),
        ("26.55", 26.55),
        ("两", 2),
        ("十二", 12),
        ("一百二十", 120),
        ("一千零五十", 1050),
        ("二〇二〇", 2020),
        ("二○二一", 2021),
        ("二零二二", 2022),
        ("", None),
        ("abc", None),
        ("十二条", None),
        ("一" * 200, None),
    ],
)
def test_numbers_in_either_script(text, value):
    assert V.number(text) == value


@pytest.mark.parametrize(
    "text,year",
    [
        ("二〇二〇", 2020),
        ("二○一九", 2019),
        ("2023", 2023),
        ("三千", None),
        ("十二", None),
    ],
)
def test_years_in_either_script(text, year):
    assert V.year(text) == year


@pytest.mark.parametrize(
    "title,year",
    [
        ("某县二〇二二年度政府信息公开工作年度报告", 2022),
        ("平昌关镇 2023 年政府信息公开工作年度报告", 2023),
        ("（2019年）某局信息公开年报", 2019),
    ],
)
def test_the_crawl_reads_the_shared_year_forms(title, year):
    assert classify.title_year(title) == year


# Spellings of section headings real reports use, written out here by hand (not read from the
# tables): the crawler must know each one the normalizer knows.
SPELLINGS = [
    "二、主动公开政府信息情况",
    "（二）政府信息主动公开情况",
    "三、收到和处理政府信息公开申请情况",
    "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    "四、复议、诉讼和申诉情况",
    "五、存在的主要问题及整改措施",
    "五、存在问题及改进情况",
    "五、存在的问题及改进情况",
    "五、收费及减免情况",
]


@pytest.mark.parametrize("heading", SPELLINGS)
def test_the_crawl_knows_every_section_spelling_of_the_normalizer(heading):
    compact = re.sub(r"\s+", "", heading)
    crawl_hits = [name for name, rx in crawl_words.SECTIONS if re.search(rx, compact)]
    assert crawl_hits, heading
    if "收费" not in heading:  # the 2008 form's part: no table the normalizer reads
        assert lookup(SECTION_HEADINGS, heading) is not None, heading


def test_a_page_with_two_sections_of_the_older_spellings_is_a_report():
    html = (
        "<h2>一、总体情况</h2><p>本年度……</p><h2>四、复议、诉讼和申诉情况</h2><p>无。</p>"
        "<h2>五、存在问题及改进情况</h2><p>一是……</p>"
    )
    assert classify.is_report_content("某局工作情况", html)


def test_every_seed_text_reads_as_a_report_to_the_crawl():
    for path in sorted(SEED_DIR.glob("*.txt")):
        assert classify.is_report_content(None, path.read_text(encoding="utf-8")), path.name


@pytest.mark.parametrize(
    "name,level",
    [
        ("顾县镇", "township"),
        ("花戛乡", "township"),
        ("阿拉坦合力苏木", "township"),
        ("城关街道办事处", "township"),
        ("云溪县", "county"),
        ("云溪县教育局", None),
    ],
)
def test_body_levels_come_from_the_shared_place_suffixes(name, level):
    assert place_level(name) == level


@pytest.mark.parametrize("suffix", V.DOCUMENT_SUFFIXES)
def test_one_list_of_document_kinds_for_crawler_and_converter(suffix):
    url = f"http://www.xx.gov.cn/files/2023nb{suffix}"
    assert is_document(url)
    assert attachment_suffix(url) == suffix
    assert (
        attachment_suffix("http://www.xx.gov.cn/down.jsp?id=7", f"附件：2023年报{suffix}") == suffix
    )


def test_the_simulator_imports_none_of_the_project():
    """Its generator keeps words of its own, wider than the code's tables (docs/architecture.md)."""
    project = ("crawler", "reports", "pipelines", "storage")
    for path in sorted((ROOT / "simulator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in project, f"{path.relative_to(ROOT)} imports {name}"
