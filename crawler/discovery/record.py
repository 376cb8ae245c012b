"""What discovery did on one portal: the record an operator reads to see what may be missing.

One ``PortalRecord`` per portal, in the run summary (``discovery``) and so in the store
(``runs/<run id>/summary.json``):

* ``pages``: fetched pages by kind (report, listing, hub, article, blocked, error, document …);
* ``budget`` and ``budget_used``: the page budget (``DISCOVERY_PAGE_BUDGET``) and the requests made;
* ``reports``: reports emitted; ``aliases``: other URLs the same reports were met under;
* ``browser``: pages rendered in the browser;
* ``explored`` (``DISCOVERY_EXPLORE = "yield"``, ``explore.py``): held links opened, requests
  made on the branches they opened, reports met there, and explored requests since the last;
* ``unfetched``: the best candidates never fetched (title, URL, score), best first — links held
  back under the floor or past the budget.  A report among them is what a bigger budget finds.
  Only the best ``budget left + TOP_UNFETCHED`` are kept (``trim``): more can never be
  fetched, and a portal's held links would otherwise grow with every link it shows; the
  others are counted in ``unfetched_total``.
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .explore import Exploration

#: candidates listed in the record
TOP_UNFETCHED = 20


@dataclass
class Candidate:
    score: int
    url: str
    title: str
    request: Any = field(default=None, compare=False, repr=False)
    key: str = field(default="", compare=False, repr=False)
    section: str = field(default="", compare=False, repr=False)  # the page it was found on


@dataclass
class PortalRecord:
    portal: str
    budget: int
    budget_used: int = 0
    pages: Counter = field(default_factory=Counter)
    reports: int = 0
    browser: int = 0
    aliases: dict[str, list[str]] = field(default_factory=dict)
    _held: list = field(default_factory=list, repr=False)
    _order: Any = field(default_factory=itertools.count, repr=False)
    dropped: int = 0  # held candidates let go by trim (never fetchable within the budget)
    exploration: Exploration | None = None  # DISCOVERY_EXPLORE = "yield": what exploring gave

    @property
    def budget_left(self) -> int:
        """Requests the portal may still make; a budget of 0 or less is no bound (a backfill
        of a deep archive asks for every page)."""
        return self.budget - self.budget_used if self.budget > 0 else 1 << 62

    def hold(self, candidate: Candidate) -> None:
        """Keep a candidate for later (under the floor, or past the budget)."""
        heapq.heappush(self._held, (-candidate.score, next(self._order), candidate))

    def release(self, n: int) -> list[Candidate]:
        """The ``n`` best held candidates still waiting, taken out of the heap."""
        out = []
        while self._held and len(out) < n:
            cand = heapq.heappop(self._held)[2]
            if cand.request is not None:
                out.append(cand)
        return out

    def waiting(self) -> list[Candidate]:
        """The held candidates still waiting."""
        return [h[2] for h in self._held if h[2].request is not None]

    def release_ranked(
        self,
        n: int,
        rank: Callable[[Candidate], Any],
        where: Callable[[Candidate], bool] = lambda c: True,
    ) -> list[Candidate]:
        """The ``n`` held candidates (of those ``where`` admits) that ``rank`` puts first
        (largest), taken out of the heap."""
        live = [h for h in self._held if h[2].request is not None]
        best = heapq.nlargest(
            n, (h for h in live if where(h[2])), key=lambda h: (rank(h[2]), -h[1])
        )
        taken = {id(h) for h in best}
        self._held = [h for h in live if id(h) not in taken]
        heapq.heapify(self._held)
        return [h[2] for h in best]

    def trim(self) -> list[Candidate]:
        """Let go of the held candidates past the best ``budget left + TOP_UNFETCHED`` (only
        when there are twice as many, so that trimming is rare); returns them."""
        keep = max(self.budget_left, 0) + TOP_UNFETCHED
        if len(self._held) <= 2 * keep:
            return []
        live = [h for h in self._held if h[2].request is not None]
        kept = heapq.nsmallest(keep, live)
        kept_ids = {id(h) for h in kept}
        gone = [h[2] for h in live if id(h) not in kept_ids]
        heapq.heapify(kept)
        self._held = kept
        self.dropped += len(gone)
        return gone

    @property
    def held(self) -> int:
        return sum(1 for _, _, c in self._held if c.request is not None)

    def alias(self, url: str, other: str) -> None:
        if other != url and other not in self.aliases.setdefault(url, []):
            self.aliases[url].append(other)

    def as_dict(self) -> dict[str, Any]:
        best = heapq.nsmallest(TOP_UNFETCHED, [h for h in self._held if h[2].request is not None])
        return {
            "pages": dict(sorted(self.pages.items())),
            "budget": self.budget,
            "budget_used": self.budget_used,
            "reports": self.reports,
            "browser": self.browser,
            "aliases": {k: v for k, v in sorted(self.aliases.items()) if v},
            "unfetched": [{"title": c.title, "url": c.url, "score": c.score} for _, _, c in best],
            "unfetched_total": self.held + self.dropped,
            **({"explored": self.exploration.as_dict()} if self.exploration is not None else {}),
        }
