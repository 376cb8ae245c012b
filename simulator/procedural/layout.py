"""Where things sit on a generated portal: root, hub chain, listings and their pagers, unit
layouts, search, sitemap. Built bottom-up: articles first, then the listings that name them,
then the hubs that name the listings, so every link is written to a page that exists."""
from __future__ import annotations

from datetime import date
from html import escape
from xml.sax.saxutils import escape as xml_escape

from ..model import Site
from . import vocab
from .builder import UNIT_LAYOUTS, Builder, Unit, dumps
from .graph import Edge, Node, node_key

#: pages drawn in the site's template, with its header
NAV_ROLES = ("home", "hub", "listing", "report", "copy", "distractor", "news", "soft404", "search")
from .links import attr, link_markup, script_array


class Layout(Builder):
    # listings ---------------------------------------------------------------------------------
    def listing(self, title: str, entries: list[Node], crumbs: list[Node], shape: str | None = None,
                shell: Node | None = None) -> Node:
        """A listing of ``entries`` (newest first) paged in ``shape``; returns its first page."""
        r = self.rng
        if shape is None:  # plain pagers by the portal's plain share, else from its palette
            plain = r.random() < self.c["plain_share"]
            shape = r.choice(("next", "numbered", "single") if plain else self.c["pagers"])
        per = self.c["per_page"]
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
            pages = [self.node(self.urls.index_page(first, k), {}, "listing", title)
                     for k in range(1, n + 1)]
        else:
            if self.urls.scheme == "static":
                path, params = self.free(lambda: (self.urls.static_listing(), {}))
            else:
                path, params = self.free(lambda: self.urls.section(static=False))
            method = "POST" if shape == "post-form" else "GET"
            pages = [self.node(path, params if k == 1 else {**params, pp: k}, "listing", title,
                               "GET" if k == 1 else method) for k in range(1, n + 1)]
            for k, page in enumerate(pages, 1):
                page.trap = {"param": pp, "page": k, "pages": [p.key for p in pages],
                             "mode": "endless" if shape == "endless" else self.c["overflow"]}
        plain = r.random() < self.c["plain_share"]
        kind = r.choice(("a", "table") if plain else self.c["entry_kinds"])
        for k, page in enumerate(pages, 1):
            rows = self.entries(page, entries[(k - 1) * per:k * per], kind)
            pager = self.pager(page, pages, k, shape)
            if page.trap is not None:
                page.trap["rows"] = rows
            cal = ""
            if self.c["calendar"] and k == 1 and r.random() < 0.5:
                cal = (f'<div class="calendar"><a href="/calendar.{self.urls.ext}?ym=2024-01">上一月</a>'
                       f' 2024年2月 <a href="/calendar.{self.urls.ext}?ym=2024-03">下一月</a></div>')
                self.used["trap:calendar"] += 1
            page.body = (self.crumbs(page, crumbs) + f'<h2 class="col-title">{escape(title)}</h2>'
                         + rows + pager + cal)
        self.extra_non_reports += [p.key for p in pages if p.method == "GET"]
        return pages[0]

    def entries(self, page: Node, rows: list[Node], kind: str) -> str:
        if not rows:
            return '<div class="empty">暂无信息</div>'
        if kind == "script-url":
            items = [(self.written(page, t), t.article.title, t.article.published.isoformat())
                     for t in rows]
            html, evs = script_array(items, self.rng)
            for t, (w, _, _), ev in zip(rows, items, evs):
                self.edge(page, "script-url", t, w, ev)
            return html
        show = f"/{self.urls.show_script}.{self.urls.ext}"
        if kind == "js-template" and not all(t.path == show and list(t.params) == [self.urls.art_param]
                                             for t in rows):
            kind = "onclick-open"  # only ids of one script can share a template
        if kind == "js-template":  # onclick="showDetail('123')" and the function in the page
            fn = self.rng.choice(("showDetail", "openArticle", "viewInfo", "goDetail", "openWin"))
            out = []
            for t in rows:
                ident = t.params[self.urls.art_param]
                ev = f"{fn}('{ident}')"
                self.edge(page, "js-template", t, "", ev)
                out.append(f'<li><a href="javascript:void(0)" onclick="{ev}">{escape(t.article.title)}'
                           f'</a><span class="date">{t.article.published.isoformat()}</span></li>')
            opener = self.rng.choice(("window.open", "location.href="))
            call = f'{opener}("{show}?{self.urls.art_param}="+id)' if opener == "window.open" else (
                f'location.href="{show}?{self.urls.art_param}="+id')
            return (f'<ul class="list">{"".join(out)}</ul>'
                    f"<script>function {fn}(id){{{call};}}</script>")
        out = []
        for t in rows:
            art = t.article
            text = art.title
            if len(text) > 24 and self.rng.random() < 0.3:
                text = text[:22] + "…"
            link = self.link(page, t, text, "a" if kind == "table" else kind)
            day = art.published.isoformat() if self.rng.random() < 0.7 else f"{art.published:%Y/%m/%d}"
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
                parts += [self._pager_link(page, pages[j], str(j + 1), "pager-number")
                          for j in range(n) if j != k - 1]
            if k < n:
                parts.append(self._pager_link(page, pages[k], r.choice(vocab.NEXT_WORDS), "pager-next"))
                parts.append(self._pager_link(page, pages[-1], r.choice(vocab.LAST_WORDS), "pager-next"))
            elif shape == "endless":  # the next link past the end leads into the trap
                trap = node_key(page.path, {**pages[0].params, pp: n + 1})
                parts.append(f'<a href="{attr(trap)}">{r.choice(vocab.NEXT_WORDS)}</a>')
                self.used["trap:endless"] += 1
        elif shape == "index-var":
            cnt, fn = r.choice(("countPage", "totalPage", "pageCount", "_nPageCount")), r.choice(
                ("createPageHTML", "showPageNav", "pageNav"))
            ext = self.urls.static_ext
            call = f'{fn}({n}, {k - 1}, "index", "{ext}")'
            parts.append(
                f"<script>var {cnt} = {n};var currentPage = {k - 1};"
                f"function {fn}(c, cur, name, ext){{for(var i=0;i<c;i++){{var u=i==0?name+'.'+ext:"
                f"name+'_'+i+'.'+ext;document.write(i==cur?'<span>'+(i+1)+'</span>':"
                f"'<a href=\"'+u+'\">'+(i+1)+'</a> ');}}}}{call};</script>")
            for j, target in enumerate(pages):
                if j != k - 1:
                    self.edge(page, "pager-script-count", target, "", call)
        elif shape == "index-select":
            opts = []
            for j, target in enumerate(pages):
                w = target.path.rsplit("/", 1)[1]
                ev = f'<option value="{attr(w)}"'
                opts.append(f'{ev}{" selected" if j == k - 1 else ""}>第{j + 1}页</option>')
                if j != k - 1:
                    self.edge(page, "pager-select", target, w, ev)
            parts.append(f'<select onchange="location.href=this.value">{"".join(opts)}</select>')
        elif shape in ("get-form", "post-form"):
            action = pages[0].path if self.rng.random() < 0.7 else "{root}" + pages[0].path
            hidden = "".join(f'<input type="hidden" name="{attr(key)}" value="{attr(str(v))}">'
                             for key, v in pages[0].params.items())
            if shape == "get-form":
                form = (f'<form action="{attr(action)}" method="get">{hidden}'
                        f'<input type="text" name="{pp}" size="3" value="{k}">'
                        '<input type="submit" value="跳转"></form>')
                kind = "pager-form-get"
                parts.append(form)
            else:
                form = (f'<form id="pageForm" name="pageForm" action="{attr(action)}" method="post">'
                        f'{hidden}<input type="hidden" name="{pp}" value="{k}"></form>')
                kind = "pager-form-post"
                parts.append(form + "<script>function goPage(n){var f=document.getElementById("
                             f"'pageForm');f.{pp}.value=n;f.submit();}}</script>")
                parts += [f'<a href="javascript:goPage({j + 1})">{j + 1}</a>' for j in range(n)
                          if j != k - 1]
            for j, target in enumerate(pages):
                if j != k - 1:
                    self.edge(page, kind, target, action, form)
        return f'<div class="pages">{" ".join(parts)}</div>'

    def _pager_link(self, page: Node, target: Node, text: str, kind: str) -> str:
        w = self.written(page, target)
        ev = f'href="{attr(w)}"'
        self.edge(page, kind, target, w, ev)
        return f"<a {ev}>{escape(text)}</a>"

    def json_listing(self, title: str, entries: list[Node], crumbs: list[Node], shape: str,
                     shell: Node | None) -> Node:
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
        script = (f'<ul id="list"></ul><div id="pager"></div><script>var colId = "{ident}";{template}'
                  f"function loadList(p){{$.ajax({{{call}, dataType: \"{data_type}\", "
                  f'data: {{"{colp}": colId, "{pp}": p, "pageSize": {self.c["per_page"]}}}, '
                  "success: function(res){render(res, p);}});}loadList(1);</script>")
        shell.body = self.crumbs(shell, crumbs) + f'<h2 class="col-title">{escape(title)}</h2>' + script
        return shell

    def json_pages(self, shell: Node, entries: list[Node], api: str, method: str, base: dict,
                   pp: str) -> tuple[Node, str]:
        """The endpoint's pages, in JSON, an HTML fragment of rows, or Hanweb-style XML records
        (``<record><![CDATA[<li>…]]></record>``); returns the first page and the script line
        that turns an item's id into its page's URL when JSON items carry no URL ("" if not)."""
        r = self.rng
        per = self.c["per_page"]
        fmt = r.choice(("json", "json", "json", "fragment", "xml"))
        self.used[f"endpoint:{fmt}"] += 1
        show = f"/{self.urls.show_script}.{self.urls.ext}"
        by_id = fmt == "json" and r.random() < 0.4 and all(
            t.path == show and list(t.params) == [self.urls.art_param] for t in entries)
        template = f'var detailUrl = "{show}?{self.urls.art_param}=";' if by_id else ""
        n = max(1, -(-len(entries) // per))
        list_key = r.choice(("data", "rows", "list", "result", "records", "infolist"))
        pages_key = r.choice(("totalPage", "pageCount", "pages", "totalPages"))
        title_key, url_key = r.choice(("title", "name", "subject")), r.choice(("url", "link", "href", "docUrl"))
        # page 1 answers with or without the page parameter, as real endpoints do
        nodes = [self.node(api, base if k == 1 else {**base, pp: k}, "json", method=method)
                 for k in range(1, n + 1)]
        wrapped = r.random() < 0.5

        def body(items: list, k: int) -> str:
            if fmt == "fragment":
                return (f'<ul class="list">{"".join(items)}</ul>'
                        f'<div class="pager" data-total-page="{n}" data-page="{k}"></div>')
            if fmt == "xml":
                records = "".join(f"<record><![CDATA[{i}]]></record>" for i in items)
                return (f'<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]>'
                        f"</nextgroup><recordset>{records}</recordset><totalrecord>{len(entries)}"
                        f"</totalrecord><totalpage>{n}</totalpage></datastore>")
            data = {list_key: items, pages_key: n, "total": len(entries), "pageNo": k}
            return dumps({"code": 0, "msg": "success", "data": data} if wrapped else data)

        paging = {"fragment": f'data-total-page="{n}"', "xml": f"<totalpage>{n}</totalpage>",
                  "json": dumps({pages_key: n})[1:-1]}[fmt]
        for k, node in enumerate(nodes, 1):
            node.fmt = fmt
            items: list = []
            for t in entries[(k - 1) * per:k * per]:
                day = t.article.published.isoformat()
                if fmt != "json":  # rows of links; the page's script puts them in its list
                    w = t.key if r.random() < 0.7 else "{root}" + t.key
                    ev = f'href="{attr(w)}"'
                    items.append(f'<li><a {ev} target="_blank">{escape(t.article.title)}</a>'
                                 f"<span>{day}</span></li>")
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
            node.trap = {"param": pp, "page": k, "pages": [x.key for x in nodes], "mode": "json-empty",
                         "empty": body([], 0)}
            if k < n:
                self.edge(node, "json-page", nodes[k], "", paging)
        return nodes[0], template

    def crumbs(self, page: Node, trail: list[Node]) -> str:
        if not trail:
            return ""
        links = [self.link(page, t, t.title or "首页", "a") for t in trail]
        return f'<div class="position">当前位置：{" &gt; ".join(links)}</div>'

    # hubs ---------------------------------------------------------------------------------------
    def hub(self, title: str) -> Node:
        node = self.node(*self.free(lambda: self.urls.section()), "hub", title)
        self.extra_non_reports.append(node.key)
        return node

    def fill_hub(self, node: Node, items: list[tuple[Node, str]], crumbs: list[Node]) -> None:
        extra = self.rng.sample(self.noise, min(len(self.noise), self.rng.randint(0, 2)))
        items = items + [(n, n.title) for n in extra]
        self.rng.shuffle(items)
        node.body += (self.crumbs(node, crumbs) + f'<h2>{escape(node.title)}</h2>'
                      + self.links(node, items))

    # the whole portal ---------------------------------------------------------------------------
    def build(self) -> Site:
        r, c = self.rng, self.c
        units = self.units()
        county = units[0]
        home = self.node("/", {}, "home", f"{self.county}人民政府")
        root = home
        if c["root"] != "home":
            home = self.node(*self.free(lambda: self.urls.section()), "home", f"{self.county}人民政府门户网站")
        self.home = home
        self.extra_non_reports += sorted({root.key, home.key})
        reports = {u.name: self.unit_reports(u) for u in units}
        flat = [n for ns in reports.values() for n in ns]
        for node in r.sample(flat, min(c["attachment_only"], len(flat))):
            self.attach_only(node)
        plain = [n for n in flat if not n.article.files_only]
        for node in r.sample(plain, min(c["file_reports"], len(plain))):
            fnode = self.file_report(node)
            for ns in reports.values():
                ns[:] = [fnode if n is node else n for n in ns]
        flat = [n for ns in reports.values() for n in ns]
        # noise columns: news, a distractor or two
        self.noise: list[Node] = []
        for name in r.sample(vocab.NOISE_COLUMNS, r.randint(2, 4)):
            entries = self.news(county, r.randint(2, 6)) + (self.distractors(county, 1) if r.random() < 0.4 else [])
            self.noise.append(self.listing(name, entries, [home], r.choice(("single", "next", "numbered"))))
        # the hub chain down to the county's report column
        chain = [home] + [self.hub(r.choice(vocab.HUB_NAMES)) for _ in range(c["depth"] - 1)]
        county_entries = reports[county.name] + self.distractors(county, r.randint(1, 4))
        county_entries += [self.soft404(county) for _ in range(c["soft404"])]
        home_box: list[Node] = []
        if c["home_reports"]:
            k = r.randint(1, min(2, len(reports[county.name])))
            home_box = reports[county.name][-k:]
            county_entries = [n for n in county_entries if n not in home_box]
            self.used["home-reports"] += len(home_box)
        # unit groups
        nav_children: dict[int, list[tuple[Node, str]]] = {i: [] for i in range(len(chain))}
        for group in ("township", "department", "zone"):
            members = [u for u in units if u.kind == group]
            if not members:
                continue
            layouts = [x for x in UNIT_LAYOUTS if x != "search" or c["search"] != "none"]
            layout = r.choice(layouts)
            c["layouts"][group] = layout
            self.used[f"layout:{layout}"] += 1
            level = r.randint(0, len(chain) - 1)
            county_entries += self.place_units(group, members, layout, reports, chain[:level + 1],
                                               nav_children[level])
        # two columns: unit reports listed again in the county column
        if c["two_columns"]:
            extra = [n for u in units[1:] for n in reports[u.name] if r.random() < 0.3]
            county_entries += [n for n in extra if n not in county_entries]
            self.used["two-columns"] += len(extra)
        col_name = r.choice(vocab.REPORT_COLUMNS)
        if c["year_folders"]:
            folder_hub = self.hub(col_name)
            by_year: dict[int, list[Node]] = {}
            others: list[Node] = []
            for n in county_entries:
                rep = n.article.report
                (by_year.setdefault(rep.report_year, []) if rep else others).append(n)
            form = r.choice(vocab.YEAR_FOLDERS)
            items = []
            for i, (year, ns) in enumerate(sorted(by_year.items(), reverse=True)):
                title = form.format(y=year)
                items.append((self.listing(title, ns + (others if i == 0 else []),
                                           chain + [folder_hub]), title))
            self.fill_hub(folder_hub, items, chain)
            county_col = folder_hub
            self.used["year-folders"] += 1
        else:
            county_col = self.listing(col_name, county_entries, chain)
        nav_children[len(chain) - 1].append((county_col, col_name))
        # copies under a second URL, linked from a noise column
        pages = [n for n in flat if n.role == "report" and not n.article.files_only]
        for node in r.sample(pages, min(c["copies"], len(pages))):
            day = node.article.published
            path, params = self.free(lambda day=day: self.urls.article(day))
            copy = self.node(path, params, "copy", node.title)
            copy.article = node.article
            if r.random() < 0.4:  # the second URL answers 302 to the first
                copy.role = "redirect"
                copy.redirect = node.key
                self.edge(copy, "redirect", node, node.key, "")
                self.used["redirect"] += 1
            node.article.aliases.append(copy.key)
            noise = r.choice(self.noise)
            noise.body += f'<ul class="list"><li>{self.link(noise, copy, node.article.title, "a")}</li></ul>'
            self.used["copies"] += 1
        for i, hub in enumerate(chain[1:], 1):
            below = [(chain[i + 1], chain[i + 1].title)] if i + 1 < len(chain) else []
            self.fill_hub(hub, below + nav_children[i], chain[:i])
        self.fill_home(home, chain, nav_children[0], home_box)
        if root is not home:
            self.make_root(root, home)
        self.search(root if root.role == "home" else home, flat)
        self.sitemap(flat)
        self.site_nav(chain)
        return self.site()

    def site_nav(self, chain: list[Node]) -> None:
        """The header every page of the CMS template carries: home, the first hub, a few
        columns, always as absolute paths (one include for the whole site)."""
        items = [(self.home, "首页")] + ([(chain[1], chain[1].title)] if len(chain) > 1 else [])
        items += [(n, n.title) for n in self.noise[:3]]
        evs = [f'href="{attr(t.key)}"' for t, _ in items]
        self.nav_html = ('<div class="topnav"><ul>' + "".join(
            f"<li><a {ev}>{escape(text)}</a></li>" for ev, (_, text) in zip(evs, items)) + "</ul></div>")
        for node in self.graph.nodes.values():
            if node.role in NAV_ROLES:
                node.edges += [Edge("a", t.key, t.key, ev) for (t, _), ev in zip(items, evs)]
                self.used["nav"] += 1

    def place_units(self, group: str, members: list[Unit], layout: str, reports: dict,
                    trail: list[Node], parent_items: list) -> list[Node]:
        """Lay out one group's units; returns the reports the county column lists instead."""
        r = self.rng
        name = r.choice(vocab.UNIT_DIRECTORY_NAMES["department" if group == "department" else "township"])
        if layout == "summary":
            return [n for u in members for n in reports[u.name]]
        if layout == "json-tree":
            shell = self.hub(name)
            self.unit_tree(shell, members, reports, trail)
            parent_items.append((shell, name))
            return []
        directory = self.hub(name) if layout == "directory" else None
        items = []
        for u in members:
            entries = reports[u.name] + (self.distractors(u, 1) if r.random() < 0.5 else [])
            if r.random() < 0.2:
                entries.append(self.soft404(u))
            col_name = r.choice(vocab.REPORT_COLUMNS)
            up = trail + ([directory] if directory else [])
            if layout == "dropdown" or (len(up) < 5 and r.random() < 0.5):
                site_home = self.hub(u.name)
                col = self.listing(col_name, entries, up + [site_home])
                self.fill_hub(site_home, [(col, col_name)], up)
                items.append((site_home, u.name))
            else:
                col = self.listing(f"{u.name}{col_name}" if r.random() < 0.5 else col_name, entries, up)
                items.append((col, u.name))
        if layout == "dropdown":
            self.dropdown += items
        elif layout == "search":
            self.search_hidden += items
        else:
            assert directory is not None
            self.fill_hub(directory, items, trail)
            parent_items.append((directory, name))
        return []

    def unit_tree(self, shell: Node, members: list[Unit], reports: dict, trail: list[Node]) -> None:
        """A unit tree from one endpoint, then each unit's list from another (GET or POST)."""
        r = self.rng
        tree_method, list_method = r.choice(("GET", "POST")), r.choice(("GET", "POST"))
        tree_api, list_api = r.choice(vocab.TREE_PATHS), r.choice(vocab.API_PATHS)
        up, pp = self.urls.unit_param, self.urls.page_param
        tree = self.node(tree_api, {"siteId": str(r.randint(1, 99))}, "json", method=tree_method)
        kids, templates = [], set()
        for u in members:
            uid = self.urls.ident()
            first, template = self.json_pages(shell, reports[u.name], list_api, list_method,
                                              {up: uid}, pp)
            templates.add(template)
            kids.append({"id": uid, "name": u.name, "leaf": True})
            self.edge(tree, "json-tree", first, "", dumps({"id": uid})[1:-1])
        tree.body = dumps([{"id": "0", "name": shell.title, "children": kids}])
        call = f'url: "{tree_api}", type: "{tree_method}"'
        self.edge(shell, f"json-{tree_method.lower()}", tree, tree_api, call)
        shell.body = (self.crumbs(shell, trail) + f"<h2>{escape(shell.title)}</h2>"
                      '<div id="tree"></div><ul id="list"></ul><script>' + "".join(sorted(templates)) +
                      f'$.ajax({{{call}, data: {{"siteId": "{tree.params["siteId"]}"}}, '
                      "success: function(nodes){drawTree(nodes);}});"
                      f'function openUnit(id, p){{$.ajax({{url: "{list_api}", type: "{list_method}", '
                      f'data: {{"{up}": id, "{pp}": p || 1}}, success: function(res){{drawList(res);}}}});}}'
                      "</script>")
        self.used[f"tree:{tree_method}"] += 1

    def fill_home(self, home: Node, chain: list[Node], items: list, box: list[Node]) -> None:
        r = self.rng
        nav = ([(chain[1], chain[1].title)] if len(chain) > 1 else []) + items
        nav += [(n, n.title) for n in self.noise]
        head = f'<div class="logo">{escape(self.county)}人民政府</div>'
        body = head + self.links(home, nav)
        news = [n for col in self.noise for n in self.graph.nodes.values()
                if n.role == "news" and any(e.target == n.key for e in col.edges)][:r.randint(3, 6)]
        if news:
            rows = "".join(f"<li>{self.link(home, n, n.article.title)}</li>" for n in news)
            body += f'<div class="box"><h3>要闻动态</h3><ul>{rows}</ul></div>'
        if box:
            rows = "".join(f"<li>{self.link(home, n, n.article.title)}</li>" for n in box)
            body += f'<div class="box"><h3>{escape(r.choice(vocab.REPORT_COLUMNS))}</h3><ul>{rows}</ul></div>'
        if self.dropdown:
            prompt = r.choice(vocab.SELECT_PROMPTS)
            body += f'<div class="links">{self.links(home, self.dropdown, prompt=prompt)}</div>'
        home.body = body

    def make_root(self, root: Node, home: Node) -> None:
        w = self.written(root, home)
        if self.c["root"] == "frameset":
            top = self.node(*self.free(lambda: self.urls.section()), "hub", "top")
            top.body = f'<div class="logo">{escape(self.county)}人民政府</div>'
            self.extra_non_reports.append(top.key)
            wt = self.written(root, top)
            root.body = (f'<frameset rows="120,*" frameborder="no"><frame src="{attr(wt)}" name="top" '
                         f'scrolling="no"><frame src="{attr(w)}" name="main"></frameset>')
            self.edge(root, "frame", top, wt, f'<frame src="{attr(wt)}"')
            self.edge(root, "frame", home, w, f'<frame src="{attr(w)}"')
            root.role = "frameset"
        elif self.c["root"] == "iframe":
            html, ev = link_markup("iframe", w, "", self.rng)
            root.body = html
            self.edge(root, "iframe", home, w, ev)
            root.role = "shell"
        elif self.c["root"] == "refresh":  # <meta http-equiv="refresh"> to the real home
            ev = f'content="0; url={attr(w)}"'
            root.body = f'<meta http-equiv="refresh" {ev}>'
            self.edge(root, "meta-refresh", home, w, ev)
            root.role = "refresh"
        elif self.c["root"] == "js-redirect":  # an inline script sends the browser on
            ev = f'window.location.href = "{w}"'
            root.body = f"<script>{ev};</script>"
            self.edge(root, "script-location", home, w, ev)
            root.role = "shell"
        else:  # "redirect": the root answers 302
            root.role = "redirect"
            root.redirect = home.key
            self.edge(root, "redirect", home, home.key, "")

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
        hits = [n for n in flat] + [t for t, _ in self.search_hidden]
        if api:
            items = []
            for t in hits:
                items.append({"title": t.article.title if t.article else t.title, "url": t.key})
                self.edge(node, "json-url", t, t.key, dumps({"url": t.key})[1:-1])
            node.body = dumps({"total": len(items), "results": items})
            call = f'url: "{path}", type: "{method}"'
            form = (f'<input type="text" id="kw" value=""><button onclick="doSearch()">搜索</button>'
                    f'<script>function doSearch(){{$.ajax({{{call}, data: {{"{sp}": '
                    'document.getElementById("kw").value}, success: function(r){show(r.results);}});}'
                    "</script>")
            ev = call
        else:
            rows = "".join(f"<li>{self.link(node, t, t.article.title if t.article else t.title, 'a')}</li>"
                           for t in hits)
            node.body = f'<div class="search-result"><p>找到{len(hits)}条结果</p><ul>{rows}</ul></div>'
            form = (f'<form action="{attr(path)}" method="{method.lower()}" name="searchform">'
                    f'<input type="text" name="{sp}" value=""><input type="submit" '
                    f'value="{r.choice(vocab.SEARCH_BUTTONS)}"></form>')
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
        node.body = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
                     '"http://www.sitemaps.org/schemas/sitemap/0.9">' + "".join(locs) + "</urlset>")
        if kind == "robots":
            line = f"Sitemap: {{root}}{path}"
            robots.body += line + "\n"
            self.edge(robots, "robots-sitemap", node, "{root}" + path, line)

    def report_depths(self, doors: bool) -> dict[str, int]:
        """How many reports sit at each click depth from the root: the shortest path over every
        kind of edge (robots.txt and /sitemap.xml one step from the root), or (``doors`` False)
        by links alone, without search, sitemap and robots.txt; a report
        counts at its nearest URL, -1 when it cannot be reached at all that way."""
        skip = set() if doors else {"search", "sitemap", "robots-sitemap"}
        depth = {"/": 0}
        if doors:  # a crawler asks for these beside the root
            depth.update({k: 1 for k in ("/robots.txt", "/sitemap.xml") if k in self.graph.nodes})
        frontier = list(depth)
        while frontier:
            nxt = []
            for key in frontier:
                for edge in self.graph.nodes[key].edges:
                    if edge.target not in depth and edge.kind not in skip:
                        depth[edge.target] = depth[key] + 1
                        nxt.append(edge.target)
            frontier = nxt
        counts: dict[int, int] = {}
        for art in self.reports:
            d = min((depth[k] for k in [art.path, *art.aliases] if k in depth), default=-1)
            counts[d] = counts.get(d, 0) + 1
        return {str(d): n for d, n in sorted(counts.items())}  # str keys: the same after JSON

    def site(self) -> Site:
        from .. import hostile
        from . import serve

        site = Site(self.name, "generated", self.county, f"www.gen{self.seed}.gov.cn",
                    f"{5000000000 + self.seed}", f"ICP备{10000000 + self.seed}号", 0, nav=[])
        for art in self.reports + self.others:
            site.add_article(art)
        site.renderer = serve  # type: ignore[attr-defined]
        site.nav_html = self.nav_html  # type: ignore[attr-defined]
        site.graph = self.graph  # type: ignore[attr-defined]
        site.search_conf = self.search_conf  # type: ignore[attr-defined]
        site.serves_robots = True  # type: ignore[attr-defined]
        site.non_report_pages = list(self.extra_non_reports)  # type: ignore[attr-defined]
        used = {k: v for k, v in sorted(self.used.items())}
        site.construction = {**self.c, "used": used,  # type: ignore[attr-defined]
                             "pages": len(self.graph.nodes), "reports": len(self.reports),
                             "report_depths": self.report_depths(doors=True),
                             "report_depths_by_links": self.report_depths(doors=False)}
        if self.c["wall"] != "none":
            guarded = {n.path for n in self.graph.nodes.values() if n.article is not None}
            site.wall = hostile.Wall(site, (self.c["wall"],),  # type: ignore[attr-defined]
                                     guarded=lambda path: path in guarded)
        return site
