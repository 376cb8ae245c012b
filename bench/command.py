"""The ``scrapy crawl portal`` command line every bench crawl in a child process runs."""

from __future__ import annotations

import sys
from collections.abc import Mapping

# Loopback simulator: politeness off, so a crawl takes seconds.
LOOPBACK = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


def portal_crawl(urls: str, *args: str, settings: Mapping[str, object]) -> list[str]:
    """``python -m scrapy crawl portal -a url=URLS ARGS… -s NAME=VALUE…``."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"url={urls}", *args]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd
