"""A forward HTTP proxy on 127.0.0.1 that serves the simulated counties under their real names.

    python -m simulator.proxy --counties 700        # prints the proxy URL, serves until Ctrl-C
    http_proxy=http://127.0.0.1:PORT scrapy crawl portal -a url=http://www.dongxi.gov.cn/

    with ProxySimulator(counties=700).running() as live:
        live.proxy_url, live.hosts.roots(), live.requests, live.refused

The crawler reaches it the way it reaches the web behind a proxy: Scrapy's
HttpProxyMiddleware reads ``http_proxy`` from the environment and sends every request in
absolute form (``GET http://www.dongxi.gov.cn/ HTTP/1.1``).  So URLs carry the portals' real
host names and no port, the scope rules (crawler/scope.py) judge them as on the web, and the
crawler resolves no name itself (the proxy does).  A DNS_RESOLVER mapping names to 127.0.0.1
would need every portal on port 80 of this machine, which tests sharing it cannot have.

Nothing leaves 127.0.0.1: the proxy answers only the hosts of ``simulator/scale.py`` itself,
and refuses any other host (403, recorded in ``refused``), CONNECT (no HTTPS tunnels) and
requests of no host; it never opens a connection anywhere.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

from .model import ReportTruth, Site
from .scale import County, CountyHosts
from .server import PortalHandler, RequestLog, RequestRecord


class ProxyServer(ThreadingHTTPServer):
    request_queue_size = 1024
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hosts: CountyHosts, log: RequestLog, port: int = 0) -> None:
        self.hosts = hosts
        self.log = log
        self.refused: list[str] = []
        self._refused_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), ProxyHandler)
        self.proxy_url = f"http://127.0.0.1:{self.server_address[1]}"

    def refuse(self, what: str) -> None:
        with self._refused_lock:
            self.refused.append(what)


class ProxyHandler(PortalHandler):
    server: ProxyServer  # type: ignore[assignment]

    def target(self) -> tuple[Site, str, str, str] | None:
        parts = urlsplit(self.path)
        if parts.scheme:  # absolute form, as a client of a proxy sends it
            host, port = (parts.hostname or ""), parts.port
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
        else:  # origin form: the Host header names the portal (curl --proxy-less tests)
            host, _, port_text = (self.headers.get("Host") or "").partition(":")
            port = int(port_text) if port_text.isdigit() else None
            path = self.path
        host = host.lower()
        if parts.scheme not in ("", "http") or port not in (None, 80):
            self._refuse(f"{parts.scheme or 'http'}://{host}:{port}")
            return None
        found = self.server.hosts.role(host)
        if found is None:
            self._refuse(host or "(no host)")
            return None
        if found[1] == "bare":
            self._send(self.server.hosts.bare_redirect(host, path), host, path)
            return None
        site = self.server.hosts.site(host)
        assert site is not None
        return site, f"http://{host}/", path, host

    def _refuse(self, what: str) -> None:
        self.server.refuse(what)
        body = (
            f"proxy simulator: {what} is not a simulated host; nothing leaves 127.0.0.1\n"
        ).encode()
        self.send_response(403)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def _send(self, resp, host: str, path: str) -> None:
        self.server.log.add(
            RequestRecord(
                host,
                self.command,
                path,
                resp.status,
                0.0,
                self.headers.get("User-Agent", ""),
                "",
                host,
            )
        )
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        for name, value in resp.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        self.wfile.write(resp.body)

    def do_CONNECT(self) -> None:
        self._refuse(f"CONNECT {self.path}")
        self.close_connection = True


class ProxyLive:
    def __init__(self, server: ProxyServer, log: RequestLog) -> None:
        self._server = server
        self._log = log
        self.hosts = server.hosts
        self.proxy_url = server.proxy_url

    @property
    def requests(self) -> list[RequestRecord]:
        return self._log.snapshot()

    @property
    def refused(self) -> list[str]:
        return list(self._server.refused)

    def county(self, host: str) -> County:
        found = self.hosts.role(host)
        if found is None:
            raise KeyError(host)
        return found[0]

    def reports(self, county: County) -> list[ReportTruth]:
        return self.hosts.reports(county)

    def env(self) -> dict[str, str]:
        """The environment a crawl reaches the proxy with (loopback itself bypasses it)."""
        return {
            "http_proxy": self.proxy_url,
            "HTTP_PROXY": self.proxy_url,
            "no_proxy": "127.0.0.1,localhost",
            "NO_PROXY": "127.0.0.1,localhost",
        }


class ProxySimulator:
    def __init__(
        self, counties: int = 700, seed: int = 0, cache: int = 4096, portals: int | None = None
    ) -> None:
        self.hosts = CountyHosts(counties, seed=seed, cache=cache, portals=portals)

    @contextmanager
    def running(self, port: int = 0) -> Iterator[ProxyLive]:
        log = RequestLog()
        server = ProxyServer(self.hosts, log, port)
        thread = threading.Thread(target=server.serve_forever, name="proxy-simulator", daemon=True)
        thread.start()
        try:
            yield ProxyLive(server, log)
        finally:
            server.shutdown()
            server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator.proxy", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--counties",
        type=int,
        default=700,
        help="counties simulated (each: www, bare domain, every other one xxgk)",
    )
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--portals",
        type=int,
        default=None,
        help="generated portals the hosts share (default: one per host)",
    )
    parser.add_argument("--roots", action="store_true", help="print every county's www root")
    args = parser.parse_args(argv)
    sim = ProxySimulator(args.counties, seed=args.seed, portals=args.portals)
    with sim.running(args.port) as live:
        if args.roots:
            sys.stdout.write("\n".join(live.hosts.roots()) + "\n")
        sys.stdout.write(
            f"proxy simulator: {len(live.hosts)} hosts of {args.counties} counties "
            f"at {live.proxy_url}\n  export http_proxy={live.proxy_url} "
            f"no_proxy=127.0.0.1,localhost\n"
        )
        sys.stdout.flush()
        with suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
