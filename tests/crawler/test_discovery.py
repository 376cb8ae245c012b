"""crawler.discovery on saved pages of every kind (tests/fixtures/discovery/), each labelled by
hand: what the page is, which links it has, how its pager and its script's endpoints read."""

from __future__ import annotations

import json

import pytest

from crawler.discovery import doors, endpoints, features, kinds, paging
from crawler.discovery import vocabulary as V
from crawler.discovery.links import page_links
from crawler.discovery.page import Page
from crawler.discovery.score import FETCH_FLOOR, NEVER, score
from crawler.discovery.urls import canonical, pager_key
from crawler.families import Link
from crawler.families.api import Call
from reports.normalize import labels
from simulator.reports import report_body
from simulator.seeds import SEEDS, seed_report
from tests.conftest import FIXTURE_ROOT

FIX = FIXTURE_ROOT / "discovery"
BASE = "http://www.qx.gov.cn/zwgk/nb/2022/t20220125_1.html"


def page(name: str, url: str = BASE, declared: str | None = None) -> Page:
    return Page.build(url, (FIX / name).read_bytes(), declared)


@pytest.mark.parametrize(
    "name,kind",
    [
        ("report_2021.html", kinds.REPORT),
        ("report_2016_old_template.html", kinds.REPORT),  # the 2008–2018 form's section names
        ("report_see_attachment.html", kinds.REPORT),  # two lines and the PDF: 详见附件
        ("report_scan.html", kinds.REPORT),  # a scanned image under its own heading
        ("listing_column_titled_like_a_report.html", kinds.LISTING),  # titled 乡镇信息公开年报, GBK
        ("listing_year_folder.html", kinds.LISTING),  # titled 2019年度
        ("listing_onclick_rows.html", kinds.LISTING),  # rows that navigate by onclick, GBK
        ("hub_home.html", kinds.HUB),
        ("hub_frameset.html", kinds.HUB),
        ("article_interpretation.html", kinds.ARTICLE),  # quotes the sections; 解读 vetoes
        ("article_gov_work_report.html", kinds.ARTICLE),  # 政府工作报告 is another report
        ("blocked_challenge.html", kinds.BLOCKED),
        ("blocked_waf.html", kinds.BLOCKED),
        ("error_soft404.html", kinds.ERROR),  # 提示信息: 不存在或已被删除, HTTP 200
        ("error_404_title.html", kinds.ERROR),
    ],
)
def test_page_kind(name, kind):
    verdict = kinds.decide(page(name))
    assert verdict.kind == kind, (verdict, page(name).features)


def test_report_evidence_and_year():
    full = kinds.decide(page("report_2021.html"))
    assert full.year == 2021 and full.title == "青溪县农业农村局2021年政府信息公开工作年度报告"
    assert full.evidence["sections"][:3] == [
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "政府信息公开行政复议、行政诉讼情况",
    ]
    assert full.evidence["stat_tables"] >= 2
    short = kinds.decide(page("report_see_attachment.html"))
    # its text is the PDF's: the year is the file's to say (a title may name the publication year)
    assert short.year is None and short.evidence["documents"] == ["./P020230120512345678901.pdf"]
    assert "sections" not in short.evidence
    old = kinds.decide(page("report_2016_old_template.html"))
    assert old.year == 2016 and len(old.evidence["sections"]) >= 2


def _normalizer_table_labels() -> list[tuple[str, str, str]]:
    """(table, variant, key) of every label table the normalizer reads the statistical tables
    by: all of reports/normalize/labels.py's tables but the section headings."""
    return [
        (name, variant, key)
        for name, table in vars(labels).items()
        if isinstance(table, labels.LabelTable) and table is not labels.SECTION_HEADINGS
        for variant, key in table.items()
    ]


def test_every_label_the_normalizer_knows_for_the_tables_is_read_once():
    known = _normalizer_table_labels()
    assert len(known) > 60  # both forms, every variant (not a copied list)
    for name, variant, key in known:
        if len(variant) < V.MIN_TABLE_LABEL:
            continue
        # one concept, even for a label holding a shorter one (结果维持, 申请人无正当理由逾期不补正)
        assert len(features.table_concepts(variant)) == 1, (name, variant, key)
    # as a page writes them: full width, numbered, traditional script, 本单位 for 本机关
    assert features.table_concepts("（四）1．本單位不掌握相關政府信息") == {
        V.TABLE_LABELS["本机关不掌握相关政府信息"]
    }
    # 2-character labels stand in any table: never read
    assert features.table_concepts("规章其他总计") == set()


def test_a_report_table_counts_concepts_and_not_words():
    # the same concept three times is one concept
    assert not features.is_report_table("行政复议行政复议行政复议")
    assert features.is_report_table("予以公开部分公开不予公开")


def _page_with(title: str, body: str) -> Page:
    html = f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    return Page.build(BASE, html.encode())


def _table(rows: list[list[str]]) -> str:
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{cells}</table>"


def test_tables_of_other_pages_are_not_report_tables():
    review_news = _table(
        [
            ["类别", "收案", "结案", "维持", "撤销", "确认违法", "纠正", "驳回", "终止", "其他"],
            ["行政复议", "126", "118", "74", "9", "3", "12", "15", "5", "0"],
            ["行政诉讼", "88", "80", "51", "4", "2", "6", "13", "4", "0"],
            ["总计", "214", "198", "125", "13", "5", "18", "28", "9", "0"],
        ]
    )
    budget = _table(
        [
            ["项目", "预算数", "上年预算数", "增减"],
            ["一般公共预算拨款", "1,204.5", "1,180.2", "24.3"],
            ["维持机构正常运转", "860.0", "842.1", "17.9"],
            ["纠正四风专项经费", "12.0", "10.0", "2.0"],
            ["规章制度印制", "3.5", "3.0", "0.5"],
            ["其他", "45.1", "40.0", "5.1"],
            ["总计", "2,125.1", "2,075.3", "49.8"],
        ]
    )
    for title, table in (
        ("某县2023年行政复议和行政应诉工作情况通报", review_news),
        ("某县人力资源和社会保障局2024年部门预算", budget),
    ):
        assert _page_with(title, table).features.stat_tables == 0, title


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_every_table_of_a_seed_report_is_a_report_table(key):
    # the simulator renders the seeds' tables from a vocabulary of its own, both forms
    seed = SEEDS[key]
    page_ = _page_with(seed.title, report_body(seed.title, seed_report(key)))
    assert page_.features.stat_tables == 3  # 二 主动公开, 三 依申请, 四 复议诉讼


def test_a_document_is_a_report_only_when_its_link_or_name_says_so():
    pdf = Page.build("http://www.qx.gov.cn/u/P0202401.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj")
    assert pdf.document_kind == "pdf"
    assert kinds.decide(pdf, "东坝镇2023年政府信息公开工作年度报告.pdf").kind == kinds.REPORT
    assert kinds.decide(pdf, "2024年部门预算.pdf").kind == kinds.ARTICLE


def test_one_decode_for_gbk_bytes_declared_in_meta_only():
    p = page(
        "listing_column_titled_like_a_report.html", "http://www.qx.gov.cn/ShowClass.asp?ClassID=9"
    )
    assert p.encoding == "gb18030" and p.head_title == "乡镇信息公开年报"
    titles = [k.title for k in page_links(p)]
    assert (
        "东坝镇2023年政府信息公开工作年度报告" in titles
    )  # the title attribute beats the cut text


def test_every_kind_of_link():
    p = page("links_every_kind.html", "http://www.qx.gov.cn/zwgk/index.html")
    got = {(k.url.replace("http://www.qx.gov.cn", ""), k.via) for k in page_links(p)}
    assert {
        ("/zwgk/xxgknb/", "a"),  # relative to <base href>
        ("/art/2024/1/2/art_1_2.html", "onclick"),  # window.open in onclick
        ("/dept/", "a"),  # an image-only link
        ("/zwgk/xz/index.html", "onclick"),  # location.href on a <span>
        ("/zwgk/jd/index.html", "area"),
        ("/zwgk/frame/list.html", "iframe"),
        ("/bm/jyj/index.html", "option"),
        ("/bm/mzj/index.html", "option"),
        ("/zwgk/list.jsp?cid=9&page=2", "form"),  # a GET form with its values
        ("/zwgk/nb/index.html", "script"),  # window.location.href = …
        ("/zwgk/bm/list.jsp?cid=12", "script"),  # location = …
        ("/index.html", "script"),  # a quoted path in a script
    } <= got
    links = {k.url: k for k in page_links(p)}
    assert links["http://www.qx.gov.cn/dept/"].title == "部门信息公开"
    assert (
        links["http://www.qx.gov.cn/art/2024/1/2/art_1_2.html"].title
        == "东坝镇2023年政府信息公开工作年度报告"
    )
    # no mail, no fragment, no style sheet, no JSON data file as a page
    assert not [u for u in links if "mailto" in u or u.endswith((".css", "#top", ".json"))]


def test_unit_names_of_every_shape_and_the_department_dropdown():
    p = page("hub_home.html", "http://www.wlt.gov.cn/")
    links = page_links(p)
    units = {k.title for k in links if score(k, parent_kind=kinds.HUB, unit_directory=True) >= 60}
    assert {
        "巴音苏木",
        "乌兰镇",
        "海流图嘎查",
        "旗教育局",
        "红旗林场",
        "前进农场",
        "经济开发区管委会",
    } <= units
    assert {(k.url, k.via) for k in links if k.via == "option"} == {
        ("http://jyj.wlt.gov.cn/", "option"),
        ("http://www.wlt.gov.cn/bm/wjw/", "option"),
    }


def test_rows_that_navigate_by_onclick_are_links_of_a_listing():
    p = page("listing_onclick_rows.html", "http://www.qs.gov.cn/zwgk/col.php?lm=12")
    f = p.features
    # two menu anchors and five rows, each a link with a date beside it; the titles are link
    # text, not text of the page's own
    assert f.links == 7 and f.dated_rows == 5 and f.content_chars < 200, f
    assert [k.url.rsplit("=", 1)[1] for k in page_links(p) if k.via == "onclick"] == [
        "7731",
        "7712",
        "7650",
        "7302",
        "7288",
    ]


def test_navigation_options_as_bare_file_names_and_queries_alone():
    url = "http://www.hd.gov.cn/xxgk/col.asp?lm=1"
    got = {
        (k.url, k.title)
        for k in page_links(page("hub_dropdowns_relative.html", url))
        if k.via == "option"
    }
    assert got == {
        ("http://www.hd.gov.cn/xxgk/col.asp?lm=81", "县教育体育局"),
        ("http://www.hd.gov.cn/xxgk/col.asp?lm=82", "县卫生健康局"),
        ("http://www.hd.gov.cn/xxgk/col.asp?lm=83", "县自然资源局"),
        ("http://www.hd.gov.cn/xxgk/list.shtml", "哈达苏木"),
    }  # the year filter is no link


def test_a_unit_tree_fills_the_unit_list_call_and_id_records_join_the_url_constant():
    listing = "http://www.xs.gov.cn/gk/zj.jsp"
    [tree] = endpoints.find(page("endpoint_unit_tree_ids.html", listing))
    assert (tree.url, tree.form) == ("http://www.xs.gov.cn/gk/org/tree.do", (("site", "4311"),))
    nodes = json.dumps(
        [
            {
                "orgId": "A1",
                "title": "乡镇",
                "nodes": [
                    {"orgId": "b7k", "title": "哈达苏木"},
                    {"orgId": "c9x", "title": "青山镇"},
                ],
            }
        ],
        ensure_ascii=False,
    )
    # the tree's ids are units, not documents: no links, but one list call per unit
    assert endpoints.answer_links(nodes, tree) == []
    calls = endpoints.filled_calls(tree, nodes)
    assert [dict(c.form) for c in calls][:3] == [
        {"orgId": "A1", "pageNo": "1"},
        {"orgId": "b7k", "pageNo": "1"},
        {"orgId": "c9x", "pageNo": "1"},
    ]
    assert all(c.url == "http://www.xs.gov.cn/gk/doc/page.do" for c in calls)
    records = json.dumps(
        {
            "rows": [{"docId": "90817", "name": "哈达苏木2023年政府信息公开工作年度报告"}],
            "pageCount": 1,
        },
        ensure_ascii=False,
    )
    # a record that carries only its id: the page's URL constant waiting for a value, plus the id
    got = [(k.url, k.title) for k in endpoints.answer_links(records, calls[1])]
    assert got == [
        (
            "http://www.xs.gov.cn/gk/article.jsp?docid=90817",
            "哈达苏木2023年政府信息公开工作年度报告",
        )
    ]


def test_frames_are_links():
    p = page("hub_frameset.html", "http://www.qx.gov.cn/xxgk/")
    frames = [(k.url, k.via) for k in page_links(p)]
    assert frames == [
        ("http://www.qx.gov.cn/xxgk/top.html", "frame"),
        ("http://www.qx.gov.cn/xxgk/main.jsp?cid=7", "frame"),
    ]
    assert all(score(Link(u, "", via=v), parent_kind=kinds.HUB) >= FETCH_FLOOR for u, v in frames)


def test_pager_in_a_select_and_next_link_any_wording():
    url = "http://www.qx.gov.cn/ShowClass.asp?ClassID=9"
    p = page("listing_column_titled_like_a_report.html", url)
    steps = {s.url for s in paging.steps(p, page_links(p))}
    assert {url + "&page=2", url + "&page=3"} <= steps
    assert all(pager_key(s) == pager_key(url) for s in steps)


def test_page_count_in_a_script_variable_plans_name_n_pages():
    url = "http://www.qx.gov.cn/bm/mzj/nb/index.html"
    p = page("paging_shapes.html", url)
    steps = paging.steps(p, page_links(p))
    assert [s.url.rsplit("/", 1)[1] for s in steps] == [f"index_{k}.html" for k in range(1, 5)]
    assert all(s.probe for s in steps)  # 0- or 1-based: a 404 at either end is expected


def test_post_pager_posts_every_page_number():
    url = "http://www.qx.gov.cn/list.aspx?cid=4"
    p = page("paging_post.html", url)
    posts = [s for s in paging.steps(p, page_links(p)) if s.form]
    assert [dict(s.form)["curpage"] for s in posts] == ["1", "2", "3"]
    assert all(dict(s.form)["__VIEWSTATE"] == "dDwtMTA4" and s.url == url for s in posts)
    after = paging.next_post_step(posts[-1])
    assert after is not None and dict(after.form)["curpage"] == "4"


def test_get_page_form_is_a_pager_submitted_with_the_next_number():
    """A generated listing (seed 390032, GBK declared in the header only) paged only by a GET
    form: a hidden column id and a box holding the current page number, under 共3页."""
    url = "http://127.0.0.1:8100/channel.asp?nodeid=51337036e73fced842c5d934b2fbf259"
    body = (FIX / "listing_get_form_pager.html").read_bytes()
    p = Page.build(url, body, "text/html; charset=GBK")
    assert kinds.decide(p).kind == kinds.LISTING
    steps = {s.url: s for s in paging.steps(p, page_links(p))}
    assert {url + "&Page=2", url + "&Page=3"} <= set(steps)
    assert steps[url + "&Page=3"].probe  # planned from the declared count
    # a page 2 that declares no count, its form holding 2: pages 1 and 3 are its neighbours
    second = body.replace(b'value="1"', b'value="2"').replace("共3页".encode("gbk"), b"")
    p2 = Page.build(url + "&Page=2", second, "text/html; charset=GBK")
    assert sorted(s.url for s in paging.steps(p2, page_links(p2))) == [
        url + "&Page=1",
        url + "&Page=3",
    ]


def test_get_page_form_by_its_one_number_box_whatever_its_name():
    url = "http://www.qx.gov.cn/news.php?col=7"
    p = Page.from_text(
        url,
        """<html><body><ul>
        <li><a href="show.php?id=1">县2023年度政府信息公开工作年度报告</a></li></ul>
        <form action="news.php"><input type="hidden" name="col" value="7">
        第<input type="text" name="cp" value="3">页 <input type="submit" value="GO"></form>
        <form action="/search.php" method="get"><input name="kw" value="">
        <input type="hidden" name="page" value="1"></form></body></html>""",
    )
    steps = paging.steps(p, page_links(p))
    # the box is the pager (cp: no page-parameter name); the search form, its box empty, is not
    assert sorted(s.url for s in steps) == [
        "http://www.qx.gov.cn/news.php?col=7&cp=2",
        "http://www.qx.gov.cn/news.php?col=7&cp=4",
    ]
    counted = Page.from_text(url, p.text.replace("第<input", "共5页 第<input"))
    planned = sorted(s.number or 0 for s in paging.steps(counted, page_links(counted)))
    assert planned == [1, 2, 4, 5]  # every number of a declared count but the page's own


def test_script_endpoints_get_and_post():
    p = page("endpoint_shell.html", "http://www.qx.gov.cn/zwgk/nb/")
    calls = {(c.url, c.form) for c in endpoints.find(p)}
    assert (
        "http://www.qx.gov.cn/api/open/list.do",
        (("channelId", "c8f2"), ("pageNo", "1"), ("pageSize", "10")),
    ) in calls
    assert ("http://www.qx.gov.cn/api/units/tree?root=county", None) in calls
    assert ("http://www.qx.gov.cn/zwgk/side_fragment.html", None) in calls


def test_endpoint_answers_json_and_html_and_the_next_page():
    post = Call(
        "http://www.qx.gov.cn/api/open/list.do",
        endpoints.FAMILY,
        1,
        form=(("channelId", "c8f2"), ("pageNo", "1")),
        extra=(("listing", "http://www.qx.gov.cn/zwgk/nb/"),),
    )
    answer = json.dumps(
        {
            "code": 0,
            "data": {
                "total": 23,
                "list": [
                    {
                        "docTitle": "县司法局2023年政府信息公开工作年度报告",
                        "docUrl": "/zwgk/nb/2024/t1.html",
                        "pubDate": "2024-01-20",
                    },
                    {"title": "苏木乡镇", "children": [{"name": "巴音苏木", "url": "/sm/bys/"}]},
                    {
                        "html": (
                            "<li><a href='/zwgk/nb/2023/t2.html'>"
                            "县司法局2022年政府信息公开工作年度报告</a></li>"
                        )
                    },
                ],
            },
        },
        ensure_ascii=False,
    )
    got = {(k.url, k.title) for k in endpoints.answer_links(answer, post)}
    assert got == {
        ("http://www.qx.gov.cn/zwgk/nb/2024/t1.html", "县司法局2023年政府信息公开工作年度报告"),
        ("http://www.qx.gov.cn/sm/bys/", "巴音苏木"),
        ("http://www.qx.gov.cn/zwgk/nb/2023/t2.html", "县司法局2022年政府信息公开工作年度报告"),
    }
    nxt = endpoints.next_call(post)
    assert nxt is not None and dict(nxt.form)["pageNo"] == "2" and nxt.page == 2
    fragment = "<ul><li><a href='a.html'>甲</a></li></ul>"
    get = Call("http://www.qx.gov.cn/zwgk/frag.jsp?p=3", endpoints.FAMILY, 3)
    assert [k.url for k in endpoints.answer_links(fragment, get)] == [
        "http://www.qx.gov.cn/zwgk/a.html"
    ]
    assert endpoints.next_call(get).url.endswith("p=4")
    assert endpoints.next_call(Call("http://www.qx.gov.cn/x.json", endpoints.FAMILY)) is None


def test_robots_sitemaps_sitemap_index_and_search():
    base = "https://www.qx.gov.cn/robots.txt"
    assert doors.robots_sitemaps((FIX / "robots.txt").read_text(), base) == [
        "https://www.qx.gov.cn/sitemap_index.xml",
        "https://www.qx.gov.cn/sitemap_news.xml",
    ]
    locs, index = doors.sitemap_locs((FIX / "sitemap_index.xml").read_bytes())
    assert index and locs == [
        "https://www.qx.gov.cn/sitemap_1.xml",
        "https://www.qx.gov.cn/sitemap_2.xml",
    ]
    queries = doors.search_queries(page("search_form.html", "http://www.qx.gov.cn/"))
    assert [q.url for q in queries] == [
        "http://www.qx.gov.cn/search/search.jsp?siteid=3&searchword=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A",
        "http://www.qx.gov.cn/search/search.jsp?siteid=3&searchword=%E5%B9%B4%E6%8A%A5",
    ]


@pytest.mark.parametrize(
    "declaration, content_type",
    [
        ('<?xml version="1.0" encoding="GBK"?>', ""),  # the declaration names it
        ("<?xml version='1.0' encoding='gb2312'?>", "text/xml"),  # a header without a charset
        ('<?xml version="1.0" encoding="UTF-8"?>', "text/xml; charset=GBK"),  # the header wins
        ("", "application/xml;charset=gbk"),
    ],
)
def test_a_gbk_sitemap_is_read_in_the_charset_it_declares(declaration, content_type):
    path = "/xxgk/年度报告/2023年政府信息公开工作年度报告.html"
    body = (
        f'{declaration}\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc> http://www.lx.gov.cn{path}?a=1&amp;b=2 </loc></url></urlset>"
    ).encode("gbk")
    locs, index = doors.sitemap_locs(body, content_type)
    assert locs == [f"http://www.lx.gov.cn{path}?a=1&b=2"] and not index


def test_scores_order_the_frontier_and_never_decide_the_kind():
    def s(title, url="http://www.qx.gov.cn/a/b.html", **kw):
        return score(Link(url, title), parent_kind=kw.pop("parent_kind", kinds.HUB), **kw)

    report = s("东坝镇2023年政府信息公开工作年度报告")
    cut = s("东坝镇2023年政府信息公开工作...")
    route = s("政府信息公开年报")
    unit = s("巴音苏木", unit_directory=True)
    news = s("县长主持召开常务会议")
    decoy = s("《东坝镇2023年政府信息公开工作年度报告》解读")
    assert report > cut > route > unit > FETCH_FLOOR > news > decoy
    assert s("下一月", "http://www.qx.gov.cn/calendar.php?month=2024-03") == NEVER
    assert s("登录") == NEVER
    # an untitled entry of a 年报 column, and a page of a listing that lists reports
    assert (
        s("", "http://www.qx.gov.cn/art/2024/1/2/art_1_2.html", report_column=True) >= FETCH_FLOOR
    )
    assert (
        score(
            Link("http://www.qx.gov.cn/l?p=2", ""),
            parent_kind=kinds.LISTING,
            pager=True,
            yielded=True,
        )
        > route
    )


def test_canonical_folds_scheme_fragment_and_query_order():
    assert canonical("https://WWW.qx.gov.cn/a?b=2&a=1#x") == canonical(
        "http://www.qx.gov.cn/a?a=1&b=2"
    )
    assert canonical("http://www.qx.gov.cn:80/a") == canonical("http://www.qx.gov.cn/a")
    assert canonical("http://www.qx.gov.cn/a?id=1") != canonical("http://www.qx.gov.cn/a?id=2")
