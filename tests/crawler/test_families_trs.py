"""TRS WCM static listings: createPageHTML pagers, index_N pages, inline-JS rows."""

from __future__ import annotations

from crawler.families import detect_family, generic, trs
from tests.conftest import FIXTURE_ROOT

FIX = FIXTURE_ROOT / "portals"
INDEX = "http://www.hukou.gov.cn/zwgk/zfxxgknb/index.html"


def test_detect_and_pager():
    text = (FIX / "trs_index.html").read_text(encoding="utf-8")
    assert detect_family(text) == "trs"
    pager = trs.parse_pager(text)
    assert pager == trs.Pager(count=3, current=0, prefix="index", ext="html")
    assert [pager.page_url(INDEX, k) for k in (0, 1, 2)] == [
        INDEX,
        "http://www.hukou.gov.cn/zwgk/zfxxgknb/index_1.html",
        "http://www.hukou.gov.cn/zwgk/zfxxgknb/index_2.html",
    ]


def test_pager_variants():
    assert trs.parse_pager('createPage(25, 0, "index", "shtml");') == trs.Pager(
        25, 0, "index", "shtml"
    )
    assert trs.parse_pager(
        "createPageHTML('page_div', 7, 1, 'center_flist', 'shtml', 98);"
    ) == trs.Pager(7, 1, "center_flist", "shtml")
    assert trs.parse_pager("var countPage = 4; var currentPage = 2;") == trs.Pager(4, 2)
    assert trs.parse_pager("<p>no pager</p>") is None


def test_page_numbers_and_listing_base():
    p0 = trs.Pager(3, 2, "index", "html")
    url2 = INDEX.replace("index.html", "index_2.html")
    assert list(p0.candidates()) == [1, 2, 3]
    assert trs.listing_base(url2) == INDEX
    assert trs.listing_base("http://www.hukou.gov.cn/zwgk/zfxxgknb/", p0) == INDEX
    assert trs.page_number(url2) == 2 and trs.page_number(INDEX) == 0


def test_list_links_on_index_pages():
    text = (FIX / "trs_index.html").read_text(encoding="utf-8")
    links = {link.url: link.title for link in generic.links(text, INDEX)}
    assert (
        links["http://www.hukou.gov.cn/zwgk/zfxxgknb/202401/t20240122_8812345.html"]
        == "湖口县2023年政府信息公开工作年度报告"
    )
    # relative ../../ township path, title attribute beats the truncated text
    assert (
        links["http://www.hukou.gov.cn/xzjd/flx/zfxxgknb_20931/202401/t20240119_8811111.html"]
        == "平昌关镇 2023 年政府信息公开工作年度报告"
    )
    text2 = (FIX / "trs_index_2.html").read_text(encoding="utf-8")
    assert trs.parse_pager(text2).current == 2
    assert len([u for u in (link.url for link in generic.links(text2, INDEX)) if "/t20" in u]) == 2


def test_inline_js_rows():
    text = """<script>var url = "./202602/t20260214_2730572.shtml"; var title = "武汉市2025年政府信息公开工作年度报告";
    var FILENUM = ""; document.writeln("<a href="+url+">"+title+"</a>");</script>"""  # noqa: E501
    rows = trs.js_rows(text, INDEX)
    assert rows[0].url == "http://www.hukou.gov.cn/zwgk/zfxxgknb/202602/t20260214_2730572.shtml"
    assert rows[0].title == "武汉市2025年政府信息公开工作年度报告"
