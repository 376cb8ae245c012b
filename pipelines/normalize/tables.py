"""The result of reading a report's tables, shared by the HTML and the text readers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .labels import TEMPLATE_MARKERS, lookup


@dataclass
class Tables:
    """Tables 二/三/四 as canonical dicts, plus the flags raised while reading them."""

    template: str = "freeform"
    active: dict = field(default_factory=dict)
    applications: dict = field(default_factory=dict)
    review_litigation: dict = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def found(self) -> bool:
        return bool(self.active or self.applications or self.review_litigation)


def vote_template(labels: Iterable[str]) -> str:
    """"2021" or "2019" from the template-only labels present, "freeform" if none.

    A 2021 report that keeps a 2019 row label (规范性文件) still has more 2021 markers.
    """
    votes = Counter(key for key in (lookup(TEMPLATE_MARKERS, label) for label in labels) if key)
    if not votes:
        return "freeform"
    return "2021" if votes["2021"] > votes["2019"] else "2019"
