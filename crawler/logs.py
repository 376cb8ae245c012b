"""Log hygiene: what an operator reads at INFO is about the crawl, not about Scrapy starting.

`quiet_startup()` (called from crawler/settings.py, before Scrapy configures logging) adds
filters to Scrapy's own loggers:

* start-up noise (versions, overridden settings, the enabled components, the telnet
  console) is demoted to DEBUG;
* a robots.txt that cannot be fetched because the host does not answer is one line, not a
  traceback: the host's requests fail next and the run report lists the portal as
  unreachable.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

#: loggers whose INFO records are start-up noise
STARTUP_LOGGERS = (
    "scrapy.utils.log",
    "scrapy.crawler",
    "scrapy.middleware",
    "scrapy.addons",
    "scrapy.extensions.telnet",
)
#: INFO records of those loggers that are news, kept at INFO
_KEEP = ("Spider opened", "Closing spider", "Spider closed")


class Demote(logging.Filter):
    """INFO → DEBUG: the handler's level then decides, as for any DEBUG record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO and not str(record.msg).startswith(_KEEP):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def _request_url(record: logging.LogRecord) -> str:
    request = record.args.get("request") if isinstance(record.args, dict) else None
    return getattr(request, "url", "") or ""


class OneLineRobots(logging.Filter):
    """A failed robots.txt download: one WARNING line naming the URL and the reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.levelno >= logging.ERROR:
            exc = record.exc_info[1]
            parts = urlsplit(_request_url(record))
            record.msg = "robots.txt not fetched: %s (%s); the host's pages are tried next"
            record.args = (
                f"{parts.scheme}://{parts.netloc}/robots.txt" if parts.netloc else "?",
                f"{type(exc).__name__}: {exc}" if exc else "error",
            )
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class QuietRobotsRetry(logging.Filter):
    """RetryMiddleware giving up on a robots.txt: said once already by OneLineRobots."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and _request_url(record).endswith("/robots.txt"):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def quiet_startup() -> None:
    for name in STARTUP_LOGGERS:
        log = logging.getLogger(name)
        if not any(isinstance(f, Demote) for f in log.filters):
            log.addFilter(Demote())
    for name, kind in (
        ("scrapy.downloadermiddlewares.robotstxt", OneLineRobots),
        ("scrapy.downloadermiddlewares.retry", QuietRobotsRetry),
    ):
        log = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in log.filters):
            log.addFilter(kind())
