"""Plain data shared by the site builder, the renderers and the server."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PortalInfo:
    name: str
    family: str  # "hanweb" | "trs"
    root_url: str  # "http://127.0.0.1:PORT/"


@dataclass(frozen=True)
class ReportTruth:
    url: str
    portal: str
    title: str
    report_year: int
    org_name: str
    template: str  # "2019" | "2021"
    meta: dict
    active: dict
    applications: dict
    review_litigation: dict
    failing_checks: list = field(default_factory=list)
    flags: tuple = ()  # what the pipeline should flag: ("no_text",) for an image-only report
    attachments: tuple = ()  # URLs of the files the page links as 附件, in page order
    # rules X1–X3 (simulator/checks.py) this report fails against the body's report of the year
    # before
    cross_year_failures: list = field(default_factory=list)
    aliases: tuple = ()  # other URLs serving the same report (a copy under a second id)


@dataclass
class ReportContent:
    """What a report says: numbers for the tables and the prose around them."""

    org_name: str
    report_year: int
    template: str
    active: dict
    applications: dict
    review_litigation: dict
    headings: tuple[str, ...]
    sections: list[
        list[str]
    ]  # six lists of paragraphs, one per heading (tables go after 二/三/四's)
    preamble: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    amount_label: str | None = None
    failing_checks: list = field(default_factory=list)
    cross_year_failures: list = field(default_factory=list)


@dataclass
class Article:
    path: str  # absolute path on its portal
    title: str
    published: date
    publisher: str
    header: dict  # canonical meta keys -> display value ("" = empty cell); dates as date objects
    body_html: str = ""  # for non-reports
    report: ReportContent | None = None
    kind: str = "article"  # "report" | "distractor" | "news" | "page"
    column: Column | None = None
    absolute_link: bool = False  # listed with scheme+host in its listings
    views: int = 0
    files: list = field(default_factory=list)  # AttachmentFile: its 附件 (simulator/attachments.py)
    files_only: bool = False  # the page only links the report's file(s), no report body
    aliases: list = field(default_factory=list)  # other paths serving the same report
    modified: date | None = (
        None  # last edit (simulator/changes.py); Last-Modified, else `published`
    )


@dataclass
class Column:
    key: str
    name: str  # ColumnName
    path: str  # listing path (first page)
    breadcrumb: list[tuple[str, str]]  # (name, path) ancestors, home excluded
    entries: list[Article] = field(default_factory=list)  # listed, newest first
    col_id: int = 0  # Hanweb
    unit_id: int = 0  # Hanweb
    per_page: int = 10


@dataclass
class Section:
    """A static page that lists links (政府信息公开 index, 乡镇/部门 unit lists)."""

    key: str
    name: str
    path: str
    breadcrumb: list[tuple[str, str]]
    links: list[tuple[str, str]]  # (text, path)


@dataclass
class Site:
    name: str
    family: str
    county: str  # 云溪县
    domain: str
    site_code: str
    icp: str
    webid: int
    nav: list[tuple[str, str]]
    sections: dict[str, Section] = field(default_factory=dict)
    columns: dict[str, Column] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    files: dict[str, Response] = field(default_factory=dict)  # attachment path?query -> response
    # HTTP validators the portal sends and honours (simulator/server.py): "both" (ETag and
    # Last-Modified), "etag", "last-modified" or "none" (many county servers send neither).
    validators: str = "both"
    # Paths of reports taken down behind a 200 "page does not exist" page (simulator/changes.py).
    soft_gone: set = field(default_factory=set)

    def add_article(self, art: Article) -> Article:
        self.articles[art.path] = art
        return art


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()  # extra headers: Set-Cookie, Location, Retry-After


def html_response(text: str, content_type: str = "text/html; charset=utf-8") -> Response:
    return Response(200, content_type, text.encode("utf-8"))
