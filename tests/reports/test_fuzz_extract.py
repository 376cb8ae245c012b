"""Hypothesis fuzzing of the extractor and the attachment converters: no exception escapes,
whatever the bytes, the declared charset or the file name (issue 11: extract_page raised
ValueError on a control character in a declared charset)."""

from __future__ import annotations

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.extract import extract_page
from reports.extract.attachments import convert
from simulator.hostile import tiny_pdf

CONTROL = st.characters(codec="utf-8", categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"))
# declared charsets as servers send them: names, near-names, junk, control characters
CHARSETS = st.one_of(
    st.none(),
    st.sampled_from(
        ["utf-8", "gbk", "gb2312", "GB18030", "big5", "latin-1", "utf-16", "x-unknown"]
    ),
    st.text(st.one_of(CONTROL, st.sampled_from("utf-8gbk2312 ;=\"'/")), max_size=20),
    st.builds(
        lambda a, c, b: a + c + b,
        st.sampled_from(["utf", "gb", "text/html; charset="]),
        CONTROL,
        st.sampled_from(["-8", "2312", "k", ""]),
    ),
)
HTML_PIECES = [
    "<html>",
    "<head>",
    "<meta charset='{cs}'>",
    "<meta http-equiv='Content-Type' content='text/html; charset={cs}'>",
    "<title>",
    "</title>",
    "<body>",
    "<div id='zoom'>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "索引号：",
    "发文日期：",
    "2023年",
    "一、总体情况",
    "<p>",
    "</p>",
    "<?xml version='1.0' encoding='{cs}'?>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "&#0;",
    "&#x1b;",
    "&#xd800;",
    "&#99999999;",
    "&nbsp;",
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(CONTROL, max_size=3)), max_size=30),
    st.text(CONTROL, max_size=4),
    st.sampled_from(["utf-8", "gb18030", "utf-16", "latin-1"]),
    CHARSETS,
)
def test_extract_page_never_raises_on_control_characters(pieces, cs, codec, declared):
    text = "".join(pieces).replace("{cs}", "utf-8" + cs)
    body = text.encode(codec, errors="surrogatepass" if codec.startswith("utf") else "replace")
    page = extract_page(body, "http://www.example.gov.cn/a.html", declared)
    assert isinstance(page.text, str) and isinstance(page.flags, list)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096), CHARSETS)
def test_extract_page_never_raises_on_random_bytes(body, declared):
    assert isinstance(extract_page(body, "http://www.example.gov.cn/a.html", declared).text, str)


def _docx_like(payload: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", payload[:200])
        z.writestr("word/document.xml", payload)
    return buf.getvalue()


def _mutate(data: bytes, cuts: list[int], junk: bytes) -> bytes:
    for c in cuts:
        c %= max(1, len(data))
        data = data[:c] + junk + data[c + len(junk) :]
    return data


DOCUMENTS = st.one_of(
    st.binary(max_size=2048),
    st.builds(
        _mutate,
        st.just(tiny_pdf("2023 annual report")),
        st.lists(st.integers(0, 2000), max_size=4),
        st.binary(min_size=1, max_size=16),
    ),
    st.builds(lambda b: _docx_like(b), st.binary(max_size=512)),
    st.builds(lambda b: b"PK\x03\x04" + b, st.binary(max_size=512)),
    st.builds(
        lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b, st.binary(max_size=512)
    ),  # OLE (.doc/.xls)
    st.builds(lambda b: b"{\\rtf1" + b, st.binary(max_size=512)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    DOCUMENTS,
    st.sampled_from(
        [
            "",
            "a.pdf",
            "a.docx",
            "a.xlsx",
            "a.xls",
            "a.doc",
            "a.wps",
            "a.rtf",
            "a.ofd",
            "a.zip",
            "a\x00.pdf",
            "附件\u202e.pdf",
        ]
    ),
    st.sampled_from(
        [
            "",
            "application/pdf",
            "application/octet-stream",
            "text/html; charset=\x00",
            "application/msword",
        ]
    ),
)
def test_attachment_convert_never_raises(body, filename, content_type):
    converted = convert(body, filename, content_type)
    assert isinstance(converted.text, str) and isinstance(converted.flags, (list, tuple))
