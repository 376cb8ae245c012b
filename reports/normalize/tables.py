"""The result of reading a report's tables, shared by the HTML and the text readers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: One table of a report: row key → column key → value (an int, a float for money, a unit
#: string, or None where the printed cell could not be read).
Table = dict[str, dict[str, Any]]
#: A JSON object of the output: the normalized report, one check, the page's header fields.
Record = dict[str, Any]


@dataclass
class Tables:
    """Tables 二/三/四 as canonical dicts, plus the flags raised while reading them."""

    template: str = "freeform"
    voted: bool = False  # the template was read from form-only labels, not guessed
    labelled: bool = False  # form-only labels or rows decided the template (not the year)
    active: Table = field(default_factory=dict)
    applications: Table = field(default_factory=dict)
    review_litigation: Table = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    # Values of rows left null because their places are unknown ("applications.granted" →
    # [0, 0, 0, 0, 0]): a cell derived later must agree with them.
    printed: dict[str, list[int | float | None]] = field(default_factory=dict)

    def found(self) -> bool:
        return bool(self.active or self.applications or self.review_litigation)
