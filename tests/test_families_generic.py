"""Generic pages: anchors with titles, "更多" block headings, next-page links, page titles."""
from __future__ import annotations

from pathlib import Path

from crawler.families import detect_family, generic

FIX = Path(__file__).parent / "fixtures" / "portals"


def test_links_and_more_context():
    text = (FIX / "generic_home.html").read_text(encoding="utf-8")
    assert detect_family(text) == "generic"
    links = {l.url: l for l in generic.links(text, "http://www.qinghe.gov.cn/")}
    assert "javascript:void(0)" not in " ".join(links)
    more = links["http://www.qinghe.gov.cn/zwgk/ndbg/"]
    assert more.context == "政府信息公开年报"
    assert links["https://xxgk.qinghe.gov.cn/zfxxgk/"].title == "政府信息公开"


def test_next_pages():
    text = (FIX / "generic_list.html").read_text(encoding="utf-8")
    nxt = generic.next_pages(text, "http://www.qinghe.gov.cn/zwgk/ndbg/")
    assert nxt == ["http://www.qinghe.gov.cn/zwgk/ndbg/?page=1", "http://www.qinghe.gov.cn/zwgk/ndbg/?page=2"]


def test_page_titles_prefer_article_title():
    html = """<html><head><meta name="ArticleTitle" content="XX镇2023年政府信息公开工作年度报告">
    <title>XX县人民政府</title></head><body><h1>XX镇2023年政府信息公开工作年度报告</h1></body></html>"""
    assert generic.page_titles(html)[0] == "XX镇2023年政府信息公开工作年度报告"
    assert generic.page_title(html) == "XX镇2023年政府信息公开工作年度报告"
    assert generic.page_titles("<html><head><title>T</title></head><body><h1>H</h1></body></html>") == ["T", "H"]


def test_onclick_links():
    html = """<html><body><a href="javascript:void(0)" onclick="window.open('/art/2024/1/2/art_1_2.html')"
    title="XX镇2023年政府信息公开工作年度报告">XX镇2023年…</a><a href="javascript:;">x</a></body></html>"""
    (link,) = generic.links(html, "http://www.xx.gov.cn/col/col1/index.html")
    assert link.url == "http://www.xx.gov.cn/art/2024/1/2/art_1_2.html"
    assert link.title == "XX镇2023年政府信息公开工作年度报告"
