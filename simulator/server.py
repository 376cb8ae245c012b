"""HTTP serving: one threaded server per portal on 127.0.0.1, plus the ground truth.

    sim = Simulator()
    with sim.running() as live:
        live.portals, live.reports, live.non_reports, live.requests
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator
from urllib.parse import parse_qsl, urlsplit

from .model import PortalInfo, ReportTruth, Response, Site
from . import matrix
from .sites import FAMILIES, build_sites

ROBOTS = b"User-agent: *\nDisallow:\n"
NOT_FOUND = Response(404, "text/html; charset=utf-8",
                     "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404</title></head>"
                     "<body><h1>404 页面不存在</h1></body></html>".encode("utf-8"))


@dataclass(frozen=True)
class RequestRecord:
    portal: str
    method: str
    path: str  # path with query string, as requested
    status: int


class RequestLog:
    """Thread-safe list of every request the portals answered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


class PortalServer(ThreadingHTTPServer):
    # The stdlib default of 5 overflows the accept queue under a crawler (docs/stack-facts.md §1).
    request_queue_size = 1024
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: Site, log: RequestLog):
        self.site = site
        self.log = log
        super().__init__(("127.0.0.1", 0), PortalHandler)
        self.root_url = f"http://127.0.0.1:{self.server_address[1]}/"


class PortalHandler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format, *args) -> None:  # quiet: the request log is in memory
        pass

    def _answer(self, method: str) -> None:
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            form = self.rfile.read(length).decode("utf-8", "replace")
            params.update(parse_qsl(form, keep_blank_values=True))
        site = self.server.site
        if parts.path == "/robots.txt":
            resp = Response(200, "text/plain; charset=utf-8", ROBOTS)
        else:
            # a hostile variant (simulator/hostile.py) may answer first: challenge, ban, block page
            wall = getattr(site, "wall", None)
            resp = wall.answer(self, method, parts, params) if wall is not None else None
            renderer = getattr(site, "renderer", None) or FAMILIES[site.family]
            try:
                if resp is None:
                    # a report's attachment (simulator/attachments.py), else the family's page
                    resp = site.files.get(self.path) or renderer.respond(
                        site, method if method != "HEAD" else "GET", parts.path, params, self.server.root_url)
                    if resp is not None and wall is not None:
                        resp = wall.after(self, parts, resp)
            except Exception:  # a renderer bug must not kill the connection silently
                resp = Response(500, "text/plain; charset=utf-8", b"internal error")
            resp = resp or NOT_FOUND
        self.server.log.add(RequestRecord(site.name, method, self.path, resp.status))
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        for name, value in resp.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(resp.body)

    def do_GET(self) -> None:
        self._answer("GET")

    def do_POST(self) -> None:
        self._answer("POST")

    def do_HEAD(self) -> None:
        self._answer("HEAD")


class Live:
    """The running portals and their ground truth."""

    def __init__(self, servers: list[PortalServer], log: RequestLog):
        self._servers = servers
        self._log = log
        self.portals = [PortalInfo(s.site.name, s.site.family, s.root_url) for s in servers]
        self.reports: list[ReportTruth] = []
        self.non_reports: list[str] = []
        for server in servers:
            root = server.root_url.rstrip("/")
            for art in server.site.articles.values():
                if art.report is None:
                    self.non_reports.append(root + art.path)
                    continue
                rep = art.report
                self.reports.append(ReportTruth(
                    url=root + art.path, portal=server.site.name, title=art.title,
                    report_year=rep.report_year, org_name=rep.org_name, template=rep.template,
                    meta={k: (v.isoformat() if hasattr(v, "isoformat") else v)
                          for k, v in art.header.items() if v},
                    active=rep.active, applications=rep.applications,
                    review_litigation=rep.review_litigation, failing_checks=list(rep.failing_checks),
                    flags=("no_text",) if getattr(art, "image_only", False) else (),
                    attachments=tuple(root + f.path for f in art.files)))

    @property
    def requests(self) -> list[RequestRecord]:
        return self._log.snapshot()

    def portal(self, name: str) -> PortalInfo:
        return next(p for p in self.portals if p.name == name)

    def stop(self) -> None:
        """Stop every portal; safe to call more than once."""
        servers, self._servers = self._servers, []
        for server in servers:
            server.shutdown()
            server.server_close()


class Simulator:
    """Deterministic county portals: the same sites and reports on every run.

    ``portals``: None for the two walking-skeleton counties (yunxi, tongqiao), "all" for those
    plus every fixture-matrix portal (simulator/matrix.py), or a list of portal names.
    """

    DEFAULT = ("yunxi", "tongqiao")

    def __init__(self, portals=None) -> None:
        names = None if portals == "all" else set(portals or self.DEFAULT)
        self.sites = [s for s in build_sites() if names is None or s.name in names]
        self.sites += matrix.build(None if names is None else names & set(matrix.MATRIX_NAMES))

    @contextmanager
    def running(self) -> Iterator[Live]:
        log = RequestLog()
        servers = [PortalServer(site, log) for site in self.sites]
        for server in servers:
            threading.Thread(target=server.serve_forever, name=f"portal-{server.site.name}",
                             daemon=True).start()
        live = Live(servers, log)
        try:
            yield live
        finally:
            live.stop()
