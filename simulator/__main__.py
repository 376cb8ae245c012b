"""`python -m simulator [--portals NAME ...] [--generated SEED ...] [--base-port N]
[--ready-file PATH] [--validators SWITCH] [--change A,E,R]`: serve the portals until Ctrl-C or
SIGTERM.

--portals names any of the simulator's portals (yunxi, tongqiao, the fixture matrix, the deep
archives deep-trs and deep-param, generated:SEED) or `all` (the counties and the matrix);
default: yunxi and tongqiao.  --generated SEED ... adds the generated portals of those seeds
(simulator/procedural/); what each one's construction drew is printed after its line.

Every portal listens on its fixed port, --base-port (default 8100) plus its place
(simulator/ports.py), the same on every run; --base-port 0 picks free ports instead.

Prints one line per portal, `<name> <family> <root_url>`; with --ready-file the same lines
are written to PATH once every portal is listening.  --validators: both (default), etag,
last-modified or none, for every portal.  --change ADDED,EDITED,REMOVED: on SIGUSR1 the
portals change that way (simulator/changes.py) and one line per changed report is printed,
`added|edited|removed <url>`; a second SIGUSR1 applies another change of the same size.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading

from .ports import DEFAULT_BASE_PORT
from .procedural import generated_portals
from .server import VALIDATOR_SWITCHES, Simulator


def _change(value: str) -> tuple[int, int, int]:
    try:
        added, edited, removed = (int(n) for n in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--change {value!r}: give ADDED,EDITED,REMOVED, e.g. 5,3,2"
        ) from None
    return added, edited, removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--ready-file", help="write the portal lines here once listening")
    parser.add_argument(
        "--portals",
        nargs="+",
        metavar="NAME",
        help="portals to serve (names, generated:SEED, or all)",
    )
    parser.add_argument(
        "--generated",
        type=int,
        nargs="+",
        metavar="SEED",
        help="also serve the generated portals of these seeds",
    )
    parser.add_argument(
        "--base-port",
        type=int,
        default=DEFAULT_BASE_PORT,
        metavar="N",
        help="portal ports are N plus a fixed offset each (0: free ports)",
    )
    parser.add_argument(
        "--validators",
        choices=VALIDATOR_SWITCHES,
        default="both",
        help="which HTTP validators the portals send and honour",
    )
    parser.add_argument(
        "--change",
        type=_change,
        metavar="ADDED,EDITED,REMOVED",
        help="change the portals this way on SIGUSR1",
    )
    args = parser.parse_args(argv)
    stop, change = threading.Event(), threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.change:
        signal.signal(signal.SIGUSR1, lambda *_: change.set())
    names = args.portals or ([] if args.generated else None)
    if names is not None:
        names = "all" if names == ["all"] else names + generated_portals(args.generated or ())
    stack = contextlib.ExitStack()
    try:
        sim = Simulator(portals=names, validators=args.validators, base_port=args.base_port)
        unknown = set(names if isinstance(names, list) else ()) - {s.name for s in sim.sites}
        if unknown:
            raise ValueError(
                f"no simulator portal is named {', '.join(sorted(unknown))}; "
                "see python -m simulator --help"
            )
        live = stack.enter_context(sim.running())
    except (ValueError, OSError) as exc:  # one line: a name that is not a portal, a port in use
        sys.stderr.write(f"{exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}\n")
        return 2
    with stack:
        lines = "".join(f"{p.name} {p.family} {p.root_url}\n" for p in live.portals)
        sys.stdout.write(lines)
        for name, construction in live.constructions.items():
            sys.stdout.write(f"# {name}: {json.dumps(construction, ensure_ascii=False)}\n")
        sys.stdout.flush()
        if args.ready_file:
            tmp = f"{args.ready_file}.tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(lines)
            os.replace(tmp, args.ready_file)  # appears complete or not at all
        rounds = 0
        while not stop.wait(0.5):
            if change.is_set():
                change.clear()
                added, edited, removed = args.change
                done = sim.change(added=added, edited=edited, removed=removed, seed=rounds)
                rounds += 1
                for kind in ("added", "edited", "removed"):
                    for portal, path in getattr(done, kind):
                        sys.stdout.write(f"{kind} {live.url_of(portal, path)}\n")
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
