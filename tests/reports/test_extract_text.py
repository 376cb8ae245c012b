"""render_text and find_main on small hand-written snippets."""

from __future__ import annotations

from lxml import etree, html

from reports.extract.content import find_main, strip_chrome
from reports.extract.dom import parse_document
from reports.extract.text import render_text


def render(fragment: str) -> str:
    return render_text(html.fragment_fromstring(fragment, create_parent="div"))


def test_blocks_and_br_make_lines_and_blank_lines_collapse() -> None:
    assert (
        render(
            "<h2>一、总体情况</h2><div><p>第一段。</p>\n\n<p></p><p>第二段<br>第三行</p></div>"
            "<ul><li>甲</li><li>乙</li></ul>"
        )
        == "一、总体情况\n第一段。\n第二段\n第三行\n甲\n乙"
    )


def test_heading_inside_strong_stays_on_its_own_line() -> None:
    assert (
        render("<p>前言。</p><p><strong>　　二、主动公开政府信息情况</strong></p><p>正文</p>")
        == "前言。\n二、主动公开政府信息情况\n正文"
    )


def test_spaces_nbsp_and_ideographic_space() -> None:
    # inner NBSP and U+3000 survive as spaces; both ends of a line are trimmed
    assert render("<p>\u3000\u3000报&nbsp;&nbsp;告\u3000正文&nbsp;</p>") == "报  告\u3000正文"
    assert render("<p>2023   年\t共计  45 条</p>") == "2023 年 共计 45 条"


def test_source_line_breaks_between_chinese_characters_vanish() -> None:
    text = render("<p>本年新收政府信息\n      公开申请数量 12\n件</p>")
    assert text == "本年新收政府信息公开申请数量 12 件"


def test_table_rows_tab_joined_colspan_once_empty_cells_kept() -> None:
    text = render(
        "<p>表前</p><table>"
        "<tr><td rowspan='2' colspan='2'>（本列数据的勾稽关系为：第一项加第二项之和）</td>"
        "<td colspan='7'>申请人情况</td></tr>"
        "<tr><td>自然人</td><td></td><td><p>科研</p><p>机构</p></td></tr>"
        "<tr><td>（一）<br>予以公开</td><td>&nbsp;3 </td><td>-</td></tr>"
        "<tr><td></td><td></td></tr>"
        "</table><p>表后</p>"
    )
    assert text.split("\n") == [
        "表前",
        "（本列数据的勾稽关系为：第一项加第二项之和）\t申请人情况",
        "自然人\t\t科研机构",
        "（一）予以公开\t3\t-",
        "表后",
    ]


def test_layout_table_renders_cells_as_blocks() -> None:
    text = render(
        "<table><tr><td><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table>"
        "</td></tr></table>"
    )
    assert text == "一、总体情况\n规章\t0"


def test_comments_and_scripts_are_not_text() -> None:
    assert (
        render("<p>甲<!-- 注释 -->乙</p><script>var a='脚本';</script><style>p{}</style>") == "甲乙"
    )


def page(body: str) -> etree._Element:
    return parse_document(f"<html><head><title>t</title></head><body>{body}</body></html>")


def test_known_container_order_and_outermost_match() -> None:
    root = page(
        "<div class='TRS_Editor'>别的编辑器区域里的文字。</div>"
        "<div id='zoom'><div class='TRS_Editor'><p>一、总体情况：正文。</p></div></div>"
    )
    main, how = find_main(root)
    assert how == "div#zoom" and main.get("id") == "zoom"


def test_empty_known_container_is_skipped() -> None:
    root = page("<div id='zoom'></div><div class='main-txt'><p>一、总体情况：正文。</p></div>")
    _, how = find_main(root)
    assert how == ".main-txt"


def test_zjeg_markers_without_zoom() -> None:
    root = page(
        "<div class='art'><p>标题区</p><!--ZJEG_RSS.content.begin--><p>一、总体情况</p>"
        "<p>二〇二三年正文内容，足够长的一段文字。</p><!--ZJEG_RSS.content.end--><p>打印本页</p></div>"
    )
    main, how = find_main(root)
    assert how == "zjeg_markers"
    assert render_text(main) == "一、总体情况\n二〇二三年正文内容，足够长的一段文字。"


def test_scored_fallback_never_takes_nav_or_footer() -> None:
    long_footer = "本网站由青溪县人民政府办公室主办，青溪县大数据发展管理局承办，" * 6
    root = page(
        "<div class='nav'>"
        + "".join(f"<a href='/c{i}'>栏目名称{i}</a>" for i in range(30))
        + "</div>"
        "<div class='wrap'><div class='txt'><p>一、总体情况</p><p>"
        "本年度主动公开政府信息四十五条。</p>"
        "<p>二、主动公开政府信息情况</p></div></div>"
        f"<div class='footer'><p>{long_footer}</p></div>"
    )
    main, how = find_main(root)
    assert how == "scored"
    assert (
        render_text(main)
        == "一、总体情况\n本年度主动公开政府信息四十五条。\n二、主动公开政府信息情况"
    )


def test_strip_chrome_inside_container() -> None:
    root = page(
        "<div id='zoom'><div class='crumb'>当前位置：首页 &gt; 年报</div>"
        "<p>字体：[<a>大</a> <a>中</a> <a>小</a>]</p>"
        "<p>一、总体情况</p><p>发布时间：2024-01-22　浏览次数：<span>3</span></p>"
        "<table><tr><td>规章</td><td>0</td></tr></table>"
        "<div class='share'>分享到：微信 微博</div>"
        "<p>【打印本页】【关闭窗口】</p><script>x()</script></div>"
    )
    main, _ = find_main(root)
    strip_chrome(main)
    assert render_text(main) == "一、总体情况\n规章\t0"


def test_report_sentences_with_counter_words_survive() -> None:
    root = page(
        "<div id='zoom'><p>一、总体情况</p><p>全年网站浏览量：12万次。</p>"
        "<p>点击数：3</p>"
        "<div>当前位置：首页 &gt; 政府信息公开 &gt; 法定主动公开内容 &gt; 年报</div></div>"
    )
    main, _ = find_main(root)
    strip_chrome(main)
    assert render_text(main) == "一、总体情况\n全年网站浏览量：12万次。"


def test_heading_run_into_its_paragraph_gets_its_own_line() -> None:
    text = render(
        "<p style='text-indent:2em'><strong>一、总体情况</strong>2023年，"
        "白沙镇扎实推进政务公开。</p>"
        "<p><span style='font-family:黑体'>二、主动公开政府信息情况</span><span>"
        "全年主动公开信息156条。</span></p>"
        "<p><b>（一）主动公开。</b>全年通过政府网站公开。</p>"
        "<p>三、收到和处理政府信息公开申请情况：全年收到申请3件。</p>"
        "<p>四、加强组织领导，全年召开专题会议2次。</p>"
        "<p><b>五、存在的主要问题及改进情况</b></p>"
    )
    assert text.split("\n") == [
        "一、总体情况",
        "2023年，白沙镇扎实推进政务公开。",
        "二、主动公开政府信息情况",
        "全年主动公开信息156条。",
        "（一）主动公开。全年通过政府网站公开。",  # a run-in sub-heading is prose
        "三、收到和处理政府信息公开申请情况：",  # an official heading, even without mark-up
        "全年收到申请3件。",
        "四、加强组织领导，全年召开专题会议2次。",  # not a heading: neither marked nor official
        "五、存在的主要问题及改进情况",
    ]


def test_a_bold_sentence_or_a_table_row_is_not_split() -> None:
    text = render(
        "<p><b>一、坚持公开为常态、不公开为例外。全年无泄密事件。</b>另有说明。</p>"
        "<table><tr><td>一、总体情况</td><td>12</td></tr></table>"
    )
    assert text.split("\n") == [
        "一、坚持公开为常态、不公开为例外。全年无泄密事件。另有说明。",
        "一、总体情况\t12",
    ]


def test_a_heading_ending_in_punctuation_stays_whole() -> None:
    # seed 001 writes "一、总体情况：" on its own line: nothing to split off
    assert render(
        "<p><b>一、总体情况：</b></p><p>六、其他需要报告的事项。</p>"
        "<p>二、主动公开政府信息情况，如下：</p>"
    ).split("\n") == [
        "一、总体情况：",
        "六、其他需要报告的事项。",
        "二、主动公开政府信息情况，如下：",
    ]
