"""Politeness and legacy servers: a host that bans a burst (429 + Retry-After) is waited for,
not hammered; an HTTPS portal with a self-signed certificate (made here, at test time) and an
old TLS version is crawled with a logged warning; robots.txt reasons reach the run summary."""

from __future__ import annotations

import datetime
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.extensions import format_summary
from crawler.middlewares import BackoffMiddleware, _retry_after, certificate_problems
from tests.conftest import CRAWLER_ONLY, run_crawl

REPORTS = {
    f"/nb/t2024012{i}_{i}.html": f"河西县202{i}年政府信息公开工作年度报告" for i in range(1, 6)
}


def _page(title: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body>{body}</body></html>"
    ).encode()


class TinyPortal(BaseHTTPRequestHandler):
    """Home → 政府信息公开年报 → five reports.  Subclasses add a ban or TLS."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def page_for(self, path: str) -> tuple[int, bytes]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow:\n"
        if path == "/":
            return 200, _page("河西县人民政府", '<a href="/nb/">政府信息公开年报</a>')
        if path == "/nb/":
            items = "".join(f'<li><a href="{p}">{t}</a></li>' for p, t in REPORTS.items())
            return 200, _page("政府信息公开年报", f"<ul>{items}</ul>")
        if path in REPORTS:
            t = REPORTS[path]
            return 200, _page(t, f"<h1>{t}</h1><p>一、总体情况</p>")
        return 404, _page("404", "页面不存在")

    def do_GET(self):
        status, body = self.page_for(self.path)
        self.send(status, body)


class BurstBan(TinyPortal):
    """After the 3rd request every request is refused with 429 + Retry-After: 1 for one second
    (the Fujian-style ~1 min IP block, shortened)."""

    lock = threading.Lock()
    log: list[tuple[float, str, int]] = []
    count = 0
    banned_until = 0.0

    def do_GET(self):
        cls = type(self)
        with cls.lock:
            cls.count += 1
            now = time.monotonic()
            if cls.count == 3:
                cls.banned_until = now + 1.0
            banned = now < cls.banned_until
            cls.log.append((now, self.path, 429 if banned else 200))
        if banned:
            return self.send(429, _page("429", "请求过于频繁"), headers=[("Retry-After", "1")])
        super().do_GET()


def _serve(handler, tls: ssl.SSLContext | None = None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.slow
def test_burst_ban_is_waited_out_and_every_report_found(tmp_path):
    server = _serve(BurstBan)
    root = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        result = run_crawl(
            tmp_path,
            f"url={root}",
            settings={**CRAWLER_ONLY, "CONCURRENT_REQUESTS_PER_DOMAIN": "2"},
            timeout=120,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(root.rstrip("/") + p for p in REPORTS)
    assert "back-off" in result.log and "Retry-After 1" in result.log
    refused = [rec for rec in BurstBan.log if rec[2] == 429]
    # Only the requests already in flight when the ban began meet it; the crawler then waits.
    assert 1 <= len(refused) <= 2, refused
    assert "'nianbao/backoff/waits'" in result.log


def test_backoff_doubles_without_retry_after_and_gives_up_after_max_tries():
    mw = BackoffMiddleware(base=2.0, cap=5.0, tries=2)
    req = Request("http://127.0.0.1:9/nb/")
    ban = HtmlResponse(req.url, status=503, body=b"busy", request=req)
    first = mw.process_response(req, ban)
    assert isinstance(first, Request) and first.meta["nb_backoff"] == 1 and first.dont_filter
    wait1 = mw.closed_until["127.0.0.1:9"] - time.monotonic()
    second = mw.process_response(first, HtmlResponse(req.url, status=503, body=b"", request=first))
    wait2 = mw.closed_until["127.0.0.1:9"] - time.monotonic()
    assert 0 < wait1 <= 2.0 and 2.0 < wait2 <= 4.0  # 2 s, then 4 s
    third = mw.process_response(second, HtmlResponse(req.url, status=503, body=b"", request=second))
    assert third.status == 503 and second.meta["dont_retry"] is True  # gave up, no Scrapy retry
    ok = mw.process_response(req, HtmlResponse(req.url, status=200, body=b"ok", request=req))
    assert ok.status == 200 and "127.0.0.1:9" not in mw.streak


def test_after_a_ban_the_host_is_paced_and_requests_in_flight_do_not_count_a_try():
    import asyncio

    mw = BackoffMiddleware(base=0.2, cap=5.0, tries=1)
    host = "127.0.0.1:9"
    sent = [Request(f"http://{host}/nb/{i}") for i in range(8)]
    for req in sent:  # eight requests go out at once, before the host says anything
        asyncio.run(mw.process_request(req))
    for req in sent[:6]:
        mw.process_response(req, HtmlResponse(req.url, status=200, body=b"ok", request=req))
    # the seventh meets the ban: the host answered six in the last second, so it is asked at
    # most three times a second from now on
    ban = mw.process_response(
        sent[6],
        HtmlResponse(
            sent[6].url, status=429, body=b"", request=sent[6], headers={"Retry-After": "1"}
        ),
    )
    assert isinstance(ban, Request) and ban.meta["nb_backoff"] == 1
    assert mw.gap[host] == pytest.approx(1 / 3)
    # the eighth was in flight when the ban began: asked again, not a try of its own (with
    # tries=1 a counted try would have given up)
    again = mw.process_response(
        sent[7], HtmlResponse(sent[7].url, status=429, body=b"", request=sent[7])
    )
    assert isinstance(again, Request) and "nb_backoff" not in again.meta
    # after the wait the two go out one gap apart, not together
    start = time.monotonic()

    async def both():
        await asyncio.gather(mw.process_request(ban), mw.process_request(again))

    asyncio.run(both())
    gone = sorted([ban.meta["nb_sent_at"], again.meta["nb_sent_at"]])
    assert gone[0] - start >= 0.9 and gone[1] - gone[0] >= 1 / 3 - 0.02


def test_retry_after_reads_seconds_and_http_dates():
    assert _retry_after(b"120") == 120.0
    assert (
        _retry_after(
            b"Wed, 21 Oct 2015 07:28:00 GMT",
            now=datetime.datetime(2015, 10, 21, 7, 27, tzinfo=datetime.UTC).timestamp(),
        )
        == 60.0
    )
    assert _retry_after(b"soon") is None and _retry_after(None) is None


# ------------------------------------------------------------------------------ TLS


def _self_signed(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "www.hexi.gov.cn")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("www.hexi.gov.cn")]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, cert_file, key_file


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1 is deprecated:DeprecationWarning")
@pytest.mark.parametrize("old_tls", [False, True], ids=["tls-modern", "tls1.0"])
def test_self_signed_https_portal_is_crawled_with_a_warning(tmp_path, old_tls):
    _, cert_file, key_file = _self_signed(tmp_path)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_file, key_file)
    if old_tls:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.maximum_version = ssl.TLSVersion.TLSv1
    server = _serve(TinyPortal, ctx)
    root = f"https://127.0.0.1:{server.server_address[1]}/"
    try:
        result = run_crawl(tmp_path / "crawl", f"url={root}", settings=CRAWLER_ONLY, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 0, result.log[-3000:]
    assert sorted(i["url"] for i in result.items) == sorted(root.rstrip("/") + p for p in REPORTS)
    warning = [line for line in result.log.splitlines() if "untrusted certificate" in line]
    assert len(warning) == 1, result.log[-3000:]  # once per host, not per page
    assert "self-signed" in warning[0] and "not issued for 127.0.0.1" in warning[0]


def test_certificate_problems_names_each_fault(tmp_path):
    cert, _, _ = _self_signed(tmp_path)
    assert certificate_problems(cert, "www.hexi.gov.cn") == ["self-signed"]
    assert certificate_problems(cert, "xxgk.hexi.gov.cn") == [
        "self-signed",
        "not issued for xxgk.hexi.gov.cn",
    ]


def summary_of(**fields) -> dict:
    """A run summary with the fields every one has (crawler/extensions.py), and ``fields``."""
    return {
        "run_id": "r1",
        "finish_reason": "finished",
        "reports": 0,
        "pages_fetched": 3,
        "store": "file:x",
        "by_portal": {},
        "checks": {"passed": 0, "failed": 0},
        "failed_by_rule": {},
        "reports_flagged": 0,
        "errors": {},
        **fields,
    }


def test_run_summary_shows_blocked_pages_and_robots_reasons():
    summary = summary_of(
        blocked={"report": 2},
        robots_off={"hexi": "robots.txt is a 403 for everyone; agreed with the webmaster"},
    )
    text = format_summary(summary)
    assert "blocked by anti-bot walls: report: 2" in text
    assert (
        "robots.txt not obeyed on hexi: robots.txt is a 403 for everyone; agreed with the webmaster"
        in text
    )
