"""Hanweb JCMS listing parser: datastore island, jpage settings, dataproxy requests and XML."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from crawler.families import detect_family, hanweb
from tests.conftest import FIXTURE_ROOT

FIX = FIXTURE_ROOT / "portals"
COLUMN_URL = "http://www.yunxi.gov.cn/col/col1229000088/index.html"


def column() -> str:
    return (FIX / "hanweb_column.html").read_text(encoding="utf-8")


def test_detects_hanweb():
    assert detect_family(column()) == "hanweb"


def test_datastore_records_take_the_full_title_and_skip_dirty_records():
    links = hanweb.parse_records(column(), COLUMN_URL)
    assert [link.url for link in links[:2]] == [
        "http://www.yunxi.gov.cn/art/2024/1/22/art_1229000088_59000123.html",
        "http://xxgk.yunxi.gov.cn/art/2024/1/19/art_1229000090_59000101.html",
    ]
    # link text is truncated ("…年度报..."), title= holds the full title
    assert links[0].title == "云溪县2023年政府信息公开工作年度报告"
    assert links[0].date == "2024-01-22"
    assert len(links) == 5  # the record without an <a> is dropped


def test_jpage_config():
    cfg = hanweb.parse_jpage_config(column())
    assert cfg is not None
    assert (cfg.total_record, cfg.per_page, cfg.columnid, cfg.unitid, cfg.webid) == (
        37,
        5,
        "1229000088",
        "4411234",
        "3185",
    )
    assert cfg.webname == "云溪县人民政府"
    assert cfg.form() == {
        "col": "1",
        "appid": "1",
        "webid": "3185",
        "path": "/",
        "columnid": "1229000088",
        "sourceContentType": "1",
        "unitid": "4411234",
        "webname": "云溪县人民政府",
        "permissiontype": "0",
    }


def test_jpage_config_from_nextgroup_only():
    text = (
        '<datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1'
        "&webid=39&path=/&columnid=61490&unitid=247686&webname=%25E5%2590%258D&permissiontype=0"
        '"></a>]]></nextgroup><recordset></recordset></datastore>'
    )
    cfg = hanweb.parse_jpage_config(text)
    assert (cfg.columnid, cfg.unitid, cfg.webid, cfg.webname) == ("61490", "247686", "39", "名")
    assert cfg.total_record is None


def test_post_pages_follow_startrecord_endrecord():
    cfg = hanweb.parse_jpage_config(column())
    page = hanweb.post_page(cfg, COLUMN_URL, 6, 15)
    parts = urlsplit(page.url)
    assert parts.path == "/module/web/jpage/dataproxy.jsp"
    assert parse_qs(parts.query) == {"startrecord": ["6"], "endrecord": ["20"], "perpage": ["5"]}
    last = hanweb.post_page(cfg, COLUMN_URL, 36, 15)
    assert (last.start, last.end) == (36, 37)  # clipped to totalRecord


def test_get_page_replaces_page_number():
    ng = hanweb.nextgroup_url(column(), COLUMN_URL)
    assert ng.startswith("http://www.yunxi.gov.cn/module/web/jpage/dataproxy.jsp?page=1&")
    q = parse_qs(urlsplit(hanweb.get_page(ng, 3)).query)
    assert q["page"] == ["3"] and q["columnid"] == ["1229000088"] and q["unitid"] == ["4411234"]


def test_dataproxy_xml_records():
    xml = (FIX / "hanweb_dataproxy.xml").read_text(encoding="utf-8")
    links = hanweb.parse_records(xml, COLUMN_URL)
    assert hanweb.total_record(xml) == 37
    assert [link.title for link in links] == [
        "云溪县2021年政府信息公开工作年度报告",
        "云溪县2020年政府信息公开工作年度报告",
        "云溪县2021年政务公开工作要点",
        "2013年度谢塘镇政府信息公开工作年度报告",
    ]
    assert links[1].date == "2021-01-28"


def test_empty_recordset():
    assert (
        hanweb.parse_records(
            "<datastore><totalrecord>0</totalrecord><recordset/></datastore>", COLUMN_URL
        )
        == []
    )
