"""`python -m simulator.procedural SEED [SEED …]`: what a generated portal drew, and for each
report the shortest way to it from the root, edge kind by edge kind, so that a report a crawl
missed can be explained (``python -m simulator --generated SEED`` serves the portal)."""

from __future__ import annotations

import argparse
import json
import sys

from . import build_sites, generated_portals


def explain(seed: int) -> str:
    (site,) = build_sites(generated_portals([seed]))
    doors = site.graph.routes()
    links = site.graph.routes(("/",), skip=("search", "sitemap", "robots-sitemap"))
    lines = [f"{site.name} {json.dumps(site.construction, ensure_ascii=False)}"]
    for art in site.articles.values():
        if art.report is None:
            continue
        lines.append(f"  {art.report.report_year} {art.title}\n    {art.path}")
        for label, routes in (("links", links), ("doors", doors)):
            ways = [routes[k] for k in [art.path, *art.aliases] if k in routes]
            way = min(ways, key=len) if ways else None
            steps = " > ".join(e.kind for e in way) if way is not None else "none"
            lines.append(f"    {label}: {steps}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator.procedural", description=__doc__.splitlines()[0]
    )
    parser.add_argument("seeds", type=int, nargs="+")
    args = parser.parse_args(argv)
    for seed in args.seeds:
        sys.stdout.write(explain(seed) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
