"""The other doors to a portal's reports: its site search (a form or a JSON API) and its
sitemap (at /sitemap.xml, or named by a ``Sitemap:`` line of robots.txt)."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape as xml_escape

from . import vocab
from .builder import dumps
from .graph import Node
from .links import attr
from .listings import Listings


class Doors(Listings):
    def search(self, home: Node, flat: list[Node]) -> None:
        kind = self.c["search"]
        self.search_conf = None
        if kind == "none":
            return
        r = self.rng
        path, sp = r.choice(vocab.SEARCH_PATHS), r.choice(vocab.SEARCH_PARAMS)
        method = "POST" if kind.endswith("post") else "GET"
        api = kind.startswith("api")
        node = self.node(path, {sp: "年度报告"}, "json" if api else "search", "搜索结果", method)
        if not api and method == "GET":
            self.extra_non_reports.append(node.key)  # a results page lists reports, is none
        hits = list(flat) + [t for t, _ in self.search_hidden]
        if api:
            items = []
            for t in hits:
                items.append({"title": t.article.title if t.article else t.title, "url": t.key})
                self.edge(node, "json-url", t, t.key, dumps({"url": t.key})[1:-1])
            node.body = dumps({"total": len(items), "results": items})
            call = f'url: "{path}", type: "{method}"'
            form = (
                f'<input type="text" id="kw" value=""><button onclick="doSearch()">搜索</button>'
                f'<script>function doSearch(){{$.ajax({{{call}, data: {{"{sp}": '
                'document.getElementById("kw").value}, success: function(r){show(r.results);}});}'
                "</script>"
            )
            ev = call
        else:
            rows = "".join(
                f"<li>{self.link(node, t, t.article.title if t.article else t.title, 'a')}</li>"
                for t in hits
            )
            node.body = (
                f'<div class="search-result"><p>找到{len(hits)}条结果</p><ul>{rows}</ul></div>'
            )
            form = (
                f'<form action="{attr(path)}" method="{method.lower()}" name="searchform">'
                f'<input type="text" name="{sp}" value=""><input type="submit" '
                f'value="{r.choice(vocab.SEARCH_BUTTONS)}"></form>'
            )
            ev = form
        home.body += f'<div class="search">{form}</div>'
        self.edge(home, "search", node, path, ev)
        self.search_conf = {"path": path, "param": sp, "node": node.key, "api": api}

    def sitemap(self, flat: list[Node]) -> None:
        kind = self.c["sitemap"]
        robots = self.node("/robots.txt", {}, "robots")
        robots.body = "User-agent: *\nDisallow:\n"
        if kind == "none":
            return
        r = self.rng
        path = "/sitemap.xml" if kind == "sitemap.xml" else r.choice(vocab.SITEMAP_PATHS)
        node = self.node(path, {}, "sitemap")
        locs = []
        for t in [n for n in flat if r.random() < 0.8] + [t for t, _ in self.search_hidden]:
            ev = f"<loc>{{root}}{xml_escape(t.key)}</loc>"
            self.edge(node, "sitemap", t, "{root}" + t.key, ev)
            locs.append(f"<url>{ev}<lastmod>{date(2024, 2, 1).isoformat()}</lastmod></url>")
        node.body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            '"http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(locs) + "</urlset>"
        )
        if kind == "robots":
            line = f"Sitemap: {{root}}{path}"
            robots.body += line + "\n"
            self.edge(robots, "robots-sitemap", node, "{root}" + path, line)
