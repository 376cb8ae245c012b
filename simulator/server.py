"""HTTP serving: one threaded server per portal on 127.0.0.1, plus the ground truth.

sim = Simulator()
with sim.running() as live:
    live.portals, live.reports, live.non_reports, live.requests
"""

from __future__ import annotations

import errno
import hashlib
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as clock_time
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import deep, matrix, ports, procedural
from .changes import ChangeSet, apply_changes
from .model import PortalInfo, ReportTruth, Response, Site
from .sites import FAMILIES, build_sites

VALIDATOR_SWITCHES = ("both", "etag", "last-modified", "none")

ROBOTS = b"User-agent: *\nDisallow:\n"
NOT_FOUND = Response(
    404,
    "text/html; charset=utf-8",
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>404</title></head>'
    "<body><h1>404 页面不存在</h1></body></html>".encode(),
)

# What many CMSs answer for a deleted article: 200, and a page saying it is gone.
SOFT_NOT_FOUND = Response(
    200,
    "text/html; charset=utf-8",
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>抱歉，您访问的页面不存在</title>'
    '</head><body><div class="err"><p>抱歉，您访问的页面不存在或已被删除！</p>'
    '<p><a href="/">返回首页</a></p></div></body></html>'.encode(),
)


@dataclass(frozen=True)
class RequestRecord:
    portal: str
    method: str
    path: str  # path with query string, as requested
    status: int
    #: time.monotonic() when the request arrived, the client's User-Agent and a POST's form body:
    #: the cluster tests tell workers apart and measure gaps between requests to one host
    at: float = 0.0
    agent: str = ""
    form: str = ""
    #: the host name asked for through the proxy simulator (simulator/proxy.py); "" direct
    host: str = ""


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


def with_validators(
    site: Site, path: str, resp: Response, if_none_match: str | None, if_modified_since: str | None
) -> Response:
    """Add ETag / Last-Modified to a 200 as the portal's `validators` switch says, and answer
    a conditional request whose validator still matches with 304 Not Modified (RFC 9110
    section 13.2.2: If-None-Match wins over If-Modified-Since)."""
    if resp.status != 200 or site.validators == "none":
        return resp
    headers = list(resp.headers)
    etag = modified = None
    if site.validators in ("both", "etag"):
        etag = '"' + hashlib.sha1(resp.body).hexdigest()[:20] + '"'
        headers.append(("ETag", etag))
    art = site.articles.get(path)
    if site.validators in ("both", "last-modified") and art is not None:
        day: date = art.modified or art.published
        modified = datetime.combine(day, clock_time(8, 0), tzinfo=UTC)
        headers.append(("Last-Modified", format_datetime(modified, usegmt=True)))
    not_modified = False
    if if_none_match is not None and etag is not None:
        not_modified = (
            etag in [t.strip() for t in if_none_match.split(",")] or if_none_match.strip() == "*"
        )
    elif if_modified_since and modified is not None:
        try:
            not_modified = modified <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            not_modified = False
    if not_modified:
        return Response(
            304,
            resp.content_type,
            b"",
            tuple(h for h in headers if h[0] in ("ETag", "Last-Modified")),
        )
    return Response(resp.status, resp.content_type, resp.body, tuple(headers))


class PortalServer(ThreadingHTTPServer):
    # The stdlib default of 5 overflows the accept queue under a crawler (docs/stack-facts.md §1).
    request_queue_size = 1024
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: Site, log: RequestLog, port: int = 0):
        self.site = site
        self.log = log
        try:
            super().__init__(("127.0.0.1", port), PortalHandler)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise OSError(
                exc.errno,
                f"simulator: port {port} of portal {site.name} is in use (another "
                f"simulator running?): stop that one, or give another base port "
                f"(python -m simulator --base-port N; 0 = any free port)",
            ) from None
        self.root_url = f"http://127.0.0.1:{self.server_address[1]}/"

    def handle_error(self, request, client_address) -> None:
        # A crawler killed with -9 (the fault benches, the soak) or one that drops a slow
        # answer resets its connections: that is the client's doing, not the portal's bug.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class PortalHandler(BaseHTTPRequestHandler):
    server: PortalServer
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format, *args) -> None:  # quiet: the request log is in memory
        pass

    def target(self) -> tuple[Site, str, str, str] | None:
        """The site asked, its root URL, the path?query and the host name ("" when direct);
        None when this server does not serve the host (the proxy simulator's refusal)."""
        return self.server.site, self.server.root_url, self.path, ""

    def _answer(self, method: str) -> None:
        arrived = time.monotonic()
        target = self.target()
        if target is None:
            return
        site, root_url, path, host = target
        parts = urlsplit(path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        form = ""
        if length:
            form = self.rfile.read(length).decode("utf-8", "replace")
            params.update(parse_qsl(form, keep_blank_values=True))
        if parts.path == "/robots.txt" and not getattr(site, "serves_robots", False):
            resp = Response(200, "text/plain; charset=utf-8", ROBOTS)
        else:
            # a hostile variant (simulator/hostile.py) may answer first: challenge, ban, block page
            wall = getattr(site, "wall", None)
            resp = wall.answer(self, method, parts, params) if wall is not None else None
            renderer = getattr(site, "renderer", None) or FAMILIES[site.family]
            try:
                if resp is None and parts.path in site.soft_gone:
                    resp = SOFT_NOT_FOUND
                if resp is None:
                    # a report's attachment (simulator/attachments.py), else the family's page
                    resp = site.files.get(path) or renderer.respond(
                        site, method if method != "HEAD" else "GET", parts.path, params, root_url
                    )
                    if resp is not None and wall is not None:
                        resp = wall.after(self, parts, resp)
            except Exception:  # a renderer bug must not kill the connection silently
                resp = Response(500, "text/plain; charset=utf-8", b"internal error")
            resp = resp or NOT_FOUND
        if parts.path != "/robots.txt":
            resp = with_validators(
                site,
                parts.path,
                resp,
                self.headers.get("If-None-Match"),
                self.headers.get("If-Modified-Since"),
            )
        self.server.log.add(
            RequestRecord(
                site.name,
                method,
                path,
                resp.status,
                arrived,
                self.headers.get("User-Agent", ""),
                form,
                host,
            )
        )
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        for name, value in resp.headers:
            self.send_header(name, value)
        if resp.status != 304:  # a 304 has no body, and no Content-Length of the entity
            self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if method != "HEAD" and resp.status != 304:
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
        self._stopped = False
        self._log = log
        self.portals = [PortalInfo(s.site.name, s.site.family, s.root_url) for s in servers]

    #: generated portals (simulator/procedural): what each one's construction drew
    @property
    def constructions(self) -> dict[str, dict]:
        return {
            s.site.name: s.site.construction
            for s in self._servers
            if hasattr(s.site, "construction")
        }

    # The ground truth is read from the sites each time: Simulator.change() edits them live.
    @property
    def reports(self) -> list[ReportTruth]:
        out: list[ReportTruth] = []
        for server in self._servers:
            root = server.root_url.rstrip("/")
            for art in server.site.articles.values():
                if art.report is None:
                    continue
                rep = art.report
                out.append(
                    ReportTruth(
                        url=root + art.path,
                        portal=server.site.name,
                        title=art.title,
                        report_year=rep.report_year,
                        org_name=rep.org_name,
                        template=rep.template,
                        meta={
                            k: (v.isoformat() if hasattr(v, "isoformat") else v)
                            for k, v in art.header.items()
                            if v
                        },
                        active=rep.active,
                        applications=rep.applications,
                        review_litigation=rep.review_litigation,
                        failing_checks=list(rep.failing_checks),
                        cross_year_failures=list(rep.cross_year_failures),
                        flags=("no_text",) if getattr(art, "image_only", False) else (),
                        attachments=tuple(root + f.path for f in art.files),
                        aliases=tuple(root + a for a in art.aliases),
                    )
                )
        return out

    @property
    def non_reports(self) -> list[str]:
        out: list[str] = []
        for server in self._servers:
            root = server.root_url.rstrip("/")
            # listings and hubs of generated portals: pages that must never come out as reports
            out += [root + key for key in getattr(server.site, "non_report_pages", ())]
            out += [root + art.path for art in server.site.articles.values() if art.report is None]
        return out

    def url_of(self, portal: str, path: str) -> str:
        server = next(s for s in self._servers if s.site.name == portal)
        return server.root_url.rstrip("/") + path

    @property
    def requests(self) -> list[RequestRecord]:
        return self._log.snapshot()

    def portal(self, name: str) -> PortalInfo:
        return next(p for p in self.portals if p.name == name)

    def stop(self) -> None:
        """Stop every portal; safe to call more than once."""
        if self._stopped:
            return
        self._stopped = True
        for server in self._servers:
            server.shutdown()
            server.server_close()


class Simulator:
    """Deterministic county portals: the same sites and reports on every run.

    ``portals``: None for the two walking-skeleton counties (yunxi, tongqiao), "all" for those
    plus every fixture-matrix portal (simulator/matrix.py), or a list of portal names, which may
    name generated portals ("generated:17", see simulator/procedural/) and the deep archives
    ("deep-trs", "deep-param": simulator/deep.py).
    """

    DEFAULT = ports.COUNTIES

    def __init__(
        self, portals=None, validators: str | dict[str, str] = "both", base_port: int = 0
    ) -> None:
        names = None if portals == "all" else set(portals or self.DEFAULT)
        self.sites = [s for s in build_sites() if names is None or s.name in names]
        self.sites += matrix.build(None if names is None else names & set(matrix.MATRIX_NAMES))
        self.sites += deep.build(names)  # the deep archives only when named (simulator/deep.py)
        if names is not None:
            wanted = [
                n for n in (portals or ()) if procedural.is_generated(n)
            ]  # in the order given
            self.sites += procedural.build_sites(wanted)
        self.set_validators(validators)
        # 0: any free port (tests); else each portal on its fixed port (simulator/ports.py)
        self.base_port = base_port
        for site in self.sites:
            ports.port_of(site.name, base_port)  # an unknown name says so before anything listens

    def set_validators(self, validators: str | dict[str, str]) -> None:
        """Which HTTP validators each portal sends and honours: "both", "etag", "last-modified"
        or "none", for every portal or as {portal name: switch} (others keep theirs)."""
        per_site = (
            validators if isinstance(validators, dict) else {s.name: validators for s in self.sites}
        )
        for site in self.sites:
            switch = per_site.get(site.name, site.validators)
            if switch not in VALIDATOR_SWITCHES:
                raise ValueError(
                    f"validators={switch!r} for portal {site.name}: use one of "
                    + ", ".join(VALIDATOR_SWITCHES)
                )
            site.validators = switch

    def change(
        self,
        added: int = 0,
        edited: int = 0,
        removed: int = 0,
        *,
        seed: int = 0,
        portals: list[str] | None = None,
        gone_as: str = "404",
    ) -> ChangeSet:
        """Between two crawls: publish `added` new reports, edit `edited` reports (their page
        text changes) and take `removed` reports down (404 on their URL, gone from every
        listing).  Works before or while the portals are served; returns what changed, as
        paths per portal (Live.url_of makes URLs of them)."""
        sites = [s for s in self.sites if portals is None or s.name in portals]
        return apply_changes(
            sites, added=added, edited=edited, removed=removed, seed=seed, gone_as=gone_as
        )

    @contextmanager
    def running(self) -> Iterator[Live]:
        log = RequestLog()
        servers: list[PortalServer] = []
        try:
            for site in self.sites:
                servers.append(PortalServer(site, log, ports.port_of(site.name, self.base_port)))
        except OSError:
            for server in servers:
                server.server_close()
            raise
        for server in servers:
            threading.Thread(
                target=server.serve_forever, name=f"portal-{server.site.name}", daemon=True
            ).start()
        live = Live(servers, log)
        try:
            yield live
        finally:
            live.stop()
