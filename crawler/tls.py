"""An HTTPS context factory for legacy county servers (docs/portals.md §11: TLS 1.0, SHA-1, small
keys).

Scrapy's factory hands ``DOWNLOADER_CLIENT_TLS_CIPHERS`` to Twisted, which expands the string
into a cipher list and drops ``@SECLEVEL``; Debian's OpenSSL then refuses TLS 1.0 handshakes
at its default security level 2 whatever ``DOWNLOAD_TLS_MIN_VERSION`` says.  This factory
applies the configured cipher string, security level included, to every client context.
Certificates stay unverified, as in Scrapy; ``crawler.middlewares.TlsAuditMiddleware`` logs
the ones that would fail.

Built on Scrapy 2.19's private ``_ScrapyClientContextFactory`` (pinned in pyproject);
tests/crawler/test_spider_politeness.py's TLS 1.0 crawl fails if that changes.
"""

from __future__ import annotations

from scrapy.core.downloader.contextfactory import (
    _ScrapyCertificateOptions,
    _ScrapyClientContextFactory,
)


class _LegacyCertificateOptions(_ScrapyCertificateOptions):
    cipher_string: bytes = b""

    def _makeContext(self, *args, **kwargs):
        ctx = super()._makeContext(*args, **kwargs)
        if self.cipher_string:
            ctx.set_cipher_list(self.cipher_string)
        return ctx


class LegacyTLSContextFactory(_ScrapyClientContextFactory):
    """``DOWNLOADER_CLIENTCONTEXTFACTORY``: Scrapy's, plus the cipher string's security level."""

    def __init__(self, *args, tls_ciphers: str | None = None, **kwargs):
        super().__init__(*args, tls_ciphers=tls_ciphers, **kwargs)
        self._cipher_string = (tls_ciphers or "").encode("ascii")

    def _get_cert_options(self):
        opts = _LegacyCertificateOptions(**self._get_cert_options_kwargs())
        opts.cipher_string = self._cipher_string
        return opts
