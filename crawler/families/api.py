"""The one protocol every CMS family module follows (Hanweb, TRS, UCAP, gkmlpt, Lonsun, JPaaS,
the Hanweb 信息公开 module), so the spider drives them all the same way (the Querido Diário
one-base-per-family pattern, docs/peers.md §2):

* ``NAME``: the family's name (the registry's ``family`` value);
* ``matches(text) -> bool``: the page is this family's (shell or not);
* ``links(text, url) -> list[Link]``: records the page carries that are no plain anchors
  (a Hanweb ``<datastore>``, TRS ``document.writeln`` rows); optional;
* ``calls(text, url) -> list[Call]``: the data requests the page's own script would make;
* ``parse(body, call) -> Page``: the records of one answer and the calls that follow it.

A family only adds: generic link finding and generic paging (``crawler.discovery``) run on
every page whatever its family, and the registry's ``family`` only makes that family's calls
be tried on a page it does not recognise.  Each module is pure and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

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


class Family(Protocol):
    NAME: str

    def matches(self, text: str) -> bool: ...

    def calls(self, text: str, url: str) -> list[Call]: ...

    def parse(self, body: str, call: Call) -> Page: ...


def family_links(family, text: str, url: str) -> list[Link]:
    """A family's records on the page itself (``links`` is optional in the protocol)."""
    fn = getattr(family, "links", None)
    return fn(text, url) if fn is not None else []
