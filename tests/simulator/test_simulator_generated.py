"""Generated portals (simulator/procedural/): deterministic per seed, every report reachable
from the root through links really present in the served bytes, every construction choice
drawn somewhere in 50 seeds, and ground truth that holds (reports carry the fixed parts of
the national form; soft 404s, listings and decoys are not reports)."""

from __future__ import annotations

import html
import io
import re
import urllib.error
import urllib.request
from collections import deque
from functools import cache
from http.cookiejar import CookieJar
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

from simulator import Simulator
from simulator.procedural import build_sites, generated_portals
from simulator.procedural.builder import ENCODINGS, ROOTS, SEARCH, SITEMAPS, UNIT_LAYOUTS, WALLS
from simulator.procedural.graph import COMPUTED, LINK_KINDS, PAGER_SHAPES
from simulator.procedural.serve import ENCODINGS as CHARSETS

SEEDS = range(50)  # walked and checked page by page
COVERAGE_SEEDS = range(100)  # built only: every choice must be drawn somewhere in them
ROOT = "http://127.0.0.1:9"  # never contacted: the walker asks the renderer in-process
FORMS = {"pager-form-get", "pager-form-post", "search"}
# Words of the 2019/2021 national forms every report prints, written out here by hand
FIXED_PARTS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "本年新收政府信息公开申请数量",
    "行政复议",
    "行政诉讼",
    "存在的主要问题",
)


@cache
def site(seed: int):
    return build_sites([f"generated:{seed}"])[0]


def request(s, node):
    params = dict(node.params)
    return s.renderer.respond(s, node.method, node.path, params, ROOT + "/")


def decode(s, resp) -> str:
    return resp.body.decode(CHARSETS[s.construction["encoding"]][2])


def page_url(node) -> str:
    return ROOT + (node.path if node.method == "POST" else node.key)


def walk(s) -> set[str]:
    """Breadth-first over the generator's graph from the root (and robots.txt / sitemap.xml,
    the doors every crawler may knock on). Each edge must be in the source's served text as
    its evidence, and must lead to its target by what that text says: a written URL resolves
    to it, a form's action is its path, a script's page count or URL template computes it."""
    graph = s.graph
    starts = ["/", "/robots.txt"] + (["/sitemap.xml"] if "/sitemap.xml" in graph.nodes else [])
    seen, queue = set(starts), deque(starts)
    script_of: dict[str, str] = {}  # a JSON endpoint -> the text of the page whose script calls it
    while queue:
        node = graph.nodes[queue.popleft()]
        if node.role == "file":
            continue  # bytes checked in test_attachment_reports_are_documents
        resp = request(s, node)
        if node.role == "redirect":  # a copy's second URL: 302 to the report's own
            (target,) = [graph.nodes[e.target] for e in node.edges]
            assert resp.status == 302 and dict(resp.headers)["Location"] == page_url(target)
            if target.key not in seen:
                seen.add(target.key)
                queue.append(target.key)
            continue
        assert resp is not None and resp.status == 200, (s.name, node.key)
        text = decode(s, resp) if resp.content_type.startswith("text/html") else resp.body.decode()
        base = re.search(r'<base href="([^"]+)"', text)
        here = base[1] if base else page_url(node)  # what relative links resolve against
        for edge in node.edges:
            evidence = edge.evidence.replace("{root}", ROOT)
            assert evidence in text, (s.name, node.key, edge)
            target = graph.nodes[edge.target]
            if target.role == "json":
                script_of.setdefault(target.key, script_of.get(node.key, text))
            if edge.kind in COMPUTED and edge.kind not in FORMS:
                assert computes(
                    edge.kind,
                    evidence,
                    here,
                    node,
                    target,
                    script_of.get(node.key, ""),
                    graph,
                    text,
                ), (s.name, node.key, edge)
            else:
                written = edge.written.replace("{root}", ROOT)
                assert written in html.unescape(evidence) or written in evidence, (s.name, edge)
                parts = urlsplit(urljoin(here, written))
                assert parts.netloc == "127.0.0.1:9", (s.name, node.key, edge)
                if edge.kind in FORMS:
                    assert parts.path == target.path, (s.name, node.key, edge)
                else:
                    found = graph.lookup(parts.path, dict(parse_qsl(parts.query)))
                    assert found is target, (s.name, node.key, edge, found)
            if target.key not in seen:
                seen.add(target.key)
                queue.append(target.key)
    return seen


def computes(
    kind: str, evidence: str, here: str, node, target, script: str, graph, text: str
) -> bool:
    """Whether the target follows from the evidence (and, for endpoints, the calling script)."""
    import json

    if kind in ("json-get", "json-post"):
        m = re.fullmatch(r'url: "([^"]+)", type: "(GET|POST)"', evidence)
        return bool(m) and (m[1], m[2]) == (target.path, target.method)
    if kind == "pager-script-count":  # fn(count, current, "index", "ext") -> index_N.ext
        m = re.search(r'\((\d+), (\d+), "(\w+)", "(\w+)"\)', evidence)
        assert m
        names = [f"{m[3]}.{m[4]}" if i == 0 else f"{m[3]}_{i}.{m[4]}" for i in range(int(m[1]))]
        return any(graph.lookup(urlsplit(urljoin(here, n)).path, {}) is target for n in names)
    if kind == "json-page":  # "totalPage": n, <totalpage>n, data-total-page: the same endpoint
        pages = int(re.findall(r"\d+", evidence)[-1])  # page 2..n
        changed = {k for k in target.params if target.params.get(k) != node.params.get(k)}
        return (
            target.path == node.path
            and len(changed) == 1
            and 2 <= int(target.params[changed.pop()]) <= pages
        )
    if kind == "js-template":  # showDetail('123') + function showDetail(id){…"/show.jsp?id="+id}
        fn, ident = re.fullmatch(r"(\w+)\('([^']+)'\)", evidence).groups()
        m = re.search(r"function " + fn + r'\(id\)\{[^}]*?"([^"]+)"\+id', text)
        parts = urlsplit(urljoin(here, (m[1] if m else "") + ident))
        return graph.lookup(parts.path, dict(parse_qsl(parts.query))) is target
    value = next(iter(json.loads("{" + evidence + "}").values()))
    if kind == "json-tree":  # a unit's id -> its list endpoint, named in the page's script
        return value in target.params.values() and f'url: "{target.path}"' in script
    if kind == "json-id":  # an item's id + the page's detailUrl template
        m = re.search(r'detailUrl = "([^"]+)"', script)
        parts = urlsplit(urljoin(ROOT + "/", (m[1] if m else "") + value))
        return graph.lookup(parts.path, dict(parse_qsl(parts.query))) is target
    raise AssertionError(f"no rule for {kind}")


def test_names_and_determinism():
    assert generated_portals([17, 18]) == ["generated:17", "generated:18"]
    a, b = build_sites(["generated:17"])[0], build_sites(["generated:17"])[0]
    assert a.construction == b.construction
    assert list(a.graph.nodes) == list(b.graph.nodes)
    for key in list(a.graph.nodes)[:40]:
        na, nb = a.graph.nodes[key], b.graph.nodes[key]
        if na.role != "file":
            assert request(a, na).body == request(b, nb).body
    assert build_sites(["generated:18"])[0].construction != a.construction


@pytest.mark.parametrize("seed", SEEDS)
def test_every_report_is_reachable_from_the_root(seed):
    s = site(seed)
    reached = walk(s)
    reports = [a for a in s.articles.values() if a.report is not None]
    assert reports
    for art in reports:
        assert {art.path, *art.aliases} & reached, (s.name, art.title, s.construction)
    # every page a walker reaches that is not a report is a non-report of the ground truth
    non_reports = set(s.non_report_pages) | {
        a.path for a in s.articles.values() if a.report is None
    }
    for key in reached:
        node = s.graph.nodes[key]
        if node.role in (
            "listing",
            "hub",
            "soft404",
            "distractor",
            "news",
            "search",
            "home",
            "frameset",
            "shell",
            "refresh",
        ):
            assert key in non_reports or node.method == "POST", (s.name, key)


def test_a_hundred_seeds_draw_every_construction():
    used, drawn = (
        set(),
        {k: set() for k in ("encoding", "root", "wall", "search", "sitemap", "depth")},
    )
    layouts = set()
    for seed in COVERAGE_SEEDS:
        c = site(seed).construction
        used |= set(c["used"])
        for key, values in drawn.items():
            values.add(c[key])
        layouts |= set(c["layouts"].values())
    assert set(LINK_KINDS) <= used
    assert {f"pager:{p}" for p in PAGER_SHAPES} <= used
    assert {
        "pager-next",
        "pager-number",
        "pager-script-count",
        "pager-select",
        "pager-form-get",
        "pager-form-post",
        "json-page",
        "json-tree",
        "search",
        "sitemap",
        "robots-sitemap",
        "attachment-only",
        "file-report",
        "copies",
        "redirect",
        "json-id",
        "two-columns",
        "home-reports",
        "year-folders",
        "trap:calendar",
        "trap:endless",
        "endpoint:json",
        "endpoint:fragment",
        "js-template",
        "endpoint:xml",
    } <= used
    assert drawn["encoding"] == set(ENCODINGS) and drawn["root"] == set(ROOTS)
    assert drawn["wall"] == set(WALLS) and drawn["search"] == set(SEARCH)
    assert drawn["sitemap"] == set(SITEMAPS) and drawn["depth"] == set(range(1, 7))
    assert {site(seed).construction["base_href"] for seed in COVERAGE_SEEDS} == {True, False}
    assert layouts == set(UNIT_LAYOUTS)


def test_reports_carry_the_fixed_parts_and_the_data_year():
    for seed in range(0, 50, 5):
        s = site(seed)
        for art in s.articles.values():
            if art.report is None or art.files_only or s.graph.nodes[art.path].role == "file":
                continue  # files: test_attachment_reports_are_documents
            text = decode(s, request(s, s.graph.nodes[art.path]))
            assert all(part in text for part in FIXED_PARTS), (s.name, art.title)
            y = art.report.report_year
            assert f"{y}年1月1日" in text and f"{y}年12月31日" in text, (s.name, art.title)


def test_gbk_portals_stay_inside_gbk_and_gb18030_ones_leave_it():
    """A page declared (or sniffed as) GBK holds only GBK characters; a GB18030 portal names a
    unit with a character GBK lacks."""
    modes = set()
    for seed in SEEDS:
        s = site(seed)
        mode = s.construction["encoding"]
        if not mode.startswith("gb"):
            continue
        modes.add(mode)
        pages = [
            n
            for n in s.graph.nodes.values()
            if n.role not in ("json", "file", "sitemap", "robots", "redirect")
        ]
        texts = [request(s, n).body for n in pages[:30]]
        if mode.startswith("gbk"):
            for body in texts:
                body.decode("gbk")  # strict: raises on anything outside GBK
        else:
            assert any(_outside_gbk(body) for body in texts), s.name
    assert {
        "gbk-header",
        "gbk-meta",
        "gbk-wrong",
        "gbk-bare",
        "gb18030-header",
        "gb18030-meta",
    } <= modes


def _outside_gbk(body: bytes) -> bool:
    try:
        body.decode("gbk")
    except UnicodeDecodeError:
        return True
    return False


def test_soft_404s_and_decoys_are_not_reports():
    soft = 0
    for seed in SEEDS:
        s = site(seed)
        for art in s.articles.values():
            node = s.graph.nodes[art.path]
            if node.role == "soft404":
                soft += 1
                assert art.report is None
                text = decode(s, request(s, node))
                assert "提示" in text and any(w in text for w in ("不存在", "删除", "撤稿"))
            if art.report is None:
                assert "本年新收政府信息公开申请数量" not in decode(s, request(s, node))
    assert soft >= 5


def test_attachment_reports_are_documents():
    """A 详见附件 page is two lines and its PDF/DOCX is the report; a report published as a bare
    file is that file."""
    import pdfplumber
    from docx import Document

    checked = set()
    for seed in SEEDS:
        s = site(seed)
        for art in s.articles.values():
            node = s.graph.nodes[art.path]
            shape = "page" if art.files_only else "file" if node.role == "file" else None
            if shape is None or (shape, art.file_kind) in checked:
                continue
            if shape == "page":
                page = decode(s, request(s, node))
                assert "附件" in page and "本年新收" not in page  # the page itself is two lines
                node = s.graph.nodes[art.files[0].path]
            body = request(s, node).body
            if art.file_kind == "pdf":
                with pdfplumber.open(io.BytesIO(body)) as pdf:
                    text = "".join(p.extract_text() or "" for p in pdf.pages)
            else:
                doc = Document(io.BytesIO(body))
                text = "".join(p.text for p in doc.paragraphs) + "".join(
                    c.text for t in doc.tables for row in t.rows for c in row.cells
                )
            assert all(part in text for part in FIXED_PARTS), (s.name, art.title)
            assert f"{art.report.report_year}年1月1日" in text
            checked.add((shape, art.file_kind))
        if len(checked) == 4:
            return
    pytest.fail(f"only {checked} in 50 seeds")


def test_served_over_http_with_ground_truth():
    names = generated_portals([1, 2])
    with Simulator(portals=names).running() as live:
        assert [p.name for p in live.portals] == names
        assert set(live.constructions) == set(names)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        for portal in live.portals:
            reports = [r for r in live.reports if r.portal == portal.name]
            assert reports and all(r.report_year in range(2019, 2025) for r in reports)
            try:
                with opener.open(portal.root_url) as resp:
                    assert resp.status == 200
            except urllib.error.HTTPError as err:  # a wall the plain client cannot pass
                assert live.constructions[portal.name]["wall"] in ("jsl521", "rs412"), err
            robots = opener.open(portal.root_url + "robots.txt").read().decode()
            assert robots.startswith("User-agent: *")
        truth_urls = {r.url for r in live.reports}
        assert not truth_urls & set(live.non_reports)


def test_every_page_answers_over_http_as_in_process():
    """The server hands the renderer what the graph expects: percent-encoded (Chinese) queries,
    POST forms, redirects; a portal without a wall, every node fetched over the wire."""
    import http.client
    from urllib.parse import urlencode

    seed = next(
        x
        for x in SEEDS
        if site(x).construction["wall"] == "none" and site(x).construction["search"] != "none"
    )
    (name,) = generated_portals([seed])
    with Simulator(portals=[name]).running() as live:
        netloc = urlsplit(live.portals[0].root_url).netloc
        s = site(seed)
        for node in s.graph.nodes.values():
            if node.role == "file":
                continue
            conn = http.client.HTTPConnection(netloc, timeout=10)
            query = urlencode(node.params)
            if node.method == "POST":
                conn.request(
                    "POST",
                    node.path,
                    body=query,
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                )
            else:
                conn.request("GET", node.path + (f"?{query}" if query else ""))
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            expect = request(s, node)
            assert resp.status == expect.status, (name, node.key)
            if resp.status == 200:
                assert body == expect.body.replace(ROOT.encode(), f"http://{netloc}".encode()), (
                    node.key
                )


def _get(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    import http.client

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=10)
    conn.request(
        "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
    )
    resp = conn.getresponse()
    out = resp.status, dict(resp.getheaders()), resp.read()
    conn.close()
    return out


def test_walls_stand_in_front_of_generated_portals():
    import time

    first: dict[str, int] = {}
    for seed in COVERAGE_SEEDS:
        first.setdefault(site(seed).construction["wall"], seed)
    names = {wall: f"generated:{seed}" for wall, seed in first.items() if wall != "none"}
    assert set(names) == set(WALLS) - {"none"}
    with Simulator(portals=list(names.values())).running() as live:
        root = {p.name: p.root_url for p in live.portals}
        assert _get(root[names["jsl521"]])[0] == 521
        assert _get(root[names["rs412"]])[0] == 412
        page = next(r.url for r in live.reports if r.portal == names["cookie302"])
        status, headers, _ = _get(page)
        assert status == 302 and "CT6T=ok" in headers["Set-Cookie"]
        assert _get(page, {"Cookie": "CT6T=ok"})[0] == 200
        statuses = [_get(root[names["burst429"]] + "robots.txt/x")[0] for _ in range(20)]
        assert 429 in statuses
        report = next(
            r for r in live.reports if r.portal == names["block200"] and not r.attachments
        )
        status, _, body = _get(report.url)  # the first visit: a 200 block page
        assert status == 200 and "访问异常" in body.decode("utf-8")
        time.sleep(0.6)
        status, _, body = _get(report.url)  # a minute later (here: half a second) it passes
        codec = CHARSETS[live.constructions[names["block200"]]["encoding"]][2]
        assert status == 200 and "本年新收政府信息公开申请数量" in body.decode(codec)


@pytest.mark.slow
def test_python_m_simulator_serves_a_seed_for_a_person_to_look_at(tmp_path):
    import json
    import subprocess
    import sys
    import time
    from pathlib import Path

    ready = tmp_path / "ready.txt"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "simulator",
            "--base-port",
            "0",
            "--generated",
            "17",
            "--ready-file",
            str(ready),
        ],
        stdout=subprocess.PIPE,
        text=True,
        # the repository (this module's ROOT is the walker's URL)
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        (line,) = ready.read_text(encoding="utf-8").splitlines()
        name, family, root = line.split()
        assert (name, family) == ("generated:17", "generated")
        status, _, body = _get(root + "robots.txt")
        assert status == 200 and body.startswith(b"User-agent: *")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    first, construction = out.splitlines()
    assert first == line and construction.startswith("# generated:17: ")
    assert json.loads(construction.split(": ", 1)[1]) == site(17).construction


def test_pages_past_the_end_answer_as_drawn():
    import json

    modes = set()
    for seed in SEEDS:
        s = site(seed)
        for node in s.graph.nodes.values():
            trap = node.trap
            if trap is None or trap["page"] != 1:
                continue
            mode, pages = trap["mode"], trap["pages"]
            far = {**node.params, trap["param"]: str(len(pages) + 5)}
            resp = s.renderer.respond(s, node.method, node.path, far, ROOT + "/")
            modes.add(mode)
            if mode == "404":
                assert resp is None
                continue
            if mode in ("first", "last"):
                again = s.graph.nodes[pages[0] if mode == "first" else pages[-1]]
                assert resp.body == request(s, again).body
            elif mode == "empty":
                assert "暂无信息" in decode(s, resp)
            elif mode == "endless":  # a next link one further, for ever
                assert f"{trap['param']}={len(pages) + 6}" in decode(s, resp)
            elif resp.content_type.startswith("text/xml"):
                assert "<recordset></recordset>" in resp.body.decode()
            elif resp.content_type.startswith("text/html"):  # a fragment of rows
                assert "<li>" not in decode(s, resp)
            else:
                data = json.loads(resp.body)
                if isinstance(data.get("data"), dict):  # {"code": 0, "data": {...}}
                    data = data["data"]
                rows = [v for v in data.values() if isinstance(v, list)]
                assert rows == [[]]
    assert modes == {"first", "last", "empty", "404", "endless", "json-empty"}
    s = site(next(seed for seed in SEEDS if site(seed).construction["calendar"]))
    cal = s.renderer.respond(
        s, "GET", f"/calendar.{s.construction['ext']}", {"ym": "2031-12"}, ROOT + "/"
    )
    assert "ym=2032-01" in decode(s, cal)  # the calendar never ends


def test_explain_names_the_way_to_every_report():
    from simulator.procedural.__main__ import explain

    out = explain(17)
    s = site(17)
    reports = [a for a in s.articles.values() if a.report is not None]
    assert out.count("    links: ") == len(reports) and "doors: none" not in out
    assert all(a.path in out for a in reports)


def test_the_generator_shares_nothing_with_the_crawler():
    """Its words are its own: no module of simulator/procedural imports the crawler's or the
    pipelines' tables (a generator built from discovery's vocabulary would test nothing)."""
    import ast
    from pathlib import Path

    import simulator
    from simulator import generated_portals as exported

    assert exported is generated_portals
    package = Path(simulator.__file__).parent / "procedural"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # absolute imports only: ``from ..reports import`` is the simulator's own module
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            assert not any(n.split(".")[0] in ("crawler", "pipelines", "reports") for n in names), (
                path
            )


def test_script_drawn_lists_work_in_a_browser():
    """The pages' scripts run in chromium: lists from JSON (with URLs, or ids and a template),
    XML records and HTML fragments, and a unit tree whose unit opens its list, all draw the
    links the graph says the endpoint's first page holds."""
    from playwright.sync_api import sync_playwright

    cases: dict[str, tuple[int, str, str]] = {}  # kind -> (seed, shell key, endpoint key)
    for seed in COVERAGE_SEEDS:
        s = site(seed)
        if s.construction["wall"] != "none":
            continue
        for node in s.graph.nodes.values():
            for edge in node.edges:
                if edge.kind in ("json-get", "json-post") and node.role in ("listing", "hub"):
                    target = s.graph.nodes[edge.target]
                    tree = any(e.kind == "json-tree" for e in target.edges)
                    by_id = any(e.kind == "json-id" for e in target.edges)
                    kind = "tree" if tree else "json-id" if by_id else target.fmt
                    cases.setdefault(kind, (seed, node.key, target.key))
        if len(cases) == 5:
            break
    assert set(cases) == {"tree", "json", "json-id", "xml", "fragment"}
    names = generated_portals(sorted({seed for seed, _, _ in cases.values()}))
    with Simulator(portals=names).running() as live, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()
            for kind, (seed, shell, endpoint) in sorted(cases.items()):
                graph = site(seed).graph
                root = live.portal(f"generated:{seed}").root_url.rstrip("/")
                page.goto(root + shell)
                if kind == "tree":  # open the first unit: its list is the tree's first edge
                    page.click("#tree a")
                    endpoint = graph.nodes[endpoint].edges[0].target
                want = {
                    root + e.target for e in graph.nodes[endpoint].edges if e.kind != "json-page"
                }
                page.wait_for_function(
                    f"document.querySelectorAll('#list a').length >= {len(want)}"
                )
                got = set(page.eval_on_selector_all("#list a", "els => els.map(e => e.href)"))
                assert got == want, (kind, seed, shell)
        finally:
            browser.close()
