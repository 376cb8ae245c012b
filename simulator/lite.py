"""The shared base of the fixture-matrix portals (docs/portals.md §12): one small county each, built
the same way, served by its family module (generic, ucap, gkmlpt, lonsun, jpaas, xxgk).

A matrix county has the county itself, two townships and two departments; each files reports
for 2021–2023 (a few skip a year).  Titles vary the way real ones do (no year, "2013年度…",
年度工作报告, 政务信息公开年度报告, a title year that is not the data year); decoys that look
like reports are listed beside them (编制通知, 解读, 政府工作报告, 法治政府建设年度报告, 预算,
决算, 政务公开工作要点, 指南).  Where the unit reports sit follows one of docs/portals.md §10.4's
four layouts, chosen per portal:

* ``subtrees``: 政府信息公开 → 乡镇/部门信息公开 → unit → the unit's 年报 column;
* ``yearfolders``: one county 年报 column with year folders (2023n) and a 部门年报 subfolder;
* ``unitsites``: one platform, one "site" per unit (Lonsun organId, gkmlpt TREE node);
* ``summary``: the county column lists every unit's report beside its own.

Family modules give paths and pages; this module gives the units, articles and the article page.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

from . import chrome
from .building import SiteBuilder, Unit, unit_column
from .generate import generate_report
from .model import Article, Column, Response, Site
from .reports import report_body

YEARS = (2021, 2022, 2023)
LAYOUTS = ("subtrees", "yearfolders", "unitsites", "summary")


@dataclass(frozen=True)
class Spec:
    name: str  # portal name, e.g. "ucap-county"
    family: str  # the family module's FAMILY
    county: str  # 东川县
    layout: str  # one of LAYOUTS
    townships: tuple = (("东坝镇", "dbz"), ("西岭乡", "xlx"))
    departments: tuple = (("教育局", "jyj"), ("财政局", "czj"))
    per_page: int = 4
    charset: str = "utf-8"  # "utf-8" | "gbk-header" | "gbk-meta" | "gbk-wrong"
    hostile: tuple = ()  # names of simulator.hostile variants on this portal
    options: dict = field(default_factory=dict)


def _odd_title(rng: random.Random, unit: Unit, year: int, k: int) -> tuple[str, str]:
    """(title, what is odd) for the k-th report of a portal; most titles are ordinary."""
    odd = [
        (f"{unit.full}政府信息公开工作年度报告", "no year"),
        (f"{unit.full}{year}年度信息公开工作报告", "年度…工作报告"),
        (f"{year}年度{unit.name}政务信息公开年度报告", "政务信息公开年度报告"),
        (f"{unit.full}{year + 1}年政府信息公开工作年度报告", "title year is the publishing year"),
        (f"{unit.name}{year}年政府信息公开年度工作报告", "年度工作报告"),
        (f"{unit.name}{year}年度工作报告", "only 年度工作报告: the content decides"),
    ]
    if k < len(odd):
        return odd[k]
    return (
        rng.choice(
            [
                f"{unit.full}{year}年政府信息公开工作年度报告",
                f"{year}年{unit.name}政府信息公开工作年度报告",
                f"{unit.name}{year}年度政府信息公开工作年度报告",
            ]
        ),
        "",
    )


def decoy_titles(county: str) -> list[tuple[str, str]]:
    """Pages that look like annual reports and are not (docs/portals.md §11, the issue's list)."""
    prose = (
        "根据《中华人民共和国政府信息公开条例》，现将有关事项通知如下。",
        "一、总体要求",
        "二、工作安排",
    )
    return [
        ("关于做好2023年度政府信息公开工作年度报告编制和发布工作的通知", prose[0]),
        (f"《{county}2022年政府信息公开工作年度报告》解读", "为便于公众理解年度报告，现解读如下。"),
        (f"{county}2024年政府工作报告", "各位代表：现在，我代表县人民政府，向大会报告工作。"),
        (f"{county}2023年法治政府建设年度报告", "2023年，我县扎实推进法治政府建设。"),
        (f"{county}2024年部门预算", "第一部分 部门概况"),
        (f"{county}2022年部门决算公开", "第一部分 部门概况"),
        (f"{county}2024年政务公开工作要点", "一、强化政策发布解读"),
        (f"{county}人民政府信息公开指南", "一、主动公开 二、依申请公开"),
    ]


class Builder(SiteBuilder):
    """Builds one matrix county's ``Site``; the family module lays out paths."""

    id_step = (3, 40)
    views = (10, 999)

    def __init__(self, spec: Spec, fam):
        self.spec, self.fam = spec, fam
        self.odd = 0
        site = Site(
            spec.name,
            spec.family,
            spec.county,
            f"www.{spec.name}.gov.cn",
            "4400000" + str(zlib.crc32(spec.name.encode()) % 1000).zfill(3),
            "ICP备00000000号",
            4100,
            nav=[],
        )
        super().__init__(f"nianbao-matrix-{spec.name}", site, 7100000)
        self.site.spec = spec  # type: ignore[attr-defined]
        self.site.renderer = fam  # type: ignore[attr-defined]  (server: who answers requests)
        self.site.units = []  # type: ignore[attr-defined]

    def units(self) -> list[Unit]:
        s = self.spec
        out = [Unit(s.county, f"{s.county}人民政府", "county", "1144000000000000AA", "county")]
        for i, (name, slug) in enumerate(s.townships):
            out.append(Unit(name, f"{name}人民政府", "township", f"11440000000000{i:02d}TW", slug))
        for j, (name, slug) in enumerate(s.departments):
            full = f"{s.county}{name}"
            out.append(Unit(full, full, "department", f"11440000000000{j:02d}DP", slug))
        for i, unit in enumerate(out):
            unit.index = i
            path, col_id = self.fam.column_path(self.spec, unit)
            unit.column = self.add_column(
                Column(
                    f"nb-{unit.slug}",
                    "政府信息公开年报",
                    path,
                    [],
                    col_id=col_id,
                    unit_id=col_id,
                    per_page=s.per_page,
                )
            )
        self.site.units = out  # type: ignore[attr-defined]
        return out

    def article(
        self,
        unit: Unit,
        title: str,
        published: date,
        *,
        kind: str,
        body: str = "",
        report=None,
        list_in: list[Column] | None = None,
    ) -> Article:
        art_id = self.new_id()
        col = unit_column(unit)
        header = {
            "index_no": f"{unit.code}/{published.year}-{art_id % 100000:05d}",
            "publisher": unit.full,
            "written_date": published,
            "title": title,
            "published_date": published,
        }
        art = Article(
            self.fam.article_path(self.spec, col, published, art_id),
            title,
            published,
            unit.full,
            header,
            body_html=body,
            report=report,
            kind=kind,
            column=col,
            views=self.draw_views(),
        )
        art.article_id = art_id  # type: ignore[attr-defined]
        return self.add(art, list_in or [col])

    def build(self) -> Site:
        units = self.units()
        county_col = unit_column(units[0])
        for unit in units:
            for year in YEARS:
                if not self.files_in(unit, 0.15):
                    continue
                published = date(year + 1, 1, self.rng.randint(8, 28))
                title, _odd = _odd_title(self.rng, unit, year, self.odd)
                self.odd += 1
                content = generate_report(
                    self.rng,
                    org_name=unit.full,
                    signer=unit.full,
                    year=year,
                    scale=unit.kind,
                    written=published - timedelta(days=2),
                )
                cols = [unit_column(unit)]
                if self.spec.layout == "summary" and unit.kind != "county":
                    cols.append(county_col)
                art = self.article(
                    unit, title, published, kind="report", report=content, list_in=cols
                )
                art.year = year  # type: ignore[attr-defined]
        for i, (title, para) in enumerate(decoy_titles(self.spec.county)):
            self.article(
                units[0],
                title,
                date(2024, 1, 1) + timedelta(days=7 * i),
                kind="distractor",
                body=f"<p>{escape(para)}</p>",
            )
        return self.finish()


# ------------------------------------------------------------------------------ pages


def encode(site: Site, html: str) -> Response:
    """The page in the portal's charset mode (docs/portals.md §0.5 (a)–(c))."""
    mode = site.spec.charset
    if mode == "utf-8":
        return Response(200, "text/html; charset=utf-8", html.encode("utf-8"))
    body = html.encode("gb18030")
    if mode == "gbk-header":
        return Response(200, "text/html; charset=GBK", body)
    if mode == "gbk-meta":
        return Response(200, "text/html", body)
    return Response(200, "text/html; charset=utf-8", body)  # gbk-wrong: header lies


def charset_meta(site: Site) -> str:
    mode = site.spec.charset
    if mode == "utf-8":
        return '<meta charset="utf-8">'
    if mode == "gbk-wrong":
        return '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
    return '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def page(
    site: Site,
    title: str,
    body: str,
    column: str = "",
    article: Article | None = None,
    root: str = "",
    head: str = "",
) -> str:
    meta = chrome.meta_block(
        site, column or title, article, root.rstrip("/") + (article.path if article else "")
    )
    top = (
        f'<div class="header"><div class="logo">{escape(site.county)}人民政府</div>'
        f"{chrome.nav(site)}</div>"
    )
    return chrome.page(
        head=meta + head,
        title=title,
        body=f"{top}\n{body}\n{chrome.footer(site)}",
        charset_meta=charset_meta(site),
    )


def header_table(art: Article) -> str:
    def v(key: str) -> str:
        return chrome.header_value(art.header, key)

    return (
        '<table class="xxgk_table"><tbody>'
        f"<tr><td>索引号：</td><td>{v('index_no')}</td><td>分类：</td><td>政府信息公开年报</td></tr>"
        f"<tr><td>发布机构：</td><td>{v('publisher')}</td><td>成文日期：</td><td>{v('written_date')}</td></tr>"
        f'<tr><td>名称：</td><td colspan="3">{v("title")}</td></tr>'
        f"<tr><td>文号：</td><td></td><td>发布日期：</td><td>{v('published_date')}</td></tr></tbody></table>"
    )


def content_html(art: Article) -> str:
    return report_body(art.title, art.report) if art.report else art.body_html


def article_page(site: Site, art: Article, root: str, *, wrap=None, head: str = "") -> str:
    """A report or decoy page: the 4-cell header, the title, the body (``wrap`` may dress it)."""
    content = content_html(art)
    inner = (
        f'<h1 class="title">{escape(art.title)}</h1>'
        f'<div class="info">发布时间：{art.published.isoformat()}　来源：{escape(art.publisher)}'
        "</div>"
        + (
            wrap(art, content)
            if wrap
            else f'<div class="article-content" id="zoom">{content}</div>'
        )
    )
    body = f'<div class="article">{header_table(art)}{inner}</div>'
    return page(site, art.title, body, art.column.name if art.column else "", art, root, head)


def li(href: str, art: Article) -> str:
    return (
        f'<li><a href="{escape(href)}" target="_blank" title="{escape(art.title)}">'
        f"{escape(art.title)}</a>"
        f'<span class="date">{art.published.isoformat()}</span></li>'
    )
