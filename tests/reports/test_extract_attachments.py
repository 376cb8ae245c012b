"""Attachment converters: the seed reports as DOCX, PDF, DOC, XLSX and XLS read back to the
same numbers as their HTML page, in the page's text shape; corrupt input gives flags.

DOCX, PDF and XLSX are made here from the seeds (simulator/documents.py); the .doc files were
made once from those DOCX files with LibreOffice and are checked in beside the seed texts, as
is one .xls.  Reading .doc needs LibreOffice or antiword: `make sysdeps` installs them.
"""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest

from reports.extract.attachments import attachment_suffix, convert, convert_isolated, sniff
from reports.normalize import normalize_html, normalize_text
from simulator.documents import report_doc, report_docx, report_pdf, report_xlsx
from simulator.reports import report_body
from simulator.seeds import SEEDS, seed_report
from tests.conftest import FIXTURE_ROOT

FIXTURES = FIXTURE_ROOT / "extract" / "attachments"
TABLES = ("active", "applications", "review_litigation")
MAKERS = {
    "docx": lambda key: report_docx(SEEDS[key].title, seed_report(key)),
    "pdf": lambda key: report_pdf(SEEDS[key].title, seed_report(key)),
    "doc": report_doc,
}


def page_report(key: str) -> dict:
    return normalize_html(
        report_body(SEEDS[key].title, seed_report(key)), source="page", title=SEEDS[key].title
    )


@pytest.mark.parametrize("kind", MAKERS)
@pytest.mark.parametrize("key", sorted(SEEDS))
def test_seed_attachment_normalizes_to_the_numbers_of_its_page(key: str, kind: str) -> None:
    if kind == "doc" and not (shutil.which("soffice") or shutil.which("antiword")):
        pytest.fail("reading .doc needs LibreOffice or antiword: run `make sysdeps`")
    converted = convert(MAKERS[kind](key), f"{key}.{kind}")
    assert (converted.kind, converted.flags) == (kind, [])
    report = normalize_text(converted.text, source=f"{key}.{kind}", title=SEEDS[key].title)
    page = page_report(key)
    assert report["template"] == page["template"] == SEEDS[key].template
    for table in TABLES:
        assert report[table] == page[table], table
    # and the numbers are the seed's own: 鹿乡镇 had 109 行政处罚 items the year before
    if key == "003":
        assert report["active"]["penalty"]["prev_items"] == 109


def test_pdf_docx_and_doc_give_the_same_text_in_the_page_shape() -> None:
    texts = {kind: convert(make("003"), f"003.{kind}").text for kind, make in MAKERS.items()}
    assert texts["pdf"] == texts["docx"] == texts["doc"]
    lines = texts["pdf"].split("\n")
    assert lines[0] == "鹿乡镇2020年政府信息公开工作年度报告"
    assert lines[1].startswith("本年报是根据") and lines[1].endswith("电话：0431-84141316。")
    assert lines[2] == "一、总体情况"
    for heading in seed_report("003").headings:
        assert heading in lines
    # a paragraph wrapped over several PDF lines (and a page break) comes out as one line
    assert lines[3].startswith("2020年，我镇根据吉林省") and lines[3].endswith("均得到了顺利开展。")
    # table rows: one per line, TAB between cells, a merged cell once, in its first row
    assert "第二十条第（一）项" in lines
    assert "行政处罚\t109\t0\t0" in lines
    assert "三、本年度办理结果\t（一）予以公开\t0\t0\t0\t0\t0\t0\t0" in lines
    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0" in lines
    assert "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉" in lines


def test_xlsx_and_xls_statistics_tables() -> None:
    xlsx = convert(report_xlsx(SEEDS["003"].title, seed_report("003")), "003.xlsx")
    xls = convert((FIXTURES / "003_stats.xls").read_bytes(), "003_stats.xls")
    assert (xlsx.kind, xlsx.flags, xls.kind, xls.flags) == ("xlsx", [], "xls", [])
    assert xls.text == xlsx.text
    lines = xls.text.split("\n")
    assert lines[:3] == [
        "年度报告统计表",
        "鹿乡镇2020年政府信息公开工作年度报告",
        "二、政府信息主动公开情况",
    ]
    assert "行政许可\t2\t0\t0" in lines and "行政处罚\t109\t0\t0" in lines
    report = normalize_text(xls.text, source="003_stats.xls", title=SEEDS["003"].title)
    for table in TABLES:
        assert report[table] == page_report("003")[table], table


def test_a_doc_named_wps_is_read_as_the_word_file_it_is() -> None:
    # Kingsoft WPS saves Word 97 compound files under .wps
    converted = convert(report_doc("004"), "花戛乡年报.wps")
    assert converted.kind == "wps" and converted.flags == []
    assert "二、主动公开政府信息情况" in converted.text.split("\n")


@pytest.mark.parametrize(
    "body, name, ctype, kind",
    [
        (b"%PDF-1.7\n", "", "", "pdf"),
        (
            b"\r\n%PDF-1.4\n",
            "download.jsp",
            "application/octet-stream",
            "pdf",
        ),  # junk before the header
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "x.xls", "", "xls"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "", "application/msword", "doc"),
        (b"{\\rtf1\\ansi ", "report.doc", "", "rtf"),
        (b"<html><head><meta name=ProgId content=Word.Document></head>", "report.doc", "", "html"),
        (b"\x89PNG\r\n\x1a\n", "scan.pdf", "application/pdf", "image"),
        (b"plain bytes", "", "application/vnd.ofd", "ofd"),
    ],
)
def test_sniff_trusts_bytes_before_names(body: bytes, name: str, ctype: str, kind: str) -> None:
    assert sniff(body, name, ctype) == kind


@pytest.mark.parametrize(
    "url, text, suffix",
    [
        ("http://x.gov.cn/zwgk/202401/P020240122512345678901.pdf", "", ".pdf"),
        (
            "http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2401191012345678.pdf",
            "",
            ".pdf",
        ),
        ("http://x.gov.cn/attach/download?id=88", "附件：白沙镇2023年年报.docx", ".docx"),
        ("http://x.gov.cn/a/REPORT.DOC", "", ".doc"),
        ("http://x.gov.cn/a/t20240122_1.html", "2023年年报", None),
        ("http://x.gov.cn/a/report.pdf.html", "", None),
    ],
)
def test_attachment_suffix(url: str, text: str, suffix: str | None) -> None:
    assert attachment_suffix(url, text) == suffix


# --- what must not take the crawl down ----------------------------------------------------


def test_truncated_pdf_is_flagged() -> None:
    body = report_pdf(SEEDS["000"].title, seed_report("000"))
    half = convert(body[: len(body) // 2], "000.pdf")
    assert half.kind == "pdf" and half.text == ""
    assert half.flags and half.flags[0].startswith("corrupt:pdf:")


def test_pdf_cut_off_before_its_trailer_is_read_through_its_catalog() -> None:
    body = report_pdf(SEEDS["000"].title, seed_report("000"))
    cut = convert(body[: body.rindex(b"\nxref\n")], "000.pdf")
    assert cut.flags == ["recovered:pdf_without_trailer"]
    assert cut.text == convert(body, "000.pdf").text


def test_pdf_without_characters_is_no_text() -> None:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    for _ in range(2):  # two "scanned" pages: only vector drawing, no text layer
        pdf.rect(50, 50, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    converted = convert(out.getvalue(), "scan.pdf")
    assert (converted.kind, converted.text) == ("pdf", "")
    assert converted.flags == ["no_text_pages:1,2", "no_text"]


def test_image_is_no_text() -> None:
    converted = convert(b"\x89PNG\r\n\x1a\n" + bytes(100), "年报扫描件.png")
    assert converted == type(converted)("image", "", ["no_text"])


def test_zip_bomb_docx_is_refused_without_inflating() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            for _ in range(100):  # 100 MB of spaces deflate to ~100 KB
                member.write(b" " * (1 << 20))
    body = out.getvalue()
    assert len(body) < 200_000
    converted = convert(body, "年报.docx")
    assert converted.flags == ["refused:zip_bomb:word/document.xml"] and converted.text == ""


@pytest.mark.parametrize(
    "body, name, flag",
    [
        (bytes(range(256)) * 20, "年报.docx", "corrupt:zip:"),
        (b"PK\x03\x04" + bytes(range(256)) * 20, "年报.xlsx", "corrupt:zip:"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20, "年报.xls", "corrupt:xls:"),
        (b"", "年报.pdf", "empty"),
    ],
)
def test_garbage_in_a_document_name_is_flagged(body: bytes, name: str, flag: str) -> None:
    converted = convert(body, name)
    assert converted.text == "" and any(f.startswith(flag) for f in converted.flags), (
        converted.flags
    )


def test_isolated_conversion_gives_the_same_result() -> None:
    body = report_pdf(SEEDS["002"].title, seed_report("002"))
    assert convert_isolated(body, "002.pdf") == convert(body, "002.pdf")


def test_isolated_conversion_out_of_memory_or_time_is_a_flag() -> None:
    body = report_pdf(SEEDS["002"].title, seed_report("002"))
    starved = convert_isolated(body, "002.pdf", memory=40 * 2**20)  # cannot even load the parser
    assert starved.text == "" and starved.flags[0].startswith("failed:")
    late = convert_isolated(body, "002.pdf", timeout=0.01)
    assert late == type(late)("pdf", "", ["timeout:convert_0s"])
