"""What a fetched page is, from what it holds: ``report``, ``listing``, ``hub``, ``article``,
``blocked`` or ``error``.

The order of the questions:

1. an anti-bot wall (challenge script, block page) → ``blocked``; an error page served with
   200 (页面不存在, a 提示信息 page saying the document is gone) → ``error``;
2. the report's fixed sections (two of the template's parts) and a title that is no decoy's →
   ``report``, whatever else the page has;
3. rows of dated links, title-like entries or a pager, with little text of its own → ``listing``
   (a column page titled 乡镇信息公开年报 or 2019年度 is a listing, not a report);
4. the page's own title names a report, no decoy word vetoes it, and the page carries the
   report (text of its own, a statistical table), links it as a file (a two-line 详见附件
   page), or heads its content with that title and a year (a scan) → ``report``;
5. many links and little text, or a frameset → ``hub``; else ``article``.

A document (PDF, Word …) answered for a link is a ``report`` when the link that led to it, or
its file name, names a report: its text is read by the extraction pipeline, which flags it.
When no link names it (a sitemap's bare ``<loc>``, a script's redirect) or the name is cut
short, a small PDF or DOCX is read here and its text is judged as a page's is.
``evidence`` lists the signals of a report verdict, for the item and the logs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from reports.normalize.identity import identify

from .. import classify
from .page import Page

REPORT, LISTING, HUB, ARTICLE, BLOCKED, ERROR = (
    "report",
    "listing",
    "hub",
    "article",
    "blocked",
    "error",
)
KINDS = (REPORT, LISTING, HUB, ARTICLE, BLOCKED, ERROR)

#: text of its own (outside links) that makes a titled page an article and not a menu
MIN_ARTICLE_CHARS = 200
#: text of its own below which a titled page with a file is only the file's wrapper
MIN_REPORT_CHARS = 600
#: text of its own below which a page with rows of links is a listing
MAX_LISTING_OWN_CHARS = 1200


@dataclass(frozen=True)
class Verdict:
    kind: str
    title: str = ""
    year: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    reason: str = ""  # for blocked and error pages: what they said


def decide(page: Page, anchor: str = "") -> Verdict:
    if page.document_kind is not None:
        return _document(page, anchor)
    f = page.features
    if f.wall:
        return Verdict(BLOCKED, page.title, reason=f.wall)
    if page.tree is None:
        return Verdict(ERROR, reason="no HTML to read")
    if f.soft_error:
        return Verdict(ERROR, page.title, reason=f.soft_error)
    titles = page.titles
    report_title = next((t for t in titles if classify.is_report_title(t)), None)
    decoy = next((t for t in titles[:3] if classify.distractor_match(t)), None)
    if decoy is not None and report_title is not None and classify.distractor_match(report_title):
        report_title = None
    evidence: dict[str, Any] = {}
    if len(f.sections) >= 2 and decoy is None:
        evidence["sections"] = list(f.sections)
        if f.stat_tables:
            evidence["stat_tables"] = f.stat_tables
        title = report_title or page.title
        if report_title:
            evidence["title"] = report_title
        return Verdict(REPORT, title, _report_year(page, title), evidence)
    rows = max(f.dated_rows, f.entry_rows)
    listing_like = f.dated_rows >= 3 or f.entry_rows >= 5 or (f.pager and rows >= 2)
    if listing_like and f.content_chars < MAX_LISTING_OWN_CHARS + 40 * rows:
        return Verdict(LISTING, page.title)
    if (
        report_title is not None
        and decoy is None
        and not classify.COLUMN_NAME_RE.match(classify.normalize_title(report_title))
    ):
        evidence["title"] = report_title
        if f.sections:
            evidence["sections"] = list(f.sections)
        if f.stat_tables:
            evidence["stat_tables"] = f.stat_tables
        if f.documents:
            evidence["documents"] = [u for u, _ in f.documents[:5]]
        if f.content_chars >= MIN_ARTICLE_CHARS:
            evidence["own_text_chars"] = f.content_chars
        if page.article_title == report_title and classify.title_year(report_title):
            # the page's own heading names a report of a year (a scanned report is an image)
            evidence["own_title"] = True
        if len(evidence) > 1:
            # a page that only links its report (详见附件): the year is the file's to say (the
            # extraction pipeline reads it); a title often names the year of publication
            carried = (
                "documents" in evidence
                and "sections" not in evidence
                and f.content_chars < MIN_REPORT_CHARS
            )
            year = None if carried else _report_year(page, report_title)
            return Verdict(REPORT, report_title, year, evidence)
    if f.frames and f.content_chars < MIN_ARTICLE_CHARS:
        return Verdict(HUB, page.title)
    if listing_like:
        return Verdict(LISTING, page.title)
    if f.links >= 8 and (f.link_density >= 0.5 or f.content_chars < MIN_ARTICLE_CHARS):
        return Verdict(HUB, page.title)
    if f.content_chars >= MIN_ARTICLE_CHARS:
        return Verdict(ARTICLE, page.title)
    return Verdict(HUB, page.title)


#: a file no link names is read (its text decides) when it is no larger than this
MAX_READ_DOCUMENT_BYTES = 2 * 1024 * 1024
#: the kinds of file read in the crawl for that (pure-Python readers, no converter process)
READ_DOCUMENT_KINDS = ("pdf", "docx")


def _document(page: Page, anchor: str) -> Verdict:
    name = unquote(urlsplit(page.url).path.rsplit("/", 1)[-1])
    for said in (anchor, name, *_query_names(page.url)):
        if classify.is_report_title(said):
            # the year is the file's text's to say (the extraction pipeline reads it)
            return Verdict(REPORT, said, None, {"document": page.document_kind, "named": said})
    if not anchor or classify.maybe_report_title(anchor):
        # no link says what the file is (a sitemap's <loc>, a script's redirect) or its name is
        # cut short: the file's own text decides, as a page's does
        verdict = _document_text(page)
        if verdict is not None:
            return verdict
    return Verdict(ARTICLE, anchor or name)


def _query_names(url: str) -> list[str]:
    """File names a download URL carries in its query (``downfile.jsp?filename=….pdf``)."""
    from urllib.parse import parse_qsl

    return [unquote(v) for _, v in parse_qsl(urlsplit(url).query) if "." in v]


def _document_text(page: Page) -> Verdict | None:
    from html import escape

    from reports.extract.attachments import convert, sniff

    name = urlsplit(page.url).path.rsplit("/", 1)[-1]
    if (
        len(page.body) > MAX_READ_DOCUMENT_BYTES
        or sniff(page.body, name) not in READ_DOCUMENT_KINDS
    ):
        return None
    lines = [ln.strip() for ln in convert(page.body, name).text.splitlines() if ln.strip()]
    if not lines:
        return None
    markup = "".join(f"<p>{escape(ln)}</p>" for ln in lines[1:])
    text_page = Page.from_text(
        page.url,
        f"<html><head><title>{escape(lines[0])}</title></head>"
        f"<body><h1>{escape(lines[0])}</h1>{markup}</body></html>",
    )
    verdict = decide(text_page)
    if verdict.kind != REPORT:
        return None
    # the year is the extraction pipeline's to read, from the same text
    return Verdict(
        REPORT,
        verdict.title,
        None,
        {**verdict.evidence, "document": page.document_kind, "read": True},
    )


def _report_year(page: Page, title: str) -> int | None:
    """The year the report covers, read as the normalizer reads it (the statistics period
    first: a title often names the year of publication)."""
    return identify(page.visible_text, title=title, meta={}).report_year
