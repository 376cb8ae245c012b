"""The robots.txt parser of ``ROBOTSTXT_OBEY``: Scrapy's Protego parser that keeps the text.

Scrapy's RobotsTxtMiddleware fetches every host's robots.txt once per process and sends
``robots_parsed`` with the parser; the portal spider reads the ``Sitemap:`` lines from this
text (``discovery.doors.robots_sitemaps``) instead of asking for robots.txt a second time.
"""

from __future__ import annotations

from typing import Any

from scrapy.robotstxt import ProtegoRobotParser, decode_robotstxt


class TextKeepingRobotParser(ProtegoRobotParser):
    def __init__(self, robotstxt_body: bytes, spider: Any) -> None:
        super().__init__(robotstxt_body, spider)
        self.text: str = decode_robotstxt(robotstxt_body, spider) if robotstxt_body else ""
