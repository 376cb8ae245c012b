"""The generated portal as a graph: every page a node, every way of reaching a page an edge.

The builder writes each edge's markup and records the edge at once, so the graph is the
ground truth of reachability: a test can walk it and check that every edge is really in the
bytes the server sends (``Edge.evidence``) and resolves to its target (``Edge.written``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

#: every way a page links another; a portal draws a palette from these
LINK_KINDS = (
    "a",  # <a href>
    "area",  # <map><area href>
    "frame",  # <frameset><frame src>
    "iframe",  # <iframe src>
    "onclick-open",  # onclick="window.open('…')"
    "onclick-href",  # onclick="location.href='…'"
    "onclick-location",  # onclick="window.location='…'" / location='…'
    "script-location",  # inline <script> setting location.href in a handler
    "script-url",  # URL strings in an inline script (document.write of an array)
    "option",  # <option value> of a navigation <select>
    "image",  # <a href><img></a>, no text
    "meta-refresh",  # <meta http-equiv="refresh" content="0; url=…">
)
#: edges that are not plain links: pagers, endpoints, other doors
OTHER_EDGES = (
    "pager-next",
    "pager-number",
    "pager-script-count",
    "pager-select",
    "pager-form-get",
    "pager-form-post",
    "json-get",
    "json-post",
    "json-page",
    "json-url",
    "json-id",
    "json-tree",
    "search",
    "sitemap",
    "robots-sitemap",
    "attachment",
    "redirect",
    "js-template",  # onclick="showDetail('123')" + function showDetail(id){window.open(url+id)}
)
PAGER_SHAPES = (
    "next",
    "numbered",
    "index-var",
    "index-select",
    "get-form",
    "post-form",
    "json-get",
    "json-post",
    "endless",
    "single",
)
#: which edges need no literal URL in the source page (the target is computed from the page)
COMPUTED = {
    "pager-script-count",
    "pager-form-get",
    "pager-form-post",
    "json-get",
    "json-post",
    "json-page",
    "json-id",
    "json-tree",
    "search",
    "redirect",
    "js-template",
}


@dataclass
class Edge:
    kind: str
    target: str  # the target node's key
    written: str = ""  # the URL as the page writes it ("{root}" for scheme+host); forms: action
    evidence: str = ""  # the exact text in the source page that carries the edge


@dataclass
class Node:
    key: str  # "path?query" for GET; "POST path?form" for POST
    path: str
    params: dict
    role: str  # home frameset hub listing report distractor news soft404 file json search …
    title: str = ""
    method: str = "GET"
    body: str = ""  # the page's inner HTML (or JSON / XML text), "{root}" for scheme+host
    edges: list[Edge] = field(default_factory=list)
    article: Any = None  # simulator.model.Article for article pages and files
    trap: dict | None = None  # listing pages past the end: how the pager answers there
    redirect: str = ""  # a copy's second URL that answers 302 to this key
    fmt: str = "json"  # a data endpoint's answer: json | fragment (HTML rows) | xml (records)


def node_key(path: str, params: dict | None = None, method: str = "GET") -> str:
    query = urlencode(params or {}, safe="/,:")
    key = f"{path}?{query}" if query else path
    return f"POST {key}" if method == "POST" else key


class Graph:
    """Nodes by key, and the lookup the server uses: the most specific node whose params all
    appear in the request (extra params, a cache-buster or a submit button, are ignored)."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self._by_path: dict[str, list[Node]] = {}

    def add(self, node: Node) -> Node:
        if node.key in self.nodes:
            raise ValueError(f"duplicate node {node.key}")
        self.nodes[node.key] = node
        self._by_path.setdefault(node.path, []).append(node)
        return node

    def routes(
        self,
        starts: tuple[str, ...] = ("/", "/robots.txt", "/sitemap.xml"),
        skip: tuple[str, ...] = (),
    ) -> dict[str, list[Edge]]:
        """The shortest way to every reachable node: the edges from a start (breadth-first),
        never through an edge of a kind in ``skip``."""
        route: dict[str, list[Edge]] = {k: [] for k in starts if k in self.nodes}
        frontier = list(route)
        while frontier:
            nxt = []
            for key in frontier:
                for edge in self.nodes[key].edges:
                    if edge.target not in route and edge.kind not in skip:
                        route[edge.target] = route[key] + [edge]
                        nxt.append(edge.target)
            frontier = nxt
        return route

    def remove(self, node: Node) -> None:
        del self.nodes[node.key]
        self._by_path[node.path].remove(node)

    def lookup(self, path: str, params: dict) -> Node | None:
        best = None
        for node in self._by_path.get(path, ()):
            fits = all(params.get(k) == str(v) for k, v in node.params.items())
            if fits and (best is None or len(node.params) > len(best.params)):
                best = node
        return best
