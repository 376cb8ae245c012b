"""The text renderers that run in libxslt, each against its walk in Python, the reference:
the extractor's render_text (_render_text_walk), the normalizer's html_text (html_text_walk)
and its html_grids (table_grid of each table).

Trees are drawn from a grammar wider than report pages: blocks, inline mark-up, skipped
elements, comments, data and layout tables with captions, <br>, bold or 黑体 run-in headings,
and text of CJK, Latin, digits, every kind of whitespace the renderer treats (ASCII runs with
and without line breaks, NBSP, U+3000, U+2002, zero-width space, BOM).
"""

from __future__ import annotations

from html import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from reports.extract.text import _render_text_walk, render_text
from reports.normalize.grid import html_grids, html_text, html_text_walk, parse_html, table_grid

_PIECES = [*"中文报告年一二三四五六十、。：:.abc 19"]
_PIECES += [" ", "  ", "\n", " \n ", "\t", "\r\n", "\xa0", "\u3000", "\u2002", "\u200b", "\ufeff"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=8).map(lambda ps: escape("".join(ps)))
_HEADINGS = st.sampled_from(
    [
        "一、总体情况",
        "　二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况：",
        "十、其他",
    ]
)
_INLINE = st.sampled_from(["span", "b", "strong", "font", "a", "em", "o:p"])
_BLOCK = st.sampled_from(["p", "div", "li", "h3", "section", "center"])
_SKIP = st.sampled_from(["script", "style", "select", "button"])
_STYLE = st.sampled_from(
    ["", " style='font-weight:700'", " style='font-family:黑体'", " face='SimHei'", " class='x'"]
)


def _wrap(tag: str, style: str, inner: str) -> str:
    return f"<{tag}{style}>{inner}</{tag}>"


def _cells(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    spans = st.sampled_from(
        ["", " colspan='2'", " rowspan='3'", " rowspan='２' colspan=' 2'", " colspan='x'"]
    )
    cell = st.tuples(st.sampled_from(["td", "th"]), spans, children)
    row = st.lists(cell, max_size=4).map(
        lambda cs: "<tr>" + "".join(f"<{t}{a}>{c}</{t}>" for t, a, c in cs) + "</tr>"
    )
    return st.tuples(
        st.sampled_from(["", "<caption>表一</caption>"]),
        st.sampled_from(["", "tbody"]),
        st.lists(row, max_size=4),
    ).map(
        lambda t: (
            "<table>"
            + t[0]
            + (f"<{t[1]}>" + "".join(t[2]) + f"</{t[1]}>" if t[1] else "".join(t[2]))
            + "</table>"
        )
    )


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    many = st.lists(children, max_size=4).map("".join)
    return st.one_of(
        st.builds(_wrap, _INLINE, _STYLE, many),
        st.builds(_wrap, _BLOCK, _STYLE, many),
        st.builds(_wrap, _SKIP, st.just(""), many),
        st.builds(lambda h, s, rest: f"<p><b{s}>{h}</b>{rest}</p>", _HEADINGS, _STYLE, many),
        _cells(many),
        many.map(
            lambda inner: (
                f"<table><tr><td>{inner}<table><tr><td>x</td></tr></table></td></tr></table>"
            )
        ),
    )


_FRAGMENT = st.recursive(
    st.one_of(_TEXT, _HEADINGS, st.just("<br>"), st.just("<!-- c -->")), _extend, max_leaves=24
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENT, min_size=1, max_size=5).map("".join))
def test_stylesheet_renders_as_the_walk(fragment: str) -> None:
    root = html.fragment_fromstring(fragment, create_parent="div")
    before = html.tostring(root)
    assert render_text(root) == _render_text_walk(root)
    assert html.tostring(root) == before  # the run-in marks are taken off again


def test_a_page_printing_a_mark_is_rendered_by_the_walk() -> None:
    root = html.fragment_fromstring("<p>甲\ufdd1乙</p><p>丙</p>", create_parent="div")
    assert render_text(root) == "甲\ufdd1乙\n丙"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENT, min_size=1, max_size=5).map("".join))
def test_html_text_stylesheet_writes_as_the_walk(fragment: str) -> None:
    root = parse_html(f"<html><head><title>t</title></head><body>{fragment}</body></html>")
    assert root is not None
    for el in [
        root,
        *root.iter("p", "td", "table", "script", "b"),
    ]:  # a subtree, as the extractor's main
        assert html_text(el) == html_text_walk(el)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_FRAGMENT, min_size=1, max_size=5).map("".join))
def test_html_grids_stylesheet_reads_as_table_grid(fragment: str) -> None:
    root = parse_html(f"<html><body>{fragment}</body></html>")
    assert root is not None
    for el in [root, *root.iter("table", "td")]:
        assert html_grids(el) == [g for g in (table_grid(t) for t in el.iter("table")) if g]


def test_a_cell_printing_a_grid_mark_is_read_table_by_table() -> None:
    root = parse_html("<table><tr><td>甲\ufdd6乙</td><td rowspan='2\ufdd8'>3</td></tr></table>")
    assert root is not None
    assert [[c and c.text for c in row] for row in html_grids(root)[0]] == [["甲\ufdd6乙", "3"]]
