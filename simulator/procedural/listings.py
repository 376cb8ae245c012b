"""Listings and their pagers: rows of links in a drawn kind, pagers in every shape, and lists
drawn by script from a data endpoint (JSON, an HTML fragment or XML records)."""

from __future__ import annotations

from html import escape

from . import vocab
from .builder import Builder, dumps
from .graph import Node, node_key
from .links import attr, script_array


class Listings(Builder):
    # listings ---------------------------------------------------------------------------------
    def listing(
        self,
        title: str,
        entries: list[Node],
        crumbs: list[Node],
        shape: str | None = None,
        shell: Node | None = None,
    ) -> Node:
        """A listing of ``entries`` (newest first) paged in ``shape``; returns its first page."""
        r = self.rng
        if shape is None:  # plain pagers by the portal's plain share, else from its palette
            plain = r.random() < self.c["plain_share"]
            shape = r.choice(("next", "numbered", "single") if plain else self.c["pagers"])
        per = self.c["per_page"]
        if self.c["base_href"] and shape in ("index-var", "index-select"):
            shape = "next"  # index_N links are relative to the page's folder, which <base> hides
        entries = sorted(entries, key=lambda n: (n.article.published, n.key), reverse=True)
        n = max(1, -(-len(entries) // per))
        if shape == "single":
            per, n = max(1, len(entries)), 1
        self.used[f"pager:{shape}"] += 1
        if shape in ("json-get", "json-post"):
            return self.json_listing(title, entries, crumbs, shape, shell)
        pp = self.urls.page_param
        if shape in ("index-var", "index-select"):
            first, _ = self.free(lambda: (self.urls.static_listing(), {}))
            pages = [
                self.node(self.urls.index_page(first, k), {}, "listing", title)
                for k in range(1, n + 1)
            ]
        else:
            if self.urls.scheme == "static":
                path, params = self.free(lambda: (self.urls.static_listing(), {}))
            else:
                path, params = self.free(lambda: self.urls.section(static=False))
            method = "POST" if shape == "post-form" else "GET"
            pages = [
                self.node(
                    path,
                    params if k == 1 else {**params, pp: k},
                    "listing",
                    title,
                    "GET" if k == 1 else method,
                )
                for k in range(1, n + 1)
            ]
            for k, page in enumerate(pages, 1):
                page.trap = {
                    "param": pp,
                    "page": k,
                    "pages": [p.key for p in pages],
                    "mode": "endless" if shape == "endless" else self.c["overflow"],
                }
        plain = r.random() < self.c["plain_share"]
        kind = r.choice(("a", "table") if plain else self.c["entry_kinds"])
        for k, page in enumerate(pages, 1):
            rows = self.entries(page, entries[(k - 1) * per : k * per], kind)
            pager = self.pager(page, pages, k, shape)
            if page.trap is not None:
                page.trap["rows"] = rows
            cal = ""
            if self.c["calendar"] and k == 1 and r.random() < 0.5:
                cal = (
                    f'<div class="calendar"><a href="/calendar.{self.urls.ext}?ym=2024-01">'
                    "上一月</a>"
                    f' 2024年2月 <a href="/calendar.{self.urls.ext}?ym=2024-03">下一月</a></div>'
                )
                self.used["trap:calendar"] += 1
            page.body = (
                self.crumbs(page, crumbs)
                + f'<h2 class="col-title">{escape(title)}</h2>'
                + rows
                + pager
                + cal
            )
        self.extra_non_reports += [p.key for p in pages if p.method == "GET"]
        return pages[0]

    def entries(self, page: Node, rows: list[Node], kind: str) -> str:
        if not rows:
            return '<div class="empty">暂无信息</div>'
        if kind == "script-url":
            items = [
                (self.written(page, t), t.article.title, t.article.published.isoformat())
                for t in rows
            ]
            html, evs = script_array(items, self.rng)
            for t, (w, _, _), ev in zip(rows, items, evs, strict=True):
                self.edge(page, "script-url", t, w, ev)
            return html
        show = f"/{self.urls.show_script}.{self.urls.ext}"
        if kind == "js-template" and not all(
            t.path == show and list(t.params) == [self.urls.art_param] for t in rows
        ):
            kind = "onclick-open"  # only ids of one script can share a template
        if kind == "js-template":  # onclick="showDetail('123')" and the function in the page
            fn = self.rng.choice(("showDetail", "openArticle", "viewInfo", "goDetail", "openWin"))
            out = []
            for t in rows:
                ident = t.params[self.urls.art_param]
                ev = f"{fn}('{ident}')"
                self.edge(page, "js-template", t, "", ev)
                out.append(
                    f'<li><a href="javascript:void(0)" onclick="{ev}">{escape(t.article.title)}'
                    f'</a><span class="date">{t.article.published.isoformat()}</span></li>'
                )
            opener = self.rng.choice(("window.open", "location.href="))
            call = (
                f'{opener}("{show}?{self.urls.art_param}="+id)'
                if opener == "window.open"
                else (f'location.href="{show}?{self.urls.art_param}="+id')
            )
            return (
                f'<ul class="list">{"".join(out)}</ul><script>function {fn}(id){{{call};}}</script>'
            )
        out = []
        for t in rows:
            art = t.article
            text = art.title
            if len(text) > 24 and self.rng.random() < 0.3:
                text = text[:22] + "…"
            link = self.link(page, t, text, "a" if kind == "table" else kind)
            day = (
                art.published.isoformat()
                if self.rng.random() < 0.7
                else f"{art.published:%Y/%m/%d}"
            )
            if kind == "table":
                out.append(f"<tr><td>{link}</td><td>{day}</td></tr>")
            else:
                out.append(f'<li>{link}<span class="date">{day}</span></li>')
        if kind == "table":
            return f'<table class="list" width="100%">{"".join(out)}</table>'
        return f'<ul class="list">{"".join(out)}</ul>'

    def pager(self, page: Node, pages: list[Node], k: int, shape: str) -> str:
        r, n = self.rng, len(pages)
        pp = self.urls.page_param
        if shape == "single" or (n == 1 and shape != "endless"):
            return ""
        parts = [f"<span>共{n}页 当前第{k}页</span>"]
        if shape in ("next", "numbered", "endless"):
            if k > 1:
                parts.append(self._pager_link(page, pages[0], "首页", "pager-next"))
                parts.append(self._pager_link(page, pages[k - 2], "上一页", "pager-next"))
            if shape == "numbered":
                parts += [
                    self._pager_link(page, pages[j], str(j + 1), "pager-number")
                    for j in range(n)
                    if j != k - 1
                ]
            if k < n:
                parts.append(
                    self._pager_link(page, pages[k], r.choice(vocab.NEXT_WORDS), "pager-next")
                )
                parts.append(
                    self._pager_link(page, pages[-1], r.choice(vocab.LAST_WORDS), "pager-next")
                )
            elif shape == "endless":  # the next link past the end leads into the trap
                trap = node_key(page.path, {**pages[0].params, pp: n + 1})
                parts.append(f'<a href="{attr(trap)}">{r.choice(vocab.NEXT_WORDS)}</a>')
                self.used["trap:endless"] += 1
        elif shape == "index-var":
            cnt, fn = (
                r.choice(("countPage", "totalPage", "pageCount", "_nPageCount")),
                r.choice(("createPageHTML", "showPageNav", "pageNav")),
            )
            ext = self.urls.static_ext
            call = f'{fn}({n}, {k - 1}, "index", "{ext}")'
            parts.append(
                f"<script>var {cnt} = {n};var currentPage = {k - 1};"
                f"function {fn}(c, cur, name, ext){{for(var i=0;i<c;i++){{var u=i==0?name+'.'+ext:"
                f"name+'_'+i+'.'+ext;document.write(i==cur?'<span>'+(i+1)+'</span>':"
                f"'<a href=\"'+u+'\">'+(i+1)+'</a> ');}}}}{call};</script>"
            )
            for j, target in enumerate(pages):
                if j != k - 1:
                    self.edge(page, "pager-script-count", target, "", call)
        elif shape == "index-select":
            opts = []
            for j, target in enumerate(pages):
                w = target.path.rsplit("/", 1)[1]
                ev = f'<option value="{attr(w)}"'
                opts.append(f"{ev}{' selected' if j == k - 1 else ''}>第{j + 1}页</option>")
                if j != k - 1:
                    self.edge(page, "pager-select", target, w, ev)
            parts.append(f'<select onchange="location.href=this.value">{"".join(opts)}</select>')
        elif shape in ("get-form", "post-form"):
            action = pages[0].path if self.rng.random() < 0.7 else "{root}" + pages[0].path
            hidden = "".join(
                f'<input type="hidden" name="{attr(key)}" value="{attr(str(v))}">'
                for key, v in pages[0].params.items()
            )
            if shape == "get-form":
                form = (
                    f'<form action="{attr(action)}" method="get">{hidden}'
                    f'<input type="text" name="{pp}" size="3" value="{k}">'
                    '<input type="submit" value="跳转"></form>'
                )
                kind = "pager-form-get"
                parts.append(form)
            else:
                form = (
                    f'<form id="pageForm" name="pageForm" action="{attr(action)}" method="post">'
                    f'{hidden}<input type="hidden" name="{pp}" value="{k}"></form>'
                )
                kind = "pager-form-post"
                parts.append(
                    form + "<script>function goPage(n){var f=document.getElementById("
                    f"'pageForm');f.{pp}.value=n;f.submit();}}</script>"
                )
                parts += [
                    f'<a href="javascript:goPage({j + 1})">{j + 1}</a>'
                    for j in range(n)
                    if j != k - 1
                ]
            for j, target in enumerate(pages):
                if j != k - 1:
                    self.edge(page, kind, target, action, form)
        return f'<div class="pages">{" ".join(parts)}</div>'

    def _pager_link(self, page: Node, target: Node, text: str, kind: str) -> str:
        w = self.written(page, target)
        ev = f'href="{attr(w)}"'
        self.edge(page, kind, target, w, ev)
        return f"<a {ev}>{escape(text)}</a>"

    def json_listing(
        self, title: str, entries: list[Node], crumbs: list[Node], shape: str, shell: Node | None
    ) -> Node:
        """A page whose list is drawn by script from a JSON endpoint, paged until exhausted."""
        r = self.rng
        method = "POST" if shape == "json-post" else "GET"
        api = r.choice(vocab.API_PATHS)
        colp, pp = r.choice(vocab.ID_PARAMS + vocab.UNIT_PARAMS), self.urls.page_param
        ident = self.urls.ident()
        if shell is None:
            shell = self.node(*self.free(lambda: self.urls.section()), "listing", title)
            self.extra_non_reports.append(shell.key)
        first, template = self.json_pages(shell, entries, api, method, {colp: ident}, pp)
        call = f'url: "{api}", type: "{method}"'
        self.edge(shell, f"json-{method.lower()}", first, api, call)
        data_type = {"json": "json", "xml": "xml", "fragment": "html"}[first.fmt]
        script = (
            f'<ul id="list"></ul><div id="pager"></div><script>var colId = "{ident}";{template}'
            f'function loadList(p){{$.ajax({{{call}, dataType: "{data_type}", '
            f'data: {{"{colp}": colId, "{pp}": p, "pageSize": {self.c["per_page"]}}}, '
            "success: function(res){render(res, p);}});}loadList(1);</script>"
        )
        shell.body = (
            self.crumbs(shell, crumbs) + f'<h2 class="col-title">{escape(title)}</h2>' + script
        )
        return shell

    def json_pages(
        self, shell: Node, entries: list[Node], api: str, method: str, base: dict, pp: str
    ) -> tuple[Node, str]:
        """The endpoint's pages, in JSON, an HTML fragment of rows, or Hanweb-style XML records
        (``<record><![CDATA[<li>…]]></record>``); returns the first page and the script line
        that turns an item's id into its page's URL when JSON items carry no URL ("" if not)."""
        r = self.rng
        per = self.c["per_page"]
        fmt = r.choice(("json", "json", "json", "fragment", "xml"))
        self.used[f"endpoint:{fmt}"] += 1
        show = f"/{self.urls.show_script}.{self.urls.ext}"
        by_id = (
            fmt == "json"
            and r.random() < 0.4
            and all(t.path == show and list(t.params) == [self.urls.art_param] for t in entries)
        )
        template = f'var detailUrl = "{show}?{self.urls.art_param}=";' if by_id else ""
        n = max(1, -(-len(entries) // per))
        list_key = r.choice(("data", "rows", "list", "result", "records", "infolist"))
        pages_key = r.choice(("totalPage", "pageCount", "pages", "totalPages"))
        title_key, url_key = (
            r.choice(("title", "name", "subject")),
            r.choice(("url", "link", "href", "docUrl")),
        )
        # page 1 answers with or without the page parameter, as real endpoints do
        nodes = [
            self.node(api, base if k == 1 else {**base, pp: k}, "json", method=method)
            for k in range(1, n + 1)
        ]
        wrapped = r.random() < 0.5

        def body(items: list, k: int) -> str:
            if fmt == "fragment":
                return (
                    f'<ul class="list">{"".join(items)}</ul>'
                    f'<div class="pager" data-total-page="{n}" data-page="{k}"></div>'
                )
            if fmt == "xml":
                records = "".join(f"<record><![CDATA[{i}]]></record>" for i in items)
                return (
                    f'<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]>'
                    f"</nextgroup><recordset>{records}</recordset><totalrecord>{len(entries)}"
                    f"</totalrecord><totalpage>{n}</totalpage></datastore>"
                )
            data = {list_key: items, pages_key: n, "total": len(entries), "pageNo": k}
            return dumps({"code": 0, "msg": "success", "data": data} if wrapped else data)

        paging = {
            "fragment": f'data-total-page="{n}"',
            "xml": f"<totalpage>{n}</totalpage>",
            "json": dumps({pages_key: n})[1:-1],
        }[fmt]
        for k, node in enumerate(nodes, 1):
            node.fmt = fmt
            items: list = []
            for t in entries[(k - 1) * per : k * per]:
                day = t.article.published.isoformat()
                if fmt != "json":  # rows of links; the page's script puts them in its list
                    w = t.key if r.random() < 0.7 else "{root}" + t.key
                    ev = f'href="{attr(w)}"'
                    items.append(
                        f'<li><a {ev} target="_blank">{escape(t.article.title)}</a>'
                        f"<span>{day}</span></li>"
                    )
                    self.edge(node, "a", t, w, ev)
                elif by_id:
                    ident = t.params[self.urls.art_param]
                    items.append({"id": ident, title_key: t.article.title, "date": day})
                    self.edge(node, "json-id", t, "", dumps({"id": ident})[1:-1])
                else:
                    w = t.key if r.random() < 0.7 else "{root}" + t.key
                    items.append({title_key: t.article.title, url_key: w, "date": day})
                    self.edge(node, "json-url", t, w, dumps({url_key: w})[1:-1])
            node.body = body(items, k)
            # past the last page an endpoint answers an empty list
            node.trap = {
                "param": pp,
                "page": k,
                "pages": [x.key for x in nodes],
                "mode": "json-empty",
                "empty": body([], 0),
            }
            if k < n:
                self.edge(node, "json-page", nodes[k], "", paging)
        return nodes[0], template

    def crumbs(self, page: Node, trail: list[Node]) -> str:
        if not trail:
            return ""
        links = [self.link(page, t, t.title or "首页", "a") for t in trail]
        return f'<div class="position">当前位置：{" &gt; ".join(links)}</div>'
