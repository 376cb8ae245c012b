"""Where things sit on a generated portal: root, hub chain, unit layouts, and the site's
header. Built bottom-up: articles first, then the listings that name them (listings.py), then
the hubs that name the listings, so every link is written to a page that exists; search and
sitemap last (doors.py)."""

from __future__ import annotations

from html import escape

from ..model import Site
from . import vocab
from .builder import UNIT_LAYOUTS, Unit, dumps
from .doors import Doors
from .graph import Edge, Node
from .links import attr, link_markup

#: pages drawn in the site's template, with its header
NAV_ROLES = ("home", "hub", "listing", "report", "copy", "distractor", "news", "soft404", "search")


class Layout(Doors):
    # hubs ---------------------------------------------------------------------------------------
    def hub(self, title: str) -> Node:
        node = self.node(*self.free(lambda: self.urls.section()), "hub", title)
        self.extra_non_reports.append(node.key)
        return node

    def fill_hub(self, node: Node, items: list[tuple[Node, str]], crumbs: list[Node]) -> None:
        extra = self.rng.sample(self.noise, min(len(self.noise), self.rng.randint(0, 2)))
        items = items + [(n, n.title) for n in extra]
        self.rng.shuffle(items)
        node.body += (
            self.crumbs(node, crumbs) + f"<h2>{escape(node.title)}</h2>" + self.links(node, items)
        )

    # the whole portal ---------------------------------------------------------------------------
    def build(self) -> Site:
        r, c = self.rng, self.c
        units = self.units()
        county = units[0]
        home = self.node("/", {}, "home", f"{self.county}人民政府")
        root = home
        if c["root"] != "home":
            home = self.node(
                *self.free(lambda: self.urls.section()), "home", f"{self.county}人民政府门户网站"
            )
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
            entries = self.news(county, r.randint(2, 6)) + (
                self.distractors(county, 1) if r.random() < 0.4 else []
            )
            self.noise.append(
                self.listing(name, entries, [home], r.choice(("single", "next", "numbered")))
            )
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
            county_entries += self.place_units(
                group, members, layout, reports, chain[: level + 1], nav_children[level]
            )
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
                items.append(
                    (
                        self.listing(title, ns + (others if i == 0 else []), chain + [folder_hub]),
                        title,
                    )
                )
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
            noise.body += (
                f'<ul class="list"><li>{self.link(noise, copy, node.article.title, "a")}</li></ul>'
            )
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
        self.nav_html = (
            '<div class="topnav"><ul>'
            + "".join(
                f"<li><a {ev}>{escape(text)}</a></li>"
                for ev, (_, text) in zip(evs, items, strict=True)
            )
            + "</ul></div>"
        )
        for node in self.graph.nodes.values():
            if node.role in NAV_ROLES:
                node.edges += [
                    Edge("a", t.key, t.key, ev) for (t, _), ev in zip(items, evs, strict=True)
                ]
                self.used["nav"] += 1

    def place_units(
        self,
        group: str,
        members: list[Unit],
        layout: str,
        reports: dict,
        trail: list[Node],
        parent_items: list,
    ) -> list[Node]:
        """Lay out one group's units; returns the reports the county column lists instead."""
        r = self.rng
        name = r.choice(
            vocab.UNIT_DIRECTORY_NAMES["department" if group == "department" else "township"]
        )
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
                col = self.listing(
                    f"{u.name}{col_name}" if r.random() < 0.5 else col_name, entries, up
                )
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
            first, template = self.json_pages(
                shell, reports[u.name], list_api, list_method, {up: uid}, pp
            )
            templates.add(template)
            kids.append({"id": uid, "name": u.name, "leaf": True})
            self.edge(tree, "json-tree", first, "", dumps({"id": uid})[1:-1])
        tree.body = dumps([{"id": "0", "name": shell.title, "children": kids}])
        call = f'url: "{tree_api}", type: "{tree_method}"'
        self.edge(shell, f"json-{tree_method.lower()}", tree, tree_api, call)
        shell.body = (
            self.crumbs(shell, trail) + f"<h2>{escape(shell.title)}</h2>"
            '<div id="tree"></div><ul id="list"></ul><script>'
            + "".join(sorted(templates))
            + f'$.ajax({{{call}, data: {{"siteId": "{tree.params["siteId"]}"}}, '
            "success: function(nodes){drawTree(nodes);}});"
            f'function openUnit(id, p){{$.ajax({{url: "{list_api}", type: "{list_method}", '
            f'data: {{"{up}": id, "{pp}": p || 1}}, success: function(res){{drawList(res);}}}});}}'
            "</script>"
        )
        self.used[f"tree:{tree_method}"] += 1

    def fill_home(self, home: Node, chain: list[Node], items: list, box: list[Node]) -> None:
        r = self.rng
        nav = ([(chain[1], chain[1].title)] if len(chain) > 1 else []) + items
        nav += [(n, n.title) for n in self.noise]
        head = f'<div class="logo">{escape(self.county)}人民政府</div>'
        body = head + self.links(home, nav)
        news = [
            n
            for col in self.noise
            for n in self.graph.nodes.values()
            if n.role == "news" and any(e.target == n.key for e in col.edges)
        ][: r.randint(3, 6)]
        if news:
            rows = "".join(f"<li>{self.link(home, n, n.article.title)}</li>" for n in news)
            body += f'<div class="box"><h3>要闻动态</h3><ul>{rows}</ul></div>'
        if box:
            rows = "".join(f"<li>{self.link(home, n, n.article.title)}</li>" for n in box)
            body += (
                f'<div class="box"><h3>{escape(r.choice(vocab.REPORT_COLUMNS))}</h3><ul>{rows}'
                "</ul></div>"
            )
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
            root.body = (
                f'<frameset rows="120,*" frameborder="no"><frame src="{attr(wt)}" name="top" '
                f'scrolling="no"><frame src="{attr(w)}" name="main"></frameset>'
            )
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

    def report_depths(self, doors: bool) -> dict[str, int]:
        """How many reports sit at each depth: the edges on the shortest way from the root (or
        from robots.txt and /sitemap.xml) over every kind of edge, or (``doors`` False) from
        the root by links alone, without search and sitemaps; a report counts at its nearest
        URL, at -1 when it cannot be reached at all that way."""
        routes = (
            self.graph.routes()
            if doors
            else self.graph.routes(("/",), skip=("search", "sitemap", "robots-sitemap"))
        )
        counts: dict[int, int] = {}
        for art in self.reports:
            d = min((len(routes[k]) for k in [art.path, *art.aliases] if k in routes), default=-1)
            counts[d] = counts.get(d, 0) + 1
        return {str(d): n for d, n in sorted(counts.items())}  # str keys: the same after JSON

    def site(self) -> Site:
        from .. import hostile
        from . import serve

        site = Site(
            self.name,
            "generated",
            self.county,
            f"www.gen{self.seed}.gov.cn",
            f"{5000000000 + self.seed}",
            f"ICP备{10000000 + self.seed}号",
            0,
            nav=[],
        )
        for art in self.reports + self.others:
            site.add_article(art)
        site.renderer = serve  # type: ignore[attr-defined]
        site.nav_html = self.nav_html  # type: ignore[attr-defined]
        site.graph = self.graph  # type: ignore[attr-defined]
        site.search_conf = self.search_conf  # type: ignore[attr-defined]
        site.serves_robots = True  # type: ignore[attr-defined]
        site.non_report_pages = list(self.extra_non_reports)  # type: ignore[attr-defined]
        used = dict(sorted(self.used.items()))
        site.construction = {  # type: ignore[attr-defined]
            **self.c,
            "used": used,
            "pages": len(self.graph.nodes),
            "reports": len(self.reports),
            "report_depths": self.report_depths(doors=True),
            "report_depths_by_links": self.report_depths(doors=False),
        }
        if self.c["wall"] != "none":
            guarded = {n.path for n in self.graph.nodes.values() if n.article is not None}
            site.wall = hostile.Wall(  # type: ignore[attr-defined]
                site,
                (self.c["wall"],),
                guarded=lambda path: path in guarded,
            )
        return site
