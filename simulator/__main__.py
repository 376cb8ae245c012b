"""`python -m simulator [--ready-file PATH]`: serve the portals until Ctrl-C or SIGTERM.

Prints one line per portal, `<name> <family> <root_url>`; with --ready-file the same lines
are written to PATH once every portal is listening.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from .server import Simulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__.splitlines()[0])
    parser.add_argument("--ready-file", help="write the portal lines here once listening")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with Simulator().running() as live:
        lines = "".join(f"{p.name} {p.family} {p.root_url}\n" for p in live.portals)
        sys.stdout.write(lines)
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
