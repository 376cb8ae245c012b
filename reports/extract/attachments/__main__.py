"""A bounded converter child: limits itself, reads the file on stdin, prints JSON; with
``--serve`` a warm worker of ``convert_isolated`` that reads one job after another (workers.py).

    python -m reports.extract.attachments [--filename NAME] [--content-type TYPE] < FILE
"""

from __future__ import annotations

import argparse
import json
import resource
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--filename", default="")
    parser.add_argument("--content-type", default="")
    parser.add_argument("--memory", type=int, default=0, help="address-space limit in bytes")
    parser.add_argument("--cpu", type=int, default=0, help="CPU-time limit in seconds")
    parser.add_argument("--serve", action="store_true", help="be a warm worker (workers.py)")
    args = parser.parse_args()
    if args.serve:
        from .workers import serve

        return serve(args.memory)
    # Limits first, before a parser is imported or a byte is read.
    if args.memory:
        resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    if args.cpu:
        resource.setrlimit(resource.RLIMIT_CPU, (args.cpu, args.cpu))
    from . import convert

    body = sys.stdin.buffer.read()
    result = convert(body, args.filename, args.content_type)
    json.dump(
        {"kind": result.kind, "text": result.text, "flags": result.flags},
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main()
