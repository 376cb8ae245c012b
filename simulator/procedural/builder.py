"""Builds one generated portal from a seed: draws its construction, lays out the graph.

Every random choice comes from ``random.Random(f"nianbao-generated-{seed}")``, so a seed is
one portal for ever. What was drawn is kept in ``Builder.construction`` (the ground truth
says why a seed is hard); which edges and pagers were really laid is counted in ``used``.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from ..attachments import AttachmentFile
from ..generate import generate_report
from ..model import Article
from . import vocab
from .graph import LINK_KINDS, PAGER_SHAPES, Edge, Graph, Node, node_key
from .links import attr, link_markup, option_group
from .script import PATHS as SCRIPT_PATHS
from .urls import Urls

ENCODINGS = (
    "utf-8",
    "utf-8-bare",
    "gbk-header",
    "gbk-meta",
    "gbk-wrong",
    "gbk-bare",
    "gb18030-header",
    "gb18030-meta",
)
ROOTS = ("home",) * 10 + ("frameset", "iframe", "refresh", "js-redirect", "redirect")
WALLS = ("none",) * 10 + ("jsl521", "cookie302", "burst429", "block200", "rs412")
UNIT_LAYOUTS = ("directory", "directory", "json-tree", "dropdown", "summary", "search")
SEARCH = ("none", "none", "form-get", "form-post", "api-get", "api-post")
SITEMAPS = ("none", "none", "none", "sitemap.xml", "robots")
ENTRY_KINDS = (
    "a",
    "a",
    "onclick-open",
    "onclick-href",
    "onclick-location",
    "script-url",
    "script-location",
    "table",
    "js-template",
)
HUB_KINDS = tuple(k for k in LINK_KINDS if k not in ("frame", "meta-refresh"))  # roots only
HREF_STYLES = ("absolute-path", "relative", "full")
CN_DIGITS = "〇一二三四五六七八九"


@dataclass
class Unit:
    name: str  # as titles use it
    full: str  # the body's full name
    kind: str  # county | township | department | zone
    scale: str  # generate_report's scale
    years: tuple


def cn_year(year: int) -> str:
    return "".join(CN_DIGITS[int(d)] for d in str(year))


class Builder:
    def __init__(self, seed: int):
        self.seed = seed
        self.name = f"generated:{seed}"
        self.rng = r = random.Random(f"nianbao-generated-{seed}")
        self.urls = Urls(r)
        self.graph = Graph()
        self.used: Counter = Counter()
        self.reports: list[Article] = []
        self.others: list[Article] = []
        self.extra_non_reports: list[str] = []  # listings and hubs: never reports
        self.county = "".join(r.sample(vocab.SYLLABLES, 2)) + r.choice(vocab.COUNTY_SUFFIXES)
        self.c = {
            "seed": seed,
            "county": self.county,
            **self.urls.choices(),
            "encoding": r.choice(ENCODINGS),
            "root": r.choice(ROOTS),
            "wall": r.choice(WALLS),
            "depth": r.randint(1, 6),
            "per_page": r.randint(3, 12),
            # how much of the portal is plain <a href>, next/numbered pagers: the rest of its
            # links, list rows and pagers are drawn from its palettes below
            "plain_share": r.choice((0.2, 0.5, 0.7, 0.8, 0.9, 0.95)),
            "hub_kinds": sorted(set(["a"] + r.sample(HUB_KINDS, r.randint(2, 6)))),
            "entry_kinds": sorted(set(r.sample(ENTRY_KINDS, r.randint(1, 3)))),
            "pagers": sorted(set(r.sample(PAGER_SHAPES, r.randint(2, 4)))),
            "href_styles": sorted(set(r.sample(HREF_STYLES, r.randint(1, 3)))),
            "search": r.choice(SEARCH),
            "sitemap": r.choice(SITEMAPS),
            "overflow": r.choice(("first", "last", "empty", "404")),
            "calendar": r.random() < 0.3,
            "base_href": r.random() < 0.15,
            "year_folders": r.random() < 0.25,
            "home_reports": r.random() < 0.2,
            "two_columns": r.random() < 0.4,
            "copies": r.choice((0, 0, 1, 2)),
            "soft404": r.choice((0, 0, 1, 2)),
            "attachment_only": r.choice((0, 0, 1, 2, 3)),
            "file_reports": r.choice((0, 0, 0, 1, 2)),
        }
        self.c["layouts"] = {}
        self.c["script"] = SCRIPT_PATHS[seed % len(SCRIPT_PATHS)]  # the page's $ and list helpers
        self.dropdown: list[tuple[Node, str]] = []
        self.search_hidden: list[tuple[Node, str]] = []

    # writing links ----------------------------------------------------------------------------
    def written(self, src: Node, target: Node) -> str:
        """The target's URL as the source page writes it: path, relative, or with scheme+host."""
        style = self.rng.choice(self.c["href_styles"])
        query = target.key.partition("?")[2]
        if style == "full":
            return "{root}" + target.key
        if style == "relative" and target.path != "/":
            # a <base href> at the root makes every relative link relative to "/"
            src_dir = "/" if self.c["base_href"] else src.path.rsplit("/", 1)[0] + "/"
            if target.path == src.path and query and not self.c["base_href"]:
                return f"?{query}"
            if target.path.startswith(src_dir):
                rel = target.path[len(src_dir) :] or "./"
                return (
                    ("./" if self.rng.random() < 0.5 and rel != "./" else "")
                    + rel
                    + (f"?{query}" if query else "")
                )
            up = src_dir.count("/") - 1
            common = "/"
            for i in range(up, 0, -1):
                prefix = "/".join(src_dir.split("/")[:i]) + "/"
                if target.path.startswith(prefix):
                    common, up = prefix, src_dir.count("/") - prefix.count("/")
                    break
            return "../" * up + target.path[len(common) :] + (f"?{query}" if query else "")
        return target.key

    def edge(self, src: Node, kind: str, target: Node, written: str, evidence: str) -> None:
        src.edges.append(Edge(kind, target.key, written, evidence))
        self.used[kind] += 1

    def hub_kind(self) -> str:
        """Most links of a real portal are plain <a href>; the rest come from its palette."""
        return (
            "a"
            if self.rng.random() < self.c["plain_share"]
            else self.rng.choice(self.c["hub_kinds"])
        )

    def link(self, src: Node, target: Node, text: str, kind: str | None = None) -> str:
        kind = kind or self.hub_kind()
        if kind in ("frame", "iframe", "option"):
            kind = "a"  # frames belong to roots, options to groups
        w = self.written(src, target)
        html, ev = link_markup(kind, w, text, self.rng)
        self.edge(src, kind, target, w, ev)
        return html

    def links(self, src: Node, items: list[tuple[Node, str]], *, prompt: str | None = None) -> str:
        """A navigation block: each link of a kind from the palette; options grouped in a select."""
        out, group = [], []
        for target, text in items:
            kind = self.hub_kind()
            if kind == "option" or prompt:
                group.append((target, text))
            elif kind == "iframe":
                out.append(f"<li>{self.link(src, target, text, 'a')}</li>")
            else:
                out.append(f"<li>{self.link(src, target, text, kind)}</li>")
        if group:
            pairs = [(self.written(src, t), text) for t, text in group]
            html, evs = option_group(
                prompt or self.rng.choice(vocab.SELECT_PROMPTS), pairs, self.rng
            )
            for (t, _), (w, _), ev in zip(group, pairs, evs, strict=True):
                self.edge(src, "option", t, w, ev)
            out.append(f"<li>{html}</li>")
        return f'<ul class="nav-list">{"".join(out)}</ul>'

    # nodes ------------------------------------------------------------------------------------
    def node(
        self, path: str, params: dict, role: str, title: str = "", method: str = "GET"
    ) -> Node:
        params = {k: str(v) for k, v in params.items()}  # as a server parses them
        return self.graph.add(
            Node(node_key(path, params, method), path, params, role, title, method)
        )

    def free(self, make) -> tuple[str, dict]:
        while True:
            path, params = make()
            if node_key(path, params) not in self.graph.nodes:
                return path, params

    def article(
        self, title: str, published: date, publisher: str, kind: str, *, report=None, body: str = ""
    ) -> Node:
        path, params = self.free(lambda: self.urls.article(published))
        role = "report" if report is not None else kind
        node = self.node(path, params, role, title)
        header = {
            "index_no": f"{self.rng.randint(10**8, 10**9 - 1)}/{published.year}-"
            f"{self.rng.randint(1, 99999):05d}",
            "publisher": publisher,
            "published_date": published,
            "title": title,
        }
        art = Article(
            node.key, title, published, publisher, header, body_html=body, report=report, kind=role
        )
        shown = self.rng.random() < 0.6
        art.header_shown = shown  # type: ignore[attr-defined]
        if not shown:
            art.header = {}  # the ground truth's meta is what the page shows
        art.title_suffix = self.rng.choice(  # type: ignore[attr-defined]
            (
                "",
                "",
                f"_{self.county}人民政府",
                f" - {self.county}人民政府门户网站",
                "-政府信息公开",
            )
        )
        node.article = art
        (self.reports if report is not None else self.others).append(art)
        return node

    # the construction ---------------------------------------------------------------------------
    def units(self) -> list[Unit]:
        r, c = self.rng, self.county
        gb18030 = self.c["encoding"].startswith("gb18030")
        units = [Unit(c, f"{c}人民政府", "county", "county", self._years(2019, 2024, 0.05))]
        for i in range(r.randint(1, 5)):
            suffix = r.choice(vocab.UNIT_SUFFIXES["township"])
            stem = "".join(r.sample(vocab.SYLLABLES, 2))
            if gb18030 and i == 0:
                stem = r.choice(vocab.GB18030_ONLY) + stem[1]
            name = stem + suffix
            full = name + ("人民政府" if suffix in ("镇", "乡", "民族乡", "苏木") else "")
            units.append(Unit(name, full, "township", "township", self._years(2019, 2024, 0.2)))
        for dept in r.sample(vocab.DEPARTMENTS, r.randint(1, 5)):
            name = r.choice((f"{c}{dept}", f"{c[-1]}{dept}"))
            units.append(
                Unit(name, f"{c}{dept}", "department", "department", self._years(2020, 2024, 0.2))
            )
        for _ in range(r.choice((0, 0, 1, 2))):
            kind = r.choice(("zone", "village"))
            name = "".join(r.sample(vocab.SYLLABLES, 2)) + r.choice(vocab.UNIT_SUFFIXES[kind])
            units.append(Unit(name, name, "zone", "township", self._years(2021, 2024, 0.3)))
        return units

    def _years(self, first: int, last: int, skip: float) -> tuple:
        start = self.rng.randint(first, max(first, last - 2))
        return tuple(y for y in range(start, last + 1) if self.rng.random() >= skip) or (last,)

    def report_title(self, unit: Unit, year: int) -> str:
        form = self.rng.choice(vocab.REPORT_TITLES)
        return form.format(u=unit.name, y=year, y1=year + 1, cy=cn_year(year))

    def unit_reports(self, unit: Unit) -> list[Node]:
        out = []
        for year in unit.years:
            published = date(year + 1, self.rng.choice((1, 1, 1, 2, 3)), self.rng.randint(5, 28))
            title = self.report_title(unit, year)
            content = generate_report(
                self.rng,
                org_name=unit.full,
                signer=unit.full,
                year=year,
                scale=unit.scale,
                written=published - timedelta(days=3),
            )
            out.append(self.article(title, published, unit.full, "report", report=content))
        return out

    def distractors(self, unit: Unit, k: int) -> list[Node]:
        out = []
        for form, prose in self.rng.sample(vocab.DISTRACTORS, k):
            y = self.rng.randint(2019, 2023)
            title = form.format(u=unit.name, c=self.county, y=y, y1=y + 1)
            paras = list(prose)
            if prose is vocab.READING:  # walks through the report's parts
                paras += [
                    f"{h}：{p}"
                    for h, p in zip(vocab.READING_HEADINGS, vocab.READING_LINES, strict=True)
                ]
            body = "".join(f'<p style="text-indent:2em">{escape(p)}</p>' for p in paras)
            out.append(
                self.article(
                    title,
                    date(y + 1, self.rng.randint(1, 12), self.rng.randint(1, 28)),
                    unit.full,
                    "distractor",
                    body=body,
                )
            )
        return out

    def news(self, unit: Unit, k: int) -> list[Node]:
        out = []
        for i in range(k):
            d = date(2024, 1, 1) + timedelta(days=self.rng.randint(0, 300))
            title = self.rng.choice(vocab.NEWS_TITLES).format(u=unit.name, y=d.year, n=i + 3)
            out.append(
                self.article(
                    title,
                    d,
                    unit.full,
                    "news",
                    body=f'<p style="text-indent:2em">{escape(title)}。</p>',
                )
            )
        return out

    def soft404(self, unit: Unit) -> Node:
        year = self.rng.randint(2015, 2018)
        title = self.report_title(unit, year)
        node = self.article(title, date(year + 1, 1, 20), unit.full, "soft404")
        head, msg = self.rng.choice(vocab.SOFT_404)
        node.article.body_html = msg
        node.title = head
        return node

    def attach_only(self, node: Node) -> None:
        """The report becomes a two-line 详见附件 page; its file is the report."""
        art = node.article
        ext = self.rng.choice(("pdf", "docx"))
        path, params = self.free(lambda: self.urls.file(art.published, ext))
        fnode = self.node(path, params, "file", f"{art.title}.{ext}")
        fnode.article = art
        art.files.append(AttachmentFile(fnode.key, "", f"{art.title}.{ext}"))
        art.files_only = True
        art.file_kind = ext  # type: ignore[attr-defined]
        w = self.written(node, fnode)
        art.file_href = w  # type: ignore[attr-defined]
        self.edge(node, "attachment", fnode, w, f'href="{attr(w)}"')
        self.used["attachment-only"] += 1

    def file_report(self, node: Node) -> Node:
        """The report is published as a bare file, linked straight from its listings; the
        file's URL is the report's (no HTML page at all). Returns the file's node."""
        art = node.article
        ext = self.rng.choice(("pdf", "docx"))
        path, params = self.free(lambda: self.urls.file(art.published, ext))
        self.graph.remove(node)
        fnode = self.node(path, params, "file", art.title)
        fnode.article = art
        art.path = fnode.key
        art.file_kind = ext  # type: ignore[attr-defined]
        self.used["file-report"] += 1
        return fnode


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
