"""The catalog at a million captures: how long its three questions take (storage.catalog), and
the peak memory of walking the corpus as of a time, in a fresh process (its peak RSS, against the
same process's RSS after the imports and the catalog's opening)."""

from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from storage.catalog import Capture, Catalog

CAPTURES = 1_000_000


def _fill(catalog: Catalog, n: int) -> list[str]:
    """n captures: 3 per URL, 20,000 bodies, 6 report years, three crawl years."""
    orgs = [f"机关{i}" for i in range(20_000)]
    with catalog._lock:
        db = catalog._db
        db.execute("BEGIN")
        for i in range(n):
            url = f"http://www.c{i // 3 % 3000}.gov.cn/art/{i // 3}.html"
            capture = f"pages/h/{hashlib.sha1(url.encode()).hexdigest()}/{i}"
            row = Capture(
                capture=capture,
                url=url,
                fetched_at=f"202{3 + i % 3}-0{1 + i % 9}-15T08:00:00+00:00",
                sha256=hashlib.sha256(str(i).encode()).hexdigest(),
                change="new",
                version=capture,
                org_name=orgs[(i // 3) % len(orgs)],
                report_year=2019 + (i // 3) % 6,
            )
            db.execute(
                f"INSERT INTO captures ({', '.join(row.__dict__)}) VALUES "
                f"({', '.join('?' * len(row.__dict__))})",
                tuple(row.__dict__.values()),
            )
        db.execute("COMMIT")
        db.execute("ANALYZE")
    return orgs


def summary(n: int = CAPTURES) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(Path(tmp) / "catalog.sqlite")
        started = time.perf_counter()
        orgs = _fill(catalog, n)
        filled = time.perf_counter() - started
        size = (Path(tmp) / "catalog.sqlite").stat().st_size / 1024**2

        def per_query(ask, rounds: int) -> float:
            started = time.perf_counter()
            for k in range(rounds):
                ask(k)
            return (time.perf_counter() - started) / rounds * 1000

        url_ms = per_query(
            lambda k: catalog.captures_of(f"http://www.c{k * 97 % 3000}.gov.cn/art/{k * 97}.html"),
            1000,
        )
        body_ms = per_query(lambda k: catalog.reports_of(orgs[k * 13], 2019 + k % 6), 200)
        started = time.perf_counter()
        urls = sum(1 for _ in catalog.as_of("2024-06-01T00:00:00+00:00"))
        as_of = time.perf_counter() - started
        catalog.close()
        walk = json.loads(
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.catalog",
                    "--walk",
                    str(Path(tmp) / "catalog.sqlite"),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
    return (
        f"catalog of {n:,} captures (SQLite, {size:.0f} MB, filled in {filled:.0f} s)\n"
        f"  captures of a URL            {url_ms:8.3f} ms\n"
        f"  reports of a body and year   {body_ms:8.3f} ms\n"
        f"  corpus as of a time          {as_of:8.1f} s  ({urls:,} URLs)\n"
        f"  as-of walk, peak RSS         {walk['peak_mib']:8.1f} MiB  (process before the walk "
        f"{walk['before_mib']:.1f} MiB, {walk['urls']:,} URLs; goal < 100 MiB)"
    )


def _walk(path: str) -> None:
    """In a fresh process: stream as_of over the whole catalog; print the RSS before and the
    peak."""
    catalog = Catalog(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    urls = sum(1 for _ in catalog.as_of("2099-01-01T00:00:00+00:00"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"before_mib": before, "peak_mib": peak, "urls": urls}))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--walk"]:
        _walk(sys.argv[2])
    else:
        print(summary())
