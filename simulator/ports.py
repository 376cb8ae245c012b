"""Fixed ports: every portal the simulator can serve has its own port, the same on every run,
so a store filled from the simulator yesterday still names today's URLs (a re-crawl finds its
reports unchanged, not new).

The port is ``base`` (``python -m simulator --base-port``, default 8100) plus the portal's place:

=====================  ==================================  ========================
portals                which                               offset
=====================  ==================================  ========================
the two counties       yunxi, tongqiao                     0, 1
the fixture matrix     simulator/matrix.py ``MATRIX_NAMES`` 10 + its place there
the deep archives      simulator/deep.py ``NAMES``          60 + its place there
generated portals      ``generated:SEED``, SEED 0 … 899     100 + SEED
=====================  ==================================  ========================

Places only ever grow at the end of their list, so a portal keeps its port across versions.
"""

from __future__ import annotations

from . import deep, matrix, procedural

DEFAULT_BASE_PORT = 8100
COUNTIES = ("yunxi", "tongqiao")
_OFFSETS = {
    **{n: i for i, n in enumerate(COUNTIES)},
    **{n: 10 + i for i, n in enumerate(matrix.MATRIX_NAMES)},
    **{n: 60 + i for i, n in enumerate(deep.NAMES)},
}
MAX_SEED = 899


def offset(name: str) -> int:
    if procedural.is_generated(name):
        seed = int(name[len(procedural.PREFIX) :])
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(
                f"portal {name}: a fixed port exists for generated seeds 0 to "
                f"{MAX_SEED}; "
                f"pick one of those, or serve it on a free port (--base-port 0)"
            )
        return 100 + seed
    if name not in _OFFSETS:
        raise ValueError(
            f"portal {name!r} is not one of the simulator's: "
            f"{', '.join(_OFFSETS)} or generated:SEED"
        )
    return _OFFSETS[name]


def port_of(name: str, base: int) -> int:
    """The fixed port of a portal; 0 (any free port) when ``base`` is 0."""
    return base + offset(name) if base else 0


def known_names() -> tuple[str, ...]:
    return tuple(_OFFSETS)
