"""A report item with attachments through the extract, archive and normalize pipelines.

The page either carries the report itself (its PDF copy is archived and read, the page stays
the source), or only links it (the report is read from the attachment), or links a scan
(``no_text``), or links something broken: never an exception, always the raw bytes archived.
"""

from __future__ import annotations

import asyncio
import io
import json
import zipfile

from crawler.items import Attachment, ReportPage
from pipelines.archive import ArchivePipeline
from pipelines.extraction import ExtractPipeline
from pipelines.normalizing import NormalizePipeline
from simulator.documents import report_doc, report_docx, report_pdf
from simulator.reports import report_body
from simulator.seeds import SEEDS, seed_report
from storage import open_store
from storage.keys import raw_key, sha256_hex

PAGE_URL = (
    "http://127.0.0.1:8000/zwgk/zfxxgk/xzxxgk/lxz/zfxxgknb_20931/202101/t20210115_8812345.html"
)
PDF_URL = (
    "http://127.0.0.1:8000/zwgk/zfxxgk/xzxxgk/lxz/zfxxgknb_20931/202101/P020210115123456789012.pdf"
)
TABLES = ("active", "applications", "review_litigation")


def page_html(body: str) -> bytes:
    return (
        "<html><head><meta charset='utf-8'><title>鹿乡镇2020年政府信息公开工作年度报告</title>"
        "</head><body>"
        "<div class='position'>当前位置：<a href='/'>首页</a></div>"
        "<table class='xxgk_table'><tr><td>索 引 号</td><td>014276100/2021-00003</td>"
        "<td>发布机构</td><td>鹿乡镇人民政府</td></tr></table>"
        f"<div class='TRS_Editor'>{body}</div></body></html>"
    ).encode()


LINK_ONLY = page_html(
    "<p>附件：<a href='./P020210115123456789012.pdf'>鹿乡镇2020年政府信息公开工作年度报告.pdf"
    "</a></p>"
)


def item_with(body: bytes, *attachments: Attachment) -> ReportPage:
    return ReportPage(
        url=PAGE_URL,
        portal="tongqiao",
        body=body,
        status=200,
        headers={"Content-Type": "text/html; charset=utf-8"},
        fetched_at="2021-01-20T08:00:00+00:00",
        attachments=list(attachments),
    )


def attachment(
    body: bytes, url: str = PDF_URL, content_type: str = "application/pdf"
) -> Attachment:
    return Attachment(
        url=url,
        link_text="鹿乡镇2020年政府信息公开工作年度报告.pdf",
        status=200,
        headers={"Content-Type": content_type},
        body=body,
        fetched_at="2021-01-20T08:00:01+00:00",
    )


def run_pipelines(item: ReportPage, store) -> ReportPage:
    item = ExtractPipeline().extract(item)
    item = asyncio.run(ArchivePipeline(store).process_item(item))
    return asyncio.run(NormalizePipeline(store).process_item(item))


def seed_003_page_numbers() -> dict:
    from reports.normalize import normalize_html

    return normalize_html(report_body(SEEDS["003"].title, seed_report("003")), source="page")


def test_a_report_published_only_as_a_pdf_is_read_from_the_pdf(tmp_path):
    store = open_store(f"file://{tmp_path}")
    pdf = report_pdf(SEEDS["003"].title, seed_report("003"))
    item = run_pipelines(item_with(LINK_ONLY, attachment(pdf)), store)

    assert item.text_source == PDF_URL and item.main_html == ""
    assert item.text.startswith(
        "附件：鹿乡镇2020年政府信息公开工作年度报告.pdf\n鹿乡镇2020年政府信息公开工作年度报告\n"
    )
    assert item.meta == {"index_no": "014276100/2021-00003", "publisher": "鹿乡镇人民政府"}
    page = seed_003_page_numbers()
    for table in TABLES:
        assert item.report[table] == page[table], table
    assert item.report_year == 2020 and item.report["template"] == "2019"
    # the PDF's bytes are archived under their own raw key and listed in the capture record
    [att] = item.attachments
    assert att.kind == "pdf" and att.flags == [] and att.raw_key == raw_key(sha256_hex(pdf))
    assert store.get(att.raw_key) == pdf
    record = json.loads(store.get(item.meta_key))
    assert record["attachments"] == [
        {
            "url": PDF_URL,
            "link_text": "鹿乡镇2020年政府信息公开工作年度报告.pdf",
            "request_url": None,
            "status": 200,
            "headers": {"Content-Type": "application/pdf"},
            "fetched_at": "2021-01-20T08:00:01+00:00",
            "error": None,
            "kind": "pdf",
            "sha256": sha256_hex(pdf),
            "raw_key": att.raw_key,
            "flags": [],
        }
    ]
    # and the stored text is the report's
    assert "行政处罚\t109\t0\t0" in store.get(item.text_key).decode("utf-8").split("\n")


def test_a_page_that_carries_the_report_stays_the_source_and_its_copies_are_archived(tmp_path):
    store = open_store(f"file://{tmp_path}")
    content = seed_report("003")
    body = page_html(
        report_body(SEEDS["003"].title, content)
        + "<p>附件：<a href='./P020210115123456789012.pdf'>年报.pdf</a></p>"
    )
    doc_url = PDF_URL.replace(".pdf", ".doc")
    item = run_pipelines(
        item_with(
            body,
            attachment(report_pdf(SEEDS["003"].title, content)),
            attachment(report_doc("003"), doc_url, "application/msword"),
        ),
        store,
    )
    assert item.text_source == "page" and item.main_html
    assert [a.kind for a in item.attachments] == ["pdf", "doc"]
    assert all(store.get(a.raw_key) for a in item.attachments)
    for table in TABLES:
        assert item.report[table] == seed_003_page_numbers()[table], table


def test_a_docx_attachment_of_a_page_with_prose_only_brings_the_tables(tmp_path):
    # the page has the six headings and the prose, the tables are only in the Word file
    store = open_store(f"file://{tmp_path}")
    content = seed_report("002")
    prose = "".join(f"<p>{h}</p>" for h in content.headings)
    docx_url = PDF_URL.replace(".pdf", ".docx")
    docx = report_docx(SEEDS["002"].title, content)
    item = run_pipelines(
        item_with(page_html(prose), attachment(docx, docx_url, "application/octet-stream")), store
    )
    assert item.text_source == docx_url
    assert item.report["template"] == "2021"
    from reports.normalize import normalize_html

    page = normalize_html(report_body(SEEDS["002"].title, content), source="page")
    for table in TABLES:
        assert item.report[table] == page[table], table


def test_a_scanned_pdf_gives_an_item_flagged_no_text(tmp_path):
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    scan = canvas.Canvas(out, invariant=1)
    scan.rect(40, 40, 500, 700, fill=1)
    scan.showPage()
    scan.save()
    store = open_store(f"file://{tmp_path}")
    item = run_pipelines(item_with(LINK_ONLY, attachment(out.getvalue())), store)
    assert "no_text" in item.flags and item.text_source == "page"
    assert item.attachments[0].flags == ["no_text"]
    assert store.get(item.attachments[0].raw_key) == out.getvalue()
    assert item.report is not None and item.report["applications"] == {}


def test_broken_attachments_are_flagged_archived_and_never_raise(tmp_path):
    store = open_store(f"file://{tmp_path}")
    pdf = report_pdf(SEEDS["000"].title, seed_report("000"))
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        for _ in range(80):
            member.write(b"<" * (1 << 20))
    item = run_pipelines(
        item_with(
            LINK_ONLY,
            attachment(pdf[: len(pdf) // 2]),  # truncated download
            attachment(bomb.getvalue(), PDF_URL.replace(".pdf", ".docx")),  # zip bomb
            attachment(
                b"<html><body>404 Not Found</body></html>",
                PDF_URL.replace(".pdf", "2.pdf"),
                "text/html",
            ),  # an error page named .pdf
            Attachment(url=PDF_URL.replace(".pdf", "3.pdf"), error="HTTP 404", status=404),
        ),
        store,
    )
    flags = [a.flags for a in item.attachments]
    assert flags[0][0].startswith("corrupt:pdf:")
    assert flags[1] == ["refused:zip_bomb:word/document.xml"]
    assert flags[2][0] == "kind_mismatch:named=pdf,is=html"
    assert item.attachments[3].raw_key is None
    assert f"attachment_not_fetched:{PDF_URL.replace('.pdf', '3.pdf')}" in item.flags
    assert item.text_source == "page" and item.report is not None
    assert [store.get(a.raw_key) for a in item.attachments[:3]] == [
        a.body for a in item.attachments[:3]
    ]


def test_without_attachments_process_item_answers_at_once():
    item = item_with(page_html("<p>一、总体情况</p>"))
    assert asyncio.run(ExtractPipeline().process_item(item)) is item and item.text_source == "page"


def test_a_report_url_that_answers_with_the_pdf_itself_is_read_from_it(tmp_path):
    store = open_store(f"file://{tmp_path}")
    pdf = report_pdf(SEEDS["003"].title, seed_report("003"))
    item = ReportPage(
        url=PDF_URL,
        portal="tongqiao",
        body=pdf,
        status=200,
        headers={"Content-Type": "application/octet-stream"},
        list_title="鹿乡镇2020年政府信息公开工作年度报告",
        fetched_at="2021-01-20T08:00:00+00:00",
    )
    item = run_pipelines(item, store)
    assert item.text_source == PDF_URL and "not_html:pdf" in item.flags
    assert store.get(item.raw_key) == pdf
    for table in TABLES:
        assert item.report[table] == seed_003_page_numbers()[table], table
