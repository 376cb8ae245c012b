"""decode_html: validate the declared charset instead of trusting it (docs/stack-facts.md §7)."""

from __future__ import annotations

import codecs

import pytest

from reports.extract.encoding import decode_bytes, decode_html, normalize_charset

PAGE = (
    "<html><body><p>某某市人民政府办公室关于朱镕、王喆、赵堃、刘赟同志任职的通知</p></body></html>"
)


def test_utf8_without_declaration() -> None:
    assert decode_html(PAGE.encode("utf-8"), None) == (PAGE, "utf-8")


def test_bom_wins_and_is_removed() -> None:
    text, enc = decode_html(codecs.BOM_UTF8 + PAGE.encode("utf-8"), "gbk")
    assert (text, enc) == (PAGE, "utf-8")


def test_gbk_undeclared() -> None:
    assert decode_html(PAGE.encode("gbk"), None) == (PAGE, "gb18030")


@pytest.mark.parametrize("declared", ["gb2312", "GBK", "text/html; charset=gb2312", "x-gbk"])
def test_gb2312_and_gbk_decode_as_gb18030(declared: str) -> None:
    # 镕 喆 堃 赟 are outside GB2312: a gb2312 codec would fail or mangle them.
    assert decode_html(PAGE.encode("gbk"), declared) == (PAGE, "gb18030")


def test_meta_charset_is_read_from_the_bytes() -> None:
    body = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + PAGE).encode(
        "gbk"
    )
    decoded = decode_bytes(body, None)
    assert decoded.encoding == "gb18030" and "朱镕" in decoded.text and decoded.flags == []


@pytest.mark.parametrize("declared", ["utf-8", "text/html; charset=UTF-8", "iso-8859-1", "cp1252"])
def test_wrong_declaration_for_gbk_bytes(declared: str) -> None:
    decoded = decode_bytes(PAGE.encode("gbk"), declared)
    assert decoded.text == PAGE and decoded.encoding == "gb18030"
    assert any(f.startswith("encoding_mismatch:") for f in decoded.flags)


def test_utf8_bytes_declared_gb2312() -> None:
    decoded = decode_bytes(PAGE.encode("utf-8"), "gb2312")
    assert decoded.text == PAGE and decoded.encoding == "utf-8"
    assert decoded.flags == ["encoding_mismatch:declared=gb18030,used=utf-8"]


def test_caller_bytes_untouched() -> None:
    body = bytearray(PAGE.encode("gbk"))
    before = bytes(body)
    decode_html(bytes(body), "utf-8")
    assert bytes(body) == before


def test_undecodable_bytes_never_raise() -> None:
    decoded = decode_bytes(b"<p>\xff\xfe\xff\x80\x80\xff</p>" * 3, "utf-8")
    assert isinstance(decoded.text, str) and decoded.encoding


@pytest.mark.parametrize(
    "name, expected",
    [
        ("gb2312", "gb18030"),
        ("GBK", "gb18030"),
        ("utf8", "utf-8"),
        ("UTF-8", "utf-8"),
        ("text/html;charset=gbk", "gb18030"),
        ("no-such-charset", None),
        (None, None),
        ("", None),
    ],
)
def test_normalize_charset(name: str | None, expected: str | None) -> None:
    assert normalize_charset(name) == expected


def test_utf8_page_with_one_broken_sequence_stays_utf8() -> None:
    body = (PAGE * 10).encode("utf-8")
    cut = body.index("任职".encode()) + 1  # a stray lead byte of a 3-byte character
    broken = body[:cut] + body[cut + 2 :]
    decoded = decode_bytes(broken, "gb2312")
    assert decoded.encoding == "utf-8"
    assert "encoding_replaced_bytes" in decoded.flags
    assert decoded.text.count("\ufffd") == 1 and decoded.text.count("朱镕") == 10
