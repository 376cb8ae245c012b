"""Scope: every request of a crawl stays on the portal it belongs to.

``ScopeMiddleware`` is the first downloader middleware (``DOWNLOADER_MIDDLEWARES`` priority
25, before RobotsTxtMiddleware at 100, so not even a robots.txt is asked of a refused host).
Every request passes it: the spider's own, each redirect hop (RedirectMiddleware and
MetaRefreshMiddleware hand the redirected request back to the engine, which schedules it
through all downloader middlewares again), endpoint URLs read from a page or script, attachment
links, robots.txt requests, and the browser's page sub-requests (crawler/browser.py asks
``ScopeMiddleware.refusal`` for each one).

The contract with spiders (documented in docs/architecture.md):

* a request names its portal in ``meta["nb_portal"]`` (``PORTAL_META``); a request without one
  (robots.txt) must be in the scope of some portal of the crawl;
* the spider lists its portals in ``spider.portal_scopes``, a mapping of portal name to
  ``PortalScope``; a spider without that attribute is not scope-checked (the bench's bare
  baseline spider).

A portal's scope is its names: the start host, the subdomains of its registered domain
(xxgk.xx.gov.cn for www.xx.gov.cn) and the hosts its registry entry lists (each with its
subdomains), over http and https on any port.  A portal given by a bare address (an IP, or a
single-label name such as localhost) is that address and port only: another port on it is
another host.  Addresses that are not globally routable (private, loopback, link-local, the
cloud metadata services 169.254.169.254 and 100.100.100.200, shared, reserved) are refused
unless the portal itself is on one; a host name is resolved (through Scrapy's cached resolver)
to apply that rule to where it really points.  A request that goes through an HTTP proxy
(``meta["proxy"]``, or ``http_proxy``/``https_proxy`` of the environment as Scrapy's
HttpProxyMiddleware reads them) has its name resolved by the proxy, not here: the crawler
sends no DNS query of its own (the proxy simulator, simulator/proxy.py, relies on it).

Refused requests fail with ``OutOfScope`` (an IgnoreRequest, so the request's errback logs the
URL and step) and are counted as ``nianbao/refused/<why>`` in the stats and the run summary.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)

#: the request meta key naming the portal a request belongs to
PORTAL_META = "nb_portal"

# Public suffixes under which a registered domain has three labels (xx.gov.cn, not gov.cn).
_MULTI_LABEL_SUFFIXES = frozenset({"gov.cn", "com.cn", "net.cn", "org.cn", "edu.cn", "ac.cn"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutOfScope(IgnoreRequest):
    """A request outside its portal's scope; never sent."""


def _address(host: str) -> Address | None:
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return ip


def is_internal(ip: Address) -> bool:
    """Not globally routable: private, loopback, link-local (169.254.169.254), shared
    (100.64/10, where Aliyun's metadata service 100.100.100.200 lives), reserved, multicast."""
    return not ip.is_global or ip.is_multicast


def registered_domain(host: str) -> str | None:
    """www.xx.gov.cn → xx.gov.cn, www.example.com → example.com; None for a bare address."""
    host = host.lower().rstrip(".")
    if _address(host) is not None:
        return None
    labels = host.split(".")
    if len(labels) < 2:
        return None
    keep = 3 if ".".join(labels[-2:]) in _MULTI_LABEL_SUFFIXES and len(labels) >= 3 else 2
    return ".".join(labels[-keep:])


def is_government_host(url: str) -> bool:
    """A government host: a report's files are often served from another department's file
    server, outside the portal's own domain."""
    return (urlsplit(url).hostname or "").lower().endswith(".gov.cn")


def _endpoint(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError:  # a port out of range
        return None
    return parts.scheme, parts.hostname.lower().rstrip("."), port


@dataclass(frozen=True)
class PortalScope:
    """The hosts one portal's requests may go to."""

    name: str
    #: (host, port) pairs allowed exactly: bare-address portals and bare-address registry hosts
    exact: frozenset[tuple[str, int]] = field(default_factory=frozenset)
    #: names allowed with their subdomains
    domains: frozenset[str] = field(default_factory=frozenset)
    #: the start host, whose address decides whether internal addresses are this portal's own
    start_host: str = ""

    @classmethod
    def of(cls, name: str, start_url: str, hosts: Iterable[str] = ()) -> PortalScope:
        """The scope of a portal starting at ``start_url`` with the registry's extra ``hosts``
        (each a name, whose subdomains are included, or an address[:port], taken exactly)."""
        start = _endpoint(start_url if "://" in start_url else "http://" + start_url)
        if start is None:
            raise ValueError(f"portal {name!r}: start URL {start_url!r} is not an http(s) URL")
        exact: set[tuple[str, int]] = set()
        domains: set[str] = set()
        _, host, port = start
        domain = registered_domain(host)
        if domain is None:
            exact.add((host, port))
        else:
            domains.add(domain)
        for extra in hosts:
            ep = _endpoint(extra if "://" in extra else "http://" + extra)
            if ep is None:
                raise ValueError(f"portal {name!r}: registry host {extra!r} is not a host name")
            if registered_domain(ep[1]) is None:
                exact.add((ep[1], ep[2]))
            else:
                domains.add(ep[1])  # the host and its subdomains, not its whole registered domain
        return cls(name, frozenset(exact), frozenset(domains), host)

    def holds(self, url: str) -> bool:
        """Is ``url`` an http(s) URL on one of this portal's names?"""
        ep = _endpoint(url)
        if ep is None:
            return False
        _, host, port = ep
        if (host, port) in self.exact:
            return True
        return any(host == d or host.endswith("." + d) for d in self.domains)


class ScopeMiddleware:
    """Refuse any request outside the scope of its portal (see the module docstring)."""

    def __init__(
        self, crawler=None, lookup: Callable[[str], Awaitable[Address | None]] | None = None
    ):
        self.crawler = crawler
        self.stats = crawler.stats if crawler is not None else None
        self._lookup = lookup or _lookup
        self._addresses: dict[str, Address | None] = {}  # host name -> resolved address
        self.refused = 0
        from urllib.request import getproxies

        # as HttpProxyMiddleware reads them, once (only its http and https proxies are used)
        self._proxies = {k: v for k, v in getproxies().items() if k in ("http", "https")}

    @classmethod
    def from_crawler(cls, crawler):
        from . import limits

        limits.configure(crawler.settings)
        return cls(crawler)

    @classmethod
    def of(cls, crawler) -> ScopeMiddleware | None:
        """The crawl's instance (for the browser, which checks its page sub-requests here)."""
        engine = getattr(crawler, "engine", None)
        manager = getattr(getattr(engine, "downloader", None), "middleware", None)
        for mw in getattr(manager, "middlewares", ()):
            if isinstance(mw, cls):
                return mw
        return None

    async def process_request(self, request, spider=None):
        spider = spider or getattr(self.crawler, "spider", None)
        why = await self.refusal(
            request.url, request.meta.get(PORTAL_META), spider, proxied=self.proxied(request)
        )
        if why is None:
            return None
        via = (request.meta.get("redirect_urls") or [None])[0]
        self.note_refused(
            request.url, why, request.meta.get(PORTAL_META), f"a redirect of {via}" if via else None
        )
        raise OutOfScope(f"out of scope: {why}")

    def process_response(self, request, response, spider=None):
        portal = request.meta.get(PORTAL_META)
        if portal is not None and response.status < 400 and self.stats is not None:
            # the portal answered (crawler/exitcodes.py)
            self.stats.inc_value(f"nianbao/responses/{portal}")
        return response

    def note_refused(self, url: str, why: str, portal: str | None, via: str | None = None) -> None:
        """Count and log a refused request (``via``: the redirect or the browser it came from)."""
        self.refused += 1
        if self.stats is not None:
            self.stats.inc_value(f"nianbao/refused/{why.split(':', 1)[0]}")
        logger.warning(
            "nianbao scope: refused out of scope: %s (%s)%s%s; it is not one of the "
            "portal's hosts. If it is, add it to the portal's \"hosts\" in the site registry",
            url,
            why,
            f" for portal {portal}" if portal else "",
            f", from {via}" if via else "",
        )

    def proxied(self, request) -> bool:
        """Does the request go through an HTTP proxy (which then resolves its host name)?"""
        if "proxy" in request.meta:
            return bool(request.meta["proxy"])
        parts = urlsplit(request.url)
        if parts.scheme not in self._proxies:
            return False
        from urllib.request import proxy_bypass

        return not (parts.hostname and proxy_bypass(parts.hostname))

    async def refusal(
        self, url: str, portal: str | None, spider=None, proxied: bool = False
    ) -> str | None:
        """Why ``url`` may not be requested for ``portal`` (None: it may).  The reason starts
        with its kind: ``scheme``, ``host``, ``internal`` or ``portal``.  ``proxied``: the
        request goes through a proxy, which resolves names (only addresses are checked)."""
        scopes: Mapping[str, PortalScope] | None = getattr(spider, "portal_scopes", None)
        if scopes is None:
            return None
        ep = _endpoint(url)
        if ep is None:
            return f"scheme: {urlsplit(url).scheme or 'none'}"
        if portal is not None:
            scope = scopes.get(portal)
            if scope is None:
                return f"portal: unknown portal {portal!r}"
            candidates = [scope]
        else:  # robots.txt and other requests of no portal: some portal's host
            candidates = [s for s in scopes.values() if s.holds(url)]
        if not candidates or not candidates[0].holds(url):
            return f"host: {ep[1]}:{ep[2]} is outside {portal or 'every portal'}"
        address = _address(ep[1]) if proxied else await self._resolve(ep[1])
        if address is not None and is_internal(address):
            for scope in candidates:
                own = await self._resolve(scope.start_host)
                if own is not None and is_internal(own):
                    return None
            return f"internal: {ep[1]} is the internal address {address}"
        return None

    async def _resolve(self, host: str) -> Address | None:
        address = _address(host)
        if address is not None:
            return address
        if host not in self._addresses:
            self._addresses[host] = await self._lookup(host)
        return self._addresses[host]


#: seconds a host name lookup may take before the name counts as not resolving
LOOKUP_TIMEOUT = 10.0


async def _lookup(host: str) -> Address | None:
    """The first address ``host`` resolves to (the crawl's asyncio loop asks the system
    resolver in a thread); None if it has none, and the download then fails with its own DNS
    error."""
    import asyncio
    import socket

    try:
        lookup = asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        infos = await asyncio.wait_for(lookup, LOOKUP_TIMEOUT)
    except (TimeoutError, OSError, UnicodeError):
        return None
    return next((a for a in (_address(str(info[4][0])) for info in infos) if a is not None), None)
