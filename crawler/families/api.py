"""The shape shared by families whose listings come from a data endpoint (UCAP search, gkmlpt,
Lonsun pages, JPaaS unit build, the Hanweb 信息公开 module), so the spider drives them all the
same way (the Querido Diário one-base-per-family pattern, docs/peers.md §2):

* ``matches(text) -> bool``: the page is this family's listing (shell or not);
* ``calls(text, url) -> list[Call]``: the data requests the page's own script would make;
* ``parse(body, call) -> Page``: the records of one answer and the calls that follow it.

Each family module is pure (text in, links and calls out) and tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import Link


@dataclass(frozen=True)
class Call:
    """One data request: URL (GET) and, for POST, the form; ``page`` numbers the listing."""

    url: str
    family: str
    page: int = 1
    form: tuple[tuple[str, str], ...] | None = None
    extra: tuple[tuple[str, str], ...] = ()  # family state (e.g. the listing it belongs to)

    def get(self, key: str, default: str | None = None) -> str | None:
        return dict(self.extra).get(key, default)


@dataclass
class Page:
    links: list[Link] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)  # the next pages (all at once when known)
