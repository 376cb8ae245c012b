"""extract_page never raises, whatever the bytes (it runs inside a Scrapy item pipeline)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.extract import extract_page, parse_text_header
from tests.conftest import FIXTURE_ROOT

FIXTURES = FIXTURE_ROOT / "extract"
_PIECES = [
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "</td>",
    "<th>",
    "<p>",
    "</p>",
    "<br>",
    "<div id='zoom'>",
    "</div>",
    "<ul><li>",
    "<!--ZJEG_RSS.content.begin-->",
    "<!--ZJEG_RSS.content.end-->",
    "<!--",
    "-->",
    "索引号：",
    "发布机构",
    "成文日期",
    "2024年01月05日",
    "无",
    "— —",
    "一、总体情况",
    "\u3000",
    "&nbsp;",
    "当前位置：",
    "打印本页",
    "网站标识码",
    "<script>",
    "</script>",
    "|",
    "\n",
    "镕",
    "<meta charset='gbk'>",
    "<h1>",
    "</h1>",
    "<td colspan='3'>",
    "<dl><dt>",
    "<dd>",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(_PIECES), max_size=40),
    st.sampled_from(["utf-8", "gbk"]),
    st.sampled_from([None, "text/html", "text/html; charset=utf-8", "gb2312", "bogus"]),
)
def test_tag_soup_never_raises(pieces: list[str], codec: str, declared: str | None) -> None:
    body = "".join(pieces).encode(codec)
    page = extract_page(body, "http://www.example.gov.cn/a.html", declared)
    assert isinstance(page.text, str) and isinstance(page.meta, dict)
    assert all(isinstance(v, str) and v for v in page.meta.values())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise(body: bytes) -> None:
    page = extract_page(body, "http://www.example.gov.cn/a.html")
    assert isinstance(page.text, str)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_parse_text_header_returns_the_text_without_header_lines(text: str) -> None:
    meta, rest = parse_text_header(text)
    # the header's lines may stand among the top's other lines, which stay, in their order
    lines = iter(text.splitlines(keepends=True))
    assert all(line in lines for line in rest.splitlines(keepends=True))
    assert meta or rest == text


def test_truncated_fixture_pages() -> None:
    for path in sorted(FIXTURES.glob("*.html")):
        body = path.read_bytes()
        for cut in (1, 100, len(body) // 3, len(body) // 2, len(body) - 7):
            page = extract_page(body[:cut], f"http://www.example.gov.cn/{path.name}")
            assert isinstance(page.text, str)


def test_a_page_over_ten_megabytes_is_read_whole_and_flagged() -> None:
    # libxml2 silently drops a text node over 10 MB and all that follows it; a 12 MB page
    # with one giant paragraph (or an inline base64 image) must keep the report after it.
    giant = "正文" * 2_000_000
    body = (
        "<html><body><div id='zoom'><p>一、总体情况</p>"
        f"<p>{giant}</p><p><img src='data:image/png;base64,{'QUJD' * 300_000}'></p>"
        "<p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>0</td></tr></table>"
        "</div></body></html>"
    ).encode()
    assert len(body) > 12_000_000
    page = extract_page(body, "http://www.example.gov.cn/a.html")
    lines = page.text.split("\n")
    assert lines[0] == "一、总体情况" and lines[1] == giant
    assert lines[2:] == ["二、主动公开政府信息情况", "规章\t0"]
    assert page.flags == ["huge_page", "meta_no_header"]
