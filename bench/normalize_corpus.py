"""The reports `make eval` and `make bench` normalize, with their ground truth.

* the five seed texts (simulator/corpus/, real reports), truth read by hand into
  simulator/seeds.py;
* every report page the portal simulator serves, fetched over loopback and extracted the way
  the crawl does (reports.extract, and the linked PDF or Word file where the page only links
  its report), truth from the simulator; each is read twice, from its main HTML and from its
  extracted text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.extract import extract_page
from simulator.seeds import SEED_DIR, SEEDS, seed_report

from .extract import report_pages

TABLES = ("active", "applications", "review_litigation")


@dataclass(frozen=True)
class Truth:
    report_year: int
    org_name: str
    template: str
    active: dict
    applications: dict
    review_litigation: dict
    failing_checks: list = field(default_factory=list)  # [{"rule", "where"}] planted errors


@dataclass(frozen=True)
class Case:
    source: str
    kind: str  # "text" or "html"
    body: str  # the text, or the page's main HTML
    title: str | None
    meta: dict
    truth: Truth


def seed_cases() -> list[Case]:
    cases = []
    for key in sorted(SEEDS):
        report = seed_report(key)
        path = SEED_DIR / SEEDS[key].file
        truth = Truth(
            report.report_year,
            report.org_name,
            report.template,
            report.active,
            report.applications,
            report.review_litigation,
            list(report.failing_checks),
        )
        cases.append(Case(str(path), "text", path.read_text(encoding="utf-8"), None, {}, truth))
    return cases


def _attachment_text(page, url: str) -> str:
    """The text of the linked document with the most table rows, read as the crawl reads it
    (pipelines/extraction.py) when the page itself only links its report."""
    import urllib.request
    from urllib.parse import urljoin

    import lxml.html

    from pipelines.extraction import table_rows
    from reports.extract.attachments import attachment_suffix, convert

    best = ""
    for link in lxml.html.fromstring(page.main_html or "<p></p>").iter("a"):
        href = urljoin(url, link.get("href") or "")
        if attachment_suffix(href, link.text_content()):
            with urllib.request.urlopen(href) as resp:
                converted = convert(
                    resp.read(), href.rsplit("/", 1)[-1], resp.headers.get("Content-Type", "")
                )
            if table_rows(converted.text) > table_rows(best):
                best = converted.text
    return best


def simulator_cases(live) -> tuple[list[Case], list[Case]]:
    """(HTML cases, text cases) of every report page the running simulator serves.

    A page that only links its report (a PDF) is read as the crawl reads it: the page's text
    followed by the attachment's, in both lists (there is no HTML of the tables to read)."""
    from pipelines.extraction import table_rows

    truths = {r.url: r for r in live.reports}
    html, text = [], []
    for url, body, content_type in report_pages(live):
        page = extract_page(body, url, content_type)
        r = truths[url]
        truth = Truth(
            r.report_year,
            r.org_name,
            r.template,
            r.active,
            r.applications,
            r.review_litigation,
            list(r.failing_checks),
        )
        attached = _attachment_text(page, url) if table_rows(page.text) == 0 else ""
        if attached:
            joined = "\n".join(t for t in (page.text, attached) if t)
            html.append(Case(url, "text", joined, page.title, page.meta, truth))
            text.append(Case(url, "text", joined, page.title, page.meta, truth))
            continue
        html.append(Case(url, "html", page.main_html, page.title, page.meta, truth))
        text.append(Case(url, "text", page.text, page.title, page.meta, truth))
    return html, text


def shaped_cases(html_cases: list[Case]) -> list[Case]:
    """Every simulator report rendered into every text shape and HTML layout of the round-trip
    test (tests/fixtures/normalize/render.py), the style varied from report to report."""
    from tests.fixtures.normalize.render import HTML_LAYOUTS, TEXT_SHAPES, Report, Style

    zeros = ("0", "/", "-", "—", "无")
    cases = []
    for i, case in enumerate(html_cases):
        t = case.truth
        report = Report(
            t.org_name, t.report_year, t.template, t.active, t.applications, t.review_litigation
        )
        style = Style(
            half_width=i % 2 == 1,
            zero_as=zeros[i % len(zeros)],
            plus_sign=i % 3 == 0,
            amount_in_cell=i % 4 == 0,
            pdf_page_break=i % 20,
            traditional=i % 5 == 0,
        )
        for name, render in TEXT_SHAPES.items():
            cases.append(Case(f"{case.source}#{name}", "text", render(report, style), None, {}, t))
        for name, render in HTML_LAYOUTS.items():
            cases.append(Case(f"{case.source}#{name}", "html", render(report, style), None, {}, t))
    return cases
