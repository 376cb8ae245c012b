"""extract_page on hand-written pages in the styles of docs/portals.md's CMS skeletons.

Every expected value below was typed from the fixture file, not copied from output.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from reports.extract import ExtractedPage, extract_page
from tests.conftest import FIXTURE_ROOT, SEED_DIR

FIXTURES = FIXTURE_ROOT / "extract"

HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def load(name: str, declared: str | None = None) -> ExtractedPage:
    body = (FIXTURES / name).read_bytes()
    return extract_page(body, f"http://www.example.gov.cn/{name}", declared)


def assert_headings_on_own_lines(text: str) -> None:
    lines = text.split("\n")
    for heading in HEADINGS:
        assert heading in lines, heading


def assert_absent(text: str, fragments: list[str]) -> None:
    leaked = [f for f in fragments if f in text]
    assert not leaked, leaked


# --- Hanweb JCMS article: xxgk_table + div#zoom + ZJEG_RSS markers -----------------------


@pytest.fixture(scope="module")
def hanweb() -> ExtractedPage:
    return load("hanweb_article.html")


def test_hanweb_meta(hanweb: ExtractedPage) -> None:
    assert hanweb.meta == {
        "index_no": "11330127002590000X/2024-00017",
        "category": "政府信息公开年报",
        "publisher": "白沙镇人民政府",
        "written_date": "2024-01-19",
        # from the 发布时间 byline under the title (the header table has no 发布日期)
        "published_date": "2024-01-22",
        "title": "白沙镇2023年政府信息公开工作年度报告",
    }
    # 文号 and 主题词 cells are empty: no key at all
    assert "doc_number" not in hanweb.meta and "keywords" not in hanweb.meta


def test_hanweb_title_encoding_and_container(hanweb: ExtractedPage) -> None:
    assert hanweb.encoding == "utf-8"
    assert hanweb.title == "白沙镇2023年政府信息公开工作年度报告"
    assert hanweb.content_source == "zjeg_markers" and hanweb.flags == []


def test_hanweb_text_has_no_header_or_chrome(hanweb: ExtractedPage) -> None:
    assert_absent(
        hanweb.text,
        [
            "11330127002590000X",
            "索引号",
            "索 引 号",
            "发文日期",
            "发布机构",
            "主 题 词",
            "信息来源",
            "发布时间",
            "浏览次数",
            "当前位置",
            "字体",
            "打印本页",
            "关闭窗口",
            "走进青溪",
            "设为首页",
            "主办单位",
            "网站标识码",
            "ICP备",
            "大汉网络",
            "doZoom",
            "_hmt",
        ],
    )


def test_hanweb_text_structure(hanweb: ExtractedPage) -> None:
    text = hanweb.text
    assert_headings_on_own_lines(text)
    lines = text.split("\n")
    assert lines[0].startswith("根据《中华人民共和国政府信息公开条例》")
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in lines
    assert "规章\t0\t0\t0" in lines
    assert "行政规范性文件\t2\t1\t5" in lines  # &nbsp;5 trimmed
    assert "第二十条第（一）项" in lines  # colspan=4 cell appears once
    assert "信息内容\t本年处理决定数量" in lines
    assert "行政许可\t37" in lines
    assert "三、本年度办理结果\t（一）予以公开\t2\t2" in lines
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t1\t1" in lines
    assert "附件：白沙镇2023年政府信息公开工作年度报告.pdf" in lines
    assert "" not in lines  # blank lines collapsed away


def test_hanweb_main_html_keeps_tables_and_drops_markers(hanweb: ExtractedPage) -> None:
    html = hanweb.main_html
    assert html.count("<table") == 2
    assert 'rowspan="2"' in html and 'colspan="4"' in html
    # links are made absolute against the page URL so attachments stay reachable
    assert (
        'href="http://www.example.gov.cn/module/download/downfile.jsp?classid=0&amp;'
        'filename=2401191012345678.pdf"'
    ) in html
    assert "xxgk_table" not in html and "ContentStart" not in html and "<!--" not in html


# --- TRS article: gov.cn Template A two-cell bold labels + TRS_UEDITOR body -------------


@pytest.fixture(scope="module")
def trs() -> ExtractedPage:
    return load("trs_article.html")


def test_trs_meta(trs: ExtractedPage) -> None:
    assert trs.meta == {
        "index_no": "011234567/2024-00003",
        "category": "综合政务\\政务公开",
        "publisher": "石门县人民政府办公室",
        "written_date": "2024-01-20",
        "published_date": "2024-01-22",
        "title": "石门县2023年政府信息公开工作年度报告",
    }  # 发文字号 "无" is dropped


def test_trs_text(trs: ExtractedPage) -> None:
    assert trs.title == "石门县2023年政府信息公开工作年度报告"
    assert trs.content_source == ".TRS_UEDITOR"
    text = trs.text
    assert_headings_on_own_lines(text)
    lines = text.split("\n")
    # <br> inside a cell joins the cell's words, the row stays one TAB-joined line
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in lines
    assert "行政规范性文件\t6\t2\t48" in lines
    assert "行政复议\t行政诉讼" in lines
    # an empty cell keeps its place: two TABs in a row
    assert (
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t\t结果纠正\t其他结果\t尚未审结\t总计"
        in lines
    )
    # <br> in a paragraph is a line break
    assert "2023年，石门县深入贯彻落实《条例》，" in lines
    assert "全面推进基层政务公开标准化规范化。" in lines
    assert_absent(
        text,
        [
            "011234567/2024-00003",
            "索　引　号",
            "发文机关",
            "成文日期",
            "发文字号",
            "发布日期",
            "您现在的位置",
            "分享到",
            "微信",
            "打印本页",
            "关闭窗口",
            "相关阅读",
            "主办单位",
            "请输入关键字",
            "字体",
        ],
    )


# --- Wuhan-style ul/li header, no known container (scored fallback) ---------------------


@pytest.fixture(scope="module")
def wuhan() -> ExtractedPage:
    return load("wuhan_article.html")


def test_wuhan_meta_and_index_in_doc_number(wuhan: ExtractedPage) -> None:
    assert wuhan.meta == {
        "index_no": "K28044908/2026-04277",
        "category": "政务公开",
        "publisher": "后湖街道办事处",
        "written_date": "2026-02-13",
        "published_date": "2026-02-14",
        "validity": "有效",
    }
    assert "meta_index_no_in_doc_number:696785044/2026-00017" in wuhan.flags


def test_wuhan_scored_content(wuhan: ExtractedPage) -> None:
    assert wuhan.title == "后湖街道办事处2025年政府信息公开工作年度报告"  # from <h1>
    assert wuhan.content_source == "scored" and "content_scored" in wuhan.flags
    text = wuhan.text
    assert_headings_on_own_lines(text)
    assert "行政处罚\t4" in text.split("\n")
    assert text.split("\n")[-1] == "本年度未收取信息处理费。"
    assert_absent(
        text,
        [
            "K28044908",
            "696785044",
            "发文机构",
            "有效性",
            "当前位置",
            "政府信息公开指南",
            "相关文件",
            "2024年政府信息公开工作年度报告",
            "打印本页",
            "浏览次数",
            "主办单位",
            "鄂ICP备",
            "办事服务",
        ],
    )


# --- GBK pages ---------------------------------------------------------------------------


def test_gbk_declared_gb2312_with_non_gb2312_characters() -> None:
    page = load("gbk_gb2312.html")
    assert page.encoding == "gb18030"
    assert "政务公开工作由主任朱镕负责，具体工作由党政办公室王喆承办。" in page.text
    assert page.meta == {
        "index_no": "620702081/2026-00007",  # comment-wrapped <!--<$[SYH]>-->
        "publisher": "北街街道办事处",
        "written_date": "2026-01-23",  # " 生成日期 : " with half-width colon
        "published_date": "2026-01-24",  # <meta name="PubDate"> fallback
        "title": "北街街道办事处2025年政府信息公开工作年度报告",  # ArticleTitle fallback
    }  # 发文字号, 关键词, 公开形式, 责任部门, 是否有效 are empty cells: no keys
    assert_headings_on_own_lines(page.text)
    assert_absent(page.text, ["620702081", "附件下载", "当前位置", "网站标识码", "生成日期"])


def test_gbk_bytes_declared_utf8() -> None:
    page = load("gbk_declared_utf8.html", declared="text/html; charset=utf-8")
    assert page.encoding == "gb18030"
    assert "encoding_mismatch:declared=utf-8,used=gb18030" in page.flags
    assert "乡长赵堃负责政务公开工作。" in page.text
    assert "\ufffd" not in page.text
    assert page.title == "金山乡2023年政府信息公开工作年度报告"  # <title> minus " - 东阳县人民政府"
    assert page.meta == {}
    assert_headings_on_own_lines(page.text)
    assert_absent(page.text, ["首页", "政务服务", "版权所有"])


# --- robustness --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, kind",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "pdf"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(64), "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "ole"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_binary_body_gives_empty_page(body: bytes, kind: str) -> None:
    page = extract_page(body, "http://www.example.gov.cn/a.html", "text/html")
    assert page.text == "" and page.main_html == "" and page.meta == {}
    assert page.flags == [f"not_html:{kind}"]


@pytest.mark.parametrize("body", [b"", b"   ", b"<html></html>", b"plain words, no markup"])
def test_degenerate_bodies_do_not_raise(body: bytes) -> None:
    page = extract_page(body, "http://www.example.gov.cn/a.html")
    assert isinstance(page.text, str)


def test_extracted_page_is_frozen(hanweb: ExtractedPage) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        hanweb.title = "x"  # type: ignore[misc]


def test_title_prefers_a_report_heading_over_a_logo_h1() -> None:
    body = (
        "<html><head><meta name='SiteName' content='青溪县人民政府'>"
        "<title>青溪县人民政府</title></head><body>"
        "<div class='header'><h1>青溪县人民政府</h1></div>"
        "<div class='con'><h2>白沙镇2023年政府信息公开工作年度报告</h2>"
        "<div class='TRS_Editor'><p>一、总体情况</p><p>本年度……</p></div></div></body></html>"
    )
    page = extract_page(body.encode("utf-8"), "http://www.example.gov.cn/a.html")
    assert page.title == "白沙镇2023年政府信息公开工作年度报告"
    assert page.text == "一、总体情况\n本年度……"


def test_title_from_title_tag_without_site_suffix() -> None:
    body = (
        "<html><head><title>白沙镇2023年政府信息公开工作年度报告_政府信息公开年报_青溪县人民政府"
        "</title></head><body><div id='zoom'><p>一、总体情况</p></div></body></html>"
    )
    page = extract_page(body.encode("utf-8"), "http://www.example.gov.cn/a.html")
    assert page.title == "白沙镇2023年政府信息公开工作年度报告"


def test_asp_layout_tables_word_html_gbk_without_declaration_in_header() -> None:
    # Old ASP site: the whole page is layout tables, the body is Word-exported HTML, GBK bytes
    # declared only in <meta> as gb2312, and the HTTP header says just "text/html".
    page = load("asp_layout.html", declared="text/html")
    assert page.encoding == "gb18030"
    assert page.title == "龙潭乡2019年政府信息公开工作年度报告"  # <title> minus "--安平县人民政府"
    assert page.meta == {
        "publisher": "龙潭乡人民政府",
        "published_date": "2020-01-21",
    }  # byline row
    assert page.content_source == "scored" and "content_scored" in page.flags
    lines = page.text.split("\n")
    assert lines[0] == "本报告依据《中华人民共和国政府信息公开条例》编制。"  # NBSP indent trimmed
    assert_headings_on_own_lines(page.text)
    # a source line break between two Chinese characters is not a space
    assert "2019年，龙潭乡主动公开政府信息32条，其中通过政府网站公开21条。" in lines
    assert "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量" in lines
    assert "规章\t0\t0\t0" in lines
    assert_absent(
        page.text,
        [
            "网站首页",
            "政府信息公开指南",
            "来源",
            "点击数",
            "打印本页",
            "关闭窗口",
            "版权所有",
            "ICP备",
            "安平县人民政府",
        ],
    )


def test_plain_text_body_keeps_its_lines_and_header() -> None:
    seed = SEED_DIR / "004_d99be4c0911699a4.txt"
    page = extract_page(seed.read_bytes(), "http://www.example.gov.cn/a.txt", "text/html")
    assert "plain_text" in page.flags
    assert page.meta == {
        "index_no": "000014349/2021-337607",
        "written_date": "2021-01-28",
        "title": "花戛乡人民政府2020年政府信息公开工作年度报告",
    }
    assert page.title == "花戛乡人民政府2020年政府信息公开工作年度报告"
    assert page.text.split("\n")[:2] == [
        "一、总体情况",
        "2020年,花戛乡人民政府认真贯彻落实《中华人民共和国政府信息公开条例》(以下简称《条例》),"
        "扎实推进政府信息公开工作,进一步提高政府工作透明度,保障公民、法人和其它社会组织依法获取政府信息的权益。"
        "在政务公开方面,积极主动公开,扩大社会公众参与度,不断提升政务公开水平。",
    ]
    assert "000014349" not in page.text
    assert page.main_html.startswith('<div class="plain-text"><p>一、总体情况</p><p>2020年,')


def test_plain_text_keeps_a_leading_tab_of_an_empty_first_cell() -> None:
    body = "一、总体情况\n\n\t（二）部分公开\t1\t2\n　　二、主动公开政府信息情况　\n".encode()
    page = extract_page(body, "http://www.example.gov.cn/a.txt")
    assert page.text == "一、总体情况\n\t（二）部分公开\t1\t2\n二、主动公开政府信息情况"


def test_links_resolve_against_base_href_and_a_malformed_link_does_not_raise() -> None:
    # lxml's make_links_absolute raised "Invalid IPv6 URL" here once a <base> was present.
    body = (
        "<html><head><base href='/xxgk/2024/'></head><body><div id='zoom'><p>一、总体情况</p>"
        "<p>附件：<a href=' P020240122512345678901.pdf '>年度报告.pdf</a> "
        "<a href='http://[bad'>坏链接</a> <img src='../img/W1.png'></p></div></body></html>"
    )
    page = extract_page(body.encode(), "http://www.example.gov.cn/art/2024/1/22/art_1_2.html")
    assert 'href="http://www.example.gov.cn/xxgk/2024/P020240122512345678901.pdf"' in page.main_html
    assert 'src="http://www.example.gov.cn/xxgk/img/W1.png"' in page.main_html
    assert 'href="http://[bad"' in page.main_html and "<base" not in page.main_html


def test_gkmlpt_shell_with_header_and_body_in_config_detail() -> None:
    # Guangdong gkmlpt content page (docs/portals.md §6): the HTML has a partial header table and an
    # empty Vue mount point; the body and the other fields are JSON in window._CONFIG.DETAIL.
    content = (
        "<p><strong>一、总体情况</strong></p><p>本年度，本局主动公开政府信息86条。</p>"
        "<p><strong>二、主动公开政府信息情况</strong></p>"
        "<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>0</td></tr></table>"
    )
    detail = {
        "id": 9103540,
        "title": "江门市蓬江区司法局2023年政府信息公开工作年度报告",
        "identifier": "11440703MB2C01234X/2024-00012",
        "document_number": "",
        "publisher": "江门市蓬江区司法局",
        "display_publish_time": 1705910400,
        "keywords": "年报",
        "content": content,
    }
    script = json.dumps(detail, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E")
    body = (
        "<html><head><title>江门市蓬江区司法局2023年政府信息公开工作年度报告</title></head><body>"
        "<table class='xxgk'><tr><td>索引号：</td><td>11440703MB2C01234X/2024-00012</td>"
        "<td>成文日期：</td><td>2024-01-19</td></tr></table><div id='app'></div>"
        f"<script>window._CONFIG = {{ SID: '755041', DETAIL: {script}, SERVICE_AREA_ID: 4407 }};"
        "</script>"
        "</body></html>"
    )
    page = extract_page(
        body.encode("utf-8"), "http://www.jmpj.gov.cn/gkmlpt/content/9/9103/post_9103540.html"
    )
    assert page.meta == {
        "index_no": "11440703MB2C01234X/2024-00012",  # the table
        "publisher": "江门市蓬江区司法局",  # the JSON, for fields the table lacks
        "written_date": "2024-01-19",
        "published_date": "2024-01-22",  # epoch seconds, read in China's time zone
        "title": "江门市蓬江区司法局2023年政府信息公开工作年度报告",
        "keywords": "年报",
    }
    assert page.flags == []
    assert page.content_source == "_CONFIG.DETAIL"
    assert page.text.split("\n") == [
        "一、总体情况",
        "本年度，本局主动公开政府信息86条。",
        "二、主动公开政府信息情况",
        "信息内容\t本年制发件数",
        "规章\t0",
    ]


def test_an_image_only_report_page_is_flagged_no_text() -> None:
    # A report published as a scan: the body holds nothing but the picture of the report.
    body = (
        "<html><head><meta charset='utf-8'><title>清河镇2022年政府信息公开工作年度报告</title>"
        "</head>"
        "<body><div id='zoom'><p><img src='/uploadfiles/2023/01/W020230118.jpg' alt=''></p></div>"
        "</body></html>"
    ).encode()
    page = extract_page(body, "http://127.0.0.1:8000/art/2023/1/18/art_1014_7.html")
    assert page.text == ""
    assert "no_text" in page.flags


def test_a_bodyless_fragment_keeps_every_paragraph_not_its_longest_cell() -> None:
    # The layout of 上海市人民政府办公厅's 2019 report as a CMS keeps it (tests/realset
    # sh-shanghai-office-html-2019): <p> paragraphs and <table>s with no <html>/<body>/<div>
    # around them, one table cell holding more text than any other block.
    cell = "因政府信息公开工作被申请行政复议、提起行政诉讼情况的说明文字" * 3
    fragment = (
        "<p style='text-align: center'>2019年青溪县人民政府办公室政府信息公开工作年度报告</p>"
        "<p>一、总体情况</p><p>2019年，本机关主动公开规章13件，行政规范性文件60件。</p>"
        "<p>二、主动公开政府信息情况</p>"
        f"<table><tr><td>{cell}</td><td>规章</td><td>13</td></tr></table>"
        "<p>五、存在的主要问题及改进情况</p><p>公开质量仍需提高。</p>"
    )
    page = extract_page(fragment.encode(), "http://www.example.gov.cn/a.html")
    for part in ("一、总体情况", "本机关主动公开规章13件", cell, "公开质量仍需提高。"):
        assert part in page.text, part
    assert page.main_html.count("<table") == 1


def test_a_paragraph_right_under_body_does_not_make_body_the_container() -> None:
    # Old pages put the footer's <p> directly in <body>, beside the div that holds the report.
    body = "<p>本年度，本机关主动公开政府信息1200条，其中规章13件，规范性文件60件。</p>" * 6
    page_html = (
        "<html><body><div class='top'><a href='/'>首页</a><a href='/x'>政务公开</a></div>"
        f"<div class='wrap'><div>{body}</div></div>"
        + "<p>本栏目发布县政府各部门的年度报告，欢迎社会各界监督，来信请寄县政府办公室。</p>" * 2
        + "</body></html>"
    )
    page = extract_page(page_html.encode(), "http://www.example.gov.cn/a.html")
    assert "本机关主动公开政府信息1200条" in page.text
    assert "本栏目" not in page.text
