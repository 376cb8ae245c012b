"""When a portal stops exploring the links nothing speaks for: while exploring still yields.

Links scored under ``score.FETCH_FLOOR`` (a menu entry in words the scorer does not know, a
bare script URL, a news item) are held back (``record.PortalRecord.hold``).  Fetching all of
them makes discovery a breadth-first crawl with extra steps; fetching none loses every report
behind a section the scorer did not recognise.  ``DISCOVERY_EXPLORE = "yield"`` spends them the
way a focused crawler spends an uncertain frontier, once a portal's promising links are spent
(the crawl is idle), in rounds:

* each site of a portal (a host: the www site, its 信息公开 platform, a department's
  subdomain) keeps an ``Exploration`` of its own, so a second site is not judged by what the
  first yielded;
* a site with no report yet explores to the budget: nothing else can find one there;
* any other site may make ``DISCOVERY_EXPLORE_MIN`` explored requests (a small budget for
  portal shapes nobody tuned the scorer for), and goes on while exploring yields: it stops
  once the explored requests since exploring last found a report reach its **patience**,
  ``DISCOVERY_EXPLORE_PATIENCE`` times what a report has cost on that site so far (its
  requests over its reports, the barren run left out).  A report met on an explored branch
  (the held link's page, or any page reached from it) resets the count, so a section the
  scorer missed is walked to its end once it shows reports, and a site whose held links
  are news stops soon;
* held links are taken best first by the yield of their section (the page they were found
  on): reports per explored link, Laplace's estimate, so an untried section comes before one
  that gave nothing and after one that gave reports; then by their score.

Pure bookkeeping: the spider reports what it asked for and what it found (``asked``,
``found``), and asks how many held links a portal may open now (``allowance``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: held links opened per portal in one round at most: small rounds let the section yields
#: steer the next round
ROUND = 10


@dataclass
class Exploration:
    """What the exploration of one site of a portal (or, in the record, of the whole portal)
    asked for and found."""

    minimum: int  # DISCOVERY_EXPLORE_MIN
    patience: float  # DISCOVERY_EXPLORE_PATIENCE
    requests: int = 0  # requests made on explored branches
    reports: int = 0  # reports met on explored branches
    since_report: int = 0  # explored requests since exploring last met a report
    opened: int = 0  # held links opened
    first_report: int | None = None  # explored requests made when exploring first met a report
    sections: dict[str, list[int]] = field(default_factory=dict)  # section -> [opened, found]

    def patience_for(self, reports: int, requests: int) -> int:
        """Explored requests without a report that a portal with ``reports`` found in
        ``requests`` may make before it stops.  What a report costs is counted without the
        barren run itself, or exploring that finds nothing would raise its own patience."""
        cost = max(requests - self.since_report, 1) / reports
        return math.ceil(max(self.minimum, self.patience * cost))

    def allowance(self, reports: int, requests: int) -> int | None:
        """Held links the portal may open now (``None``: no bound but the budget, a portal with
        no report); 0 once exploring has stopped paying."""
        if reports <= 0:
            return None
        left = self.patience_for(reports, requests) - self.since_report
        return max(0, min(ROUND, left))

    def open(self, section: str) -> None:
        """A held link found on ``section`` is asked for."""
        self.opened += 1
        self.sections.setdefault(section, [0, 0])[0] += 1

    def asked(self) -> None:
        """A request on an explored branch was made."""
        self.requests += 1
        self.since_report += 1

    def found(self, section: str) -> None:
        """A report was met on a branch opened from a held link of ``section``."""
        self.reports += 1
        if self.first_report is None:
            self.first_report = self.requests
        self.since_report = 0
        self.sections.setdefault(section, [0, 0])[1] += 1

    def rank(self, section: str, score: int) -> tuple[float, int]:
        """A held link's place in the next round, larger first: its section's yield, then its
        score."""
        opened, found = self.sections.get(section, (0, 0))
        return ((found + 1) / (opened + 2), score)

    def as_dict(self) -> dict[str, Any]:
        return {
            "opened": self.opened,
            "requests": self.requests,
            "reports": self.reports,
            "since_report": self.since_report,
            "first_report": self.first_report,
        }
