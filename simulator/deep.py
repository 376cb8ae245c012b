"""Deep archives: county portals whose one 信息公开目录 column reaches back to 2008, over 200
listing pages long, for backfills (``-a years=2008-2018``) and date-bounded re-crawls
(``-a since=DATE``).

Every entry of the column is dated and listed newest first, as a real 目录 is; most entries are
notices and news, and among them sit the annual reports of the county and three departments,
data years 2008–2025 (a unit skips a year now and then).  Reports of 2008–2018 are the free
prose of the old regulation (numbers inline, sections such as 概述 / 主动公开 / 依申请公开 /
收费及减免 / 复议诉讼 / 问题及改进, each worded several ways); from 2019 they follow the national
templates (simulator/generate.py).  About a fifth are titled with the year they were published
in, not the year they cover; the statistics period in the text says which year that is.

Two pager shapes, one per portal:

* ``deep-trs``: ``index.html``, ``index_1.html`` … with ``createPageHTML(N, i, "index",
  "html")`` and 下一页/尾页 links (0-based, TRS);
* ``deep-param``: ``list.jsp?channel=ml&page=N`` (1-based); the page count is only in a
  script variable (``var totalPage = N``) whose links a script draws, so a crawler sees no
  next link and must plan the pages from the count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from . import chrome
from .building import SiteBuilder, Unit
from .generate import generate_report
from .model import Article, Column, ReportContent, Response, Site, html_response
from .reports import report_body

FAMILY = "deep"
FIRST_YEAR, LAST_YEAR = 2008, 2025
#: notices and news per year on top of the reports: enough for > 200 listing pages
OTHERS_PER_YEAR = 75


@dataclass(frozen=True)
class Spec:
    name: str
    county: str
    pager: str  # "trs" | "param"
    per_page: int = 6
    domain: str = ""


SPECS = (
    Spec("deep-trs", "长乐县", "trs", domain="www.changle-sim.gov.cn"),
    Spec("deep-param", "安平县", "param", per_page=7, domain="www.anping-sim.gov.cn"),
)
NAMES = tuple(s.name for s in SPECS)

_DEPARTMENTS = ("发展和改革局", "教育局", "卫生健康局", "民政局", "住房和城乡建设局")

# The old regulation's report, worded as real ones are (docs/report-templates.md §1, era A).
_OLD_HEADINGS = (
    ("概述", "基本情况", "总体情况", "政府信息公开工作概况"),
    ("主动公开政府信息情况", "主动公开政府信息的情况", "政府信息主动公开情况"),
    (
        "依申请公开政府信息情况",
        "依申请公开政府信息和不予公开政府信息的情况",
        "政府信息依申请公开情况",
    ),
    ("政府信息公开的收费及减免情况", "收费及减免情况", "政府信息公开收费及减免情况"),
    (
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
        "因政府信息公开提起行政复议、行政诉讼情况",
        "政府信息公开申请行政复议和行政诉讼情况",
    ),
    (
        "存在的主要问题及改进措施",
        "政府信息公开工作存在的主要问题及改进措施",
        "存在的不足和改进措施",
    ),
    ("其他需要报告的事项", "其他需要说明的事项"),
)
_NUMERALS = "一二三四五六七八"
_NOTICE_TITLES = (
    "关于做好{y}年防汛抗旱工作的通知",
    "{c}召开{y}年度经济工作会议",
    "关于印发{c}{y}年安全生产工作要点的通知",
    "{c}开展{y}年植树造林活动",
    "关于公布{y}年度行政事业性收费项目的公告",
    "{c}{y}年国民经济和社会发展统计公报",
    "关于{y}年春节期间值班安排的通知",
    "{c}举办{y}年政务公开业务培训",
    "{c}{y}年财政预算执行情况",
    "关于开展{y}年度爱国卫生月活动的通知",
    "{c}召开{y}年度廉政工作会议",
    "{c}{y}年重点项目建设推进会召开",
)


class _Builder(SiteBuilder):
    id_step = (2, 40)
    views = None

    def __init__(self, spec: Spec):
        self.spec = spec
        c = spec.county
        site = Site(
            spec.name,
            FAMILY,
            c,
            spec.domain,
            "3399000" + str(len(c)),
            "浙ICP备00000000号",
            0,
            nav=[("首页", "/index.html"), ("信息公开目录", _first_page(spec))],
        )
        super().__init__(f"nianbao-simulator-deep-{spec.name}", site, 3000)
        self.column = self.add_column(
            Column("ml", "信息公开目录", _first_page(spec), [], per_page=spec.per_page)
        )

    def _add(
        self,
        title: str,
        published: date,
        publisher: str,
        *,
        kind: str,
        body: str = "",
        report: ReportContent | None = None,
    ) -> Article:
        path = f"/xxgk/{published:%Y%m}/t{published:%Y%m%d}_{self.new_id()}.html"
        header = {"published_date": published, "publisher": publisher, "title": title}
        art = Article(
            path,
            title,
            published,
            publisher,
            header,
            body_html=body,
            report=report,
            kind=kind,
            column=self.column,
        )
        return self.add(art, [self.column])

    def build(self) -> Site:
        c, rng = self.spec.county, self.rng
        units = [Unit(c, f"{c}人民政府", "county")] + [
            Unit(f"{c}{d}", f"{c}{d}", "department") for d in rng.sample(_DEPARTMENTS, 3)
        ]
        for unit in units:
            name, full, scale = unit.name, unit.full, unit.kind
            last: ReportContent | None = None
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                if not self.files_in(unit, 0.12):
                    last = None
                    continue
                published = date(year + 1, rng.choice((1, 1, 2, 3)), rng.randint(3, 28))
                written = published - timedelta(days=rng.randint(0, 6))
                # a fifth name the year they were published in; the statistics period says which
                title_year = year + 1 if rng.random() < 0.2 else year
                title = rng.choice(
                    (
                        f"{name}{title_year}年政府信息公开工作年度报告",
                        f"{title_year}年{name}政府信息公开工作年度报告",
                        f"{name}{title_year}年度政府信息公开工作年度报告",
                    )
                )
                if year >= 2019:
                    content = generate_report(
                        rng,
                        org_name=full,
                        signer=full,
                        year=year,
                        scale=scale,
                        written=written,
                        previous=last,
                    )
                    last = content
                    self._add(
                        title,
                        published,
                        full,
                        kind="report",
                        report=content,
                        body=report_body(title, content),
                    )
                else:
                    content = ReportContent(full, year, "pre2019", {}, {}, {}, (), [])
                    self._add(
                        title,
                        published,
                        full,
                        kind="report",
                        report=content,
                        body=self._prose(title, full, year, written, title_year != year),
                    )
        for year in range(FIRST_YEAR, LAST_YEAR + 2):
            for _ in range(OTHERS_PER_YEAR):
                d = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
                title = rng.choice(_NOTICE_TITLES).format(y=year, c=c)
                kind = "news" if "召开" in title or "举办" in title or "开展" in title else "notice"
                body = "".join(
                    f'<p style="text-indent:2em">{escape(p)}</p>'
                    for p in (
                        f"{title}。",
                        f"{c}各有关单位按照要求认真落实，确保各项工作顺利推进。",
                    )
                )
                self._add(title, d, f"{c}人民政府办公室", kind=kind, body=body)
        self.finish()
        self.site.non_report_pages = [  # type: ignore[attr-defined]
            listing_path(self.spec, i) for i in range(page_count(self.column))
        ]
        return self.site

    def _prose(self, title: str, org: str, year: int, written: date, titled_later: bool) -> str:
        rng = self.rng
        active, asked = rng.randint(80, 2400), rng.randint(0, 40)
        granted = rng.randint(0, asked)
        paras: list[tuple[str, str]] = [("title", title)]
        period = (
            f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
            f"本年度报告所列数据统计期限为{year}年1月1日至{year}年12月31日。",
        )
        opening = (
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{org}{year}年度"
            f"政府信息公开工作年度报告。"
        )
        stated = titled_later or rng.random() < 0.85
        paras.append(("p", opening + (rng.choice(period) if stated else "")))
        paras.append(
            (
                "p",
                "全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，收费及减免情况，"
                "行政复议和行政诉讼情况，存在的主要问题及改进措施等。"
                "本报告的电子版可在本网站下载。如对本报告有任何疑问，请与本机关政府信息公开办公室联系。",
            )
        )
        bodies = (
            [
                f"{year}年，{org}认真贯彻落实《条例》，进一步完善政府信息公开工作机制，明确专人负责。"
            ],
            [
                f"{year}年共主动公开政府信息{active}条，其中机构职能类{active // 5}条，"
                f"政策法规类{active // 7}条，"
                f"规划计划类{active // 11}条。",
                "主要通过政府门户网站、政府公报、公开栏等形式公开。",
            ],
            [
                f"全年共受理政府信息公开申请{asked}件，其中同意公开{granted}件，"
                f"不予公开{asked - granted}件。"
            ],
            ["全年未收取政府信息公开检索、复制、邮寄等费用。"],
            [f"{year}年未发生因政府信息公开申请提起行政复议、行政诉讼的情况。"],
            ["一是公开内容还不够全面；二是公开的及时性有待提高。下一步将进一步加强业务培训。"],
            ["无其他需要报告的事项。"],
        )
        numbering = rng.choice(("{n}、", "（{n}）"))
        for i, variants in enumerate(_OLD_HEADINGS):
            if i == 6 and rng.random() < 0.4:
                continue
            paras.append(("h", numbering.format(n=_NUMERALS[i]) + rng.choice(variants)))
            paras += [("p", text) for text in bodies[i]]
        paras += [("sign", org), ("sign", f"{written.year}年{written.month}月{written.day}日")]
        styles = {
            "title": '<p align="center"><b>{}</b></p>',
            "h": "<p><b>{}</b></p>",
            "p": '<p style="text-indent:2em">{}</p>',
            "sign": '<p align="right">{}</p>',
        }
        return "\n".join(styles[kind].format(escape(text)) for kind, text in paras)


def _first_page(spec: Spec) -> str:
    return "/xxgk/index.html" if spec.pager == "trs" else "/xxgk/list.jsp?channel=ml&page=1"


def listing_path(spec: Spec, index: int) -> str:
    """The 0-based ``index``-th page of the column."""
    if spec.pager == "trs":
        return "/xxgk/index.html" if index == 0 else f"/xxgk/index_{index}.html"
    return f"/xxgk/list.jsp?channel=ml&page={index + 1}"


def page_count(col: Column) -> int:
    return max(1, math.ceil(len(col.entries) / col.per_page))


def build(names) -> list[Site]:
    """Sites of the deep archives named (none unless named: they are large)."""
    out = []
    for spec in SPECS:
        if names is not None and spec.name in names:
            site = _Builder(spec).build()
            site.renderer = _Renderer(spec)  # type: ignore[attr-defined]
            out.append(site)
    return out


def _shell(site: Site, title: str, body: str, head: str = "") -> str:
    top = (
        f'<div class="header"><div class="logo">{escape(site.county)}人民政府</div>'
        f"{chrome.nav(site)}</div>"
    )
    return chrome.page(
        head=chrome.meta_block(site, "信息公开目录") + head,
        title=title,
        body=f"{top}\n{body}\n{chrome.footer(site)}",
    )


class _Renderer:
    """``respond`` for simulator/server.py: home, the column's pages, the articles."""

    def __init__(self, spec: Spec):
        self.spec = spec

    def respond(
        self, site: Site, method: str, path: str, params: dict, root: str
    ) -> Response | None:
        col = site.columns["ml"]
        if path in ("/", "/index.html"):
            links = f'<li><a href="{_first_page(self.spec)}">信息公开目录</a></li>'
            menu = f'<ul class="menu">{links}</ul>'
            return html_response(_shell(site, f"{site.county}人民政府", menu))
        index = self._index(path, params)
        if index is not None:
            if 0 <= index < page_count(col):
                return html_response(self._listing(site, col, index))
            return None
        art = site.articles.get(path)
        if art is None:
            return None
        body = (
            f'{chrome.breadcrumbs([("信息公开目录", col.path)], "正文")}<div class="article">'
            f'<h1>{escape(art.title)}</h1><div class="info">发布日期：{art.published.isoformat()}　'
            f"发布机构：{escape(art.publisher)}</div>"
            f'<div class="content">{art.body_html}</div></div>'
        )
        return html_response(_shell(site, art.title, body))

    def _index(self, path: str, params: dict) -> int | None:
        if self.spec.pager == "trs":
            if path == "/xxgk/index.html":
                return 0
            name = path.removeprefix("/xxgk/index_").removesuffix(".html")
            numbered = path.startswith("/xxgk/index_") and name.isdigit() and name != "0"
            return int(name) if numbered else None
        if path == "/xxgk/list.jsp" and params.get("channel") == "ml":
            page = params.get("page", "1")
            return int(page) - 1 if page.isdigit() else None
        return None

    def _listing(self, site: Site, col: Column, index: int) -> str:
        rows = col.entries[index * col.per_page : (index + 1) * col.per_page]
        items = "\n".join(
            f'<li><a href="{a.path}" target="_blank">{escape(a.title)}</a>'
            f'<span class="date">{a.published.isoformat()}</span></li>'
            for a in rows
        )
        n = page_count(col)
        if self.spec.pager == "trs":
            pager = (
                f'<div class="page"><script>createPageHTML({n}, {index}, "index", "html");'
                "</script>"
                + (
                    f'<a href="{listing_path(self.spec, index + 1).rsplit("/", 1)[1]}">下一页</a>'
                    if index + 1 < n
                    else ""
                )
                + "</div>"
            )
            head = '\n<script src="/js/page.js"></script>'
        else:
            # the links are drawn by a script from the count: no next link in the HTML
            pager = (
                f'<div class="pager" id="pager"></div><script>var totalPage = {n}; '
                "var currentPage = "
                f'{index + 1}; drawPager("pager", totalPage, currentPage);</script>'
            )
            head = ""
        body = (
            f'{chrome.breadcrumbs([], "信息公开目录")}<div class="list"><h2>信息公开目录</h2>'
            f"<ul>\n{items}\n</ul>{pager}</div>"
        )
        return _shell(site, "信息公开目录", body, head)
