"""Procedurally generated portals: from a seed, a county portal whose construction is drawn
from distributions wider than the simulator's hand-built families (issue 9).

    from simulator import Simulator
    from simulator.procedural import generated_portals
    with Simulator(portals=generated_portals(range(17, 20))).running() as live:
        live.reports, live.non_reports, live.constructions["generated:17"]

A portal named ``generated:<seed>`` is the same portal on every run. Its graph (every page
and every edge, with the text that carries the edge) is ``site.graph``; what was drawn is
``site.construction``. The vocabularies live in ``vocab.py`` and are not shared with the
crawler.
"""

from __future__ import annotations

from collections.abc import Iterable

PREFIX = "generated:"


def generated_portals(seeds: Iterable[int]) -> list[str]:
    """Portal names for ``Simulator(portals=...)``, one per seed."""
    return [f"{PREFIX}{int(s)}" for s in seeds]


def is_generated(name: str) -> bool:
    return name.startswith(PREFIX) and name[len(PREFIX) :].lstrip("-").isdigit()


def build_sites(names: Iterable[str]) -> list:
    """The sites of the generated portals named (others are ignored)."""
    from .layout import Layout

    return [Layout(int(n[len(PREFIX) :])).build() for n in names if is_generated(n)]


__all__ = ["PREFIX", "build_sites", "generated_portals", "is_generated"]
