"""`python -m simulator [--ready-file PATH] [--generated SEED ...]`: serve the portals until
Ctrl-C or SIGTERM.

With --generated, only the generated portals of those seeds (simulator/procedural/) are served,
and what each one's construction drew is printed after its line.

Prints one line per portal, `<name> <family> <root_url>`; with --ready-file the same lines
are written to PATH once every portal is listening.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading

from .procedural import generated_portals
from .server import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__.splitlines()[0])
    parser.add_argument("--ready-file", help="write the portal lines here once listening")
    parser.add_argument("--generated", type=int, nargs="+", metavar="SEED",
                        help="serve the generated portals of these seeds instead")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    portals = generated_portals(args.generated) if args.generated else None
    with Simulator(portals=portals).running() as live:
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
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
