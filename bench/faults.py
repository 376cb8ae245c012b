"""Fault injection: kill -9 a JOBDIR crawl of the simulator at random moments, resume it with
the same command until it finishes, and compare what it left with a clean crawl.

    python -m bench.faults [--kills 20] [--seed 1] [--portals all]     (part of `make bench`)
    tests/crawler/test_frontier_faults.py runs the short version (a few kills) in `make test`.

Then the store's faults, on a real SeaweedFS (storage/seaweed.py): stopped for 10 s in the middle
of a JOBDIR crawl and started again, and kept down until the spool is full and the crawl is
killed with -9, then the same command; each against the clean crawl, and every object of the
bucket checked against its checksum (`bad_objects`).  tests/storage/test_store_faults.py runs
them on the two counties.

What is compared (`Outcome`): the report URLs in the catalog and in the store's capture records,
the feed's items, the raw objects, capture records and WARC records per URL (one of each per
report, as in a clean crawl), every revisit's WARC-Refers-To and every catalog row's WARC file
and offset, and orphans (a capture record without a catalog row or the reverse, a capture left
pending).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.command import LOOPBACK, portal_crawl

ROOT = Path(__file__).resolve().parent.parent

FAST = {**LOOPBACK, "LOG_LEVEL": "INFO"}


def crawl_command(
    out: Path,
    urls: str,
    jobdir: Path | None,
    store_uri: str | None = None,
    settings: dict | None = None,
) -> list[str]:
    merged = {
        **FAST,
        "STORE_URI": store_uri or f"file://{out / 'store'}",
        "STATE_DIR": str(out / "state"),
        **(settings or {}),
    }
    if jobdir is not None:
        merged["JOBDIR"] = str(jobdir)
    return portal_crawl(urls, "-o", str(out / "items.jsonl"), settings=merged)


def _env(extra: dict | None = None) -> dict:
    return {**os.environ, **(extra or {}), "PYTHONPATH": str(ROOT)}


def clean_crawl(out: Path, urls: str, timeout: float = 900) -> float:
    """One uninterrupted crawl; returns its duration in seconds."""
    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    with open(out / "log-clean.txt", "w") as log:
        subprocess.run(
            crawl_command(out, urls, None),
            cwd=ROOT,
            env=_env(),
            stderr=log,
            check=True,
            timeout=timeout,
        )
    return time.monotonic() - start


@dataclass
class KilledRun:
    kills: list[float] = field(default_factory=list)  # seconds into each killed session
    sessions: int = 0
    resumed_logged: int = 0  # sessions whose log says how many requests they resumed


def killed_crawl(
    out: Path, urls: str, kills: int, reports: int, seed: int, timeout: float = 900
) -> KilledRun:
    """Start the JOBDIR crawl, kill -9 it `kills` times, then let it run to its end.

    Each kill falls at a random point: some during start-up (recovery, the frontier opening),
    most once the session has added a random number of items to the feed (a few: the kills
    must all fall before the crawl is through) plus a random fraction of a second, so kills
    land at every stage of a report's way through the pipelines."""
    out.mkdir(parents=True, exist_ok=True)
    rng, run = random.Random(seed), KilledRun()
    jobdir, feed = out / "job", out / "items.jsonl"
    per_kill = max(1, reports // (2 * kills + 2))
    while True:
        run.sessions += 1
        log_path = out / f"log-{run.sessions:02d}.txt"
        with open(log_path, "w") as log:
            start, lines = time.monotonic(), _lines(feed)
            proc = subprocess.Popen(
                crawl_command(out, urls, jobdir), cwd=ROOT, env=_env(), stderr=log
            )
            if len(run.kills) < kills:
                target = None if rng.random() < 0.2 else lines + rng.randint(1, per_kill)
                deadline = start + (rng.uniform(0.3, 4.0) if target is None else timeout)
                while proc.poll() is None and time.monotonic() < deadline:
                    if target is not None and _lines(feed) >= target:
                        deadline = time.monotonic() + rng.uniform(0, 0.25)
                        target = None
                    time.sleep(0.02)
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    run.kills.append(round(time.monotonic() - start, 2))
                    run.resumed_logged += _resumed(log_path)
                    continue
            proc.wait(timeout)
        run.resumed_logged += _resumed(log_path)
        if proc.returncode != 0:
            # the log dies with the temporary directory: say what it said here
            lines = log_path.read_text(errors="replace").splitlines(keepends=True)
            said = [
                ln for ln in lines if "exit_reasons" in ln or "] WARNING:" in ln or "] ERROR:" in ln
            ]
            tail = "".join(said[-30:] + lines[-5:])
            raise RuntimeError(
                f"the resumed crawl failed (exit {proc.returncode}), session {run.sessions} "
                f"after {len(run.kills)} kills; its warnings, errors and exit reasons:\n{tail}"
            )
        return run  # (finished before a kill came: the kills left are not made)


def killed_then_rerun(out: Path, urls: str, reports: int, seed: int, timeout: float = 900) -> float:
    """Without JOBDIR: kill -9 a crawl part-way, then run the same command to its end (a new run
    on the same store).  Returns when the kill fell (seconds into the first crawl)."""
    out.mkdir(parents=True, exist_ok=True)
    rng, feed = random.Random(seed), out / "items.jsonl"
    with open(out / "log-killed.txt", "w") as log:
        start = time.monotonic()
        proc = subprocess.Popen(crawl_command(out, urls, None), cwd=ROOT, env=_env(), stderr=log)
        target = rng.randint(1, max(1, reports - 1))
        while proc.poll() is None and _lines(feed) < target:
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is not None:
            raise RuntimeError("the crawl finished before it could be killed")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_at = time.monotonic() - start
    with open(out / "log-rerun.txt", "w") as log:
        subprocess.run(
            crawl_command(out, urls, None),
            cwd=ROOT,
            env=_env(),
            stderr=log,
            check=True,
            timeout=timeout,
        )
    return killed_at


# -- the store fails: SeaweedFS (storage/seaweed.py) stopped mid-crawl, or kept down until the
# spool is full and the crawl killed then ------------------------------------------------------


def _captured(client, bucket: str) -> int:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="archive/pages/")
    return sum(o["Key"].endswith("/meta.json") for page in pages for o in page.get("Contents", []))


def _wait_captures(
    client, bucket: str, proc: subprocess.Popen, at_least: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while _captured(client, bucket) < at_least:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(
                f"the crawl ended (exit {proc.returncode}) before {at_least} "
                "captures were in the store: the fault came too late"
            )
        time.sleep(0.1)


@dataclass
class StoreFault:
    sessions: list[int] = field(default_factory=list)  # exit status of each session (-9: killed)
    spooled_at_kill: int = 0  # bytes in the spool when the kill fell
    logs: list[Path] = field(default_factory=list)

    def log(self, n: int = -1) -> str:
        return self.logs[n].read_text(errors="replace")


def s3_outage(
    out: Path,
    urls: str,
    server,
    bucket: str,
    *,
    after: int = 3,
    down: float = 5.0,
    settings: dict | None = None,
    timeout: float = 900,
) -> StoreFault:
    """A JOBDIR crawl into `bucket` on `server` (a SeaweedServer); after `after` captures the
    server is stopped for `down` seconds, then started again on the same ports and data, and
    the crawl runs to its end: it spools meanwhile and flushes when the store is back."""
    out.mkdir(parents=True, exist_ok=True)
    client, fault = server.client(), StoreFault()
    env = _env({**server.env, "AWS_MAX_ATTEMPTS": "2"})
    cmd = crawl_command(
        out,
        urls,
        out / "job",
        f"s3://{bucket}/archive",
        {"STORE_SPOOL_CLOSE_WAIT": "120", **(settings or {})},
    )
    fault.logs.append(out / "log-outage.txt")
    with open(fault.logs[-1], "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=log)
        try:
            _wait_captures(client, bucket, proc, after, timeout)
            server.stop()
            time.sleep(down)
            if proc.poll() is not None:
                raise RuntimeError("the crawl finished during the outage: it must be slower")
        finally:
            server.start()
        fault.sessions.append(proc.wait(timeout))
    return fault


def spool_full_kill(
    out: Path,
    urls: str,
    server,
    bucket: str,
    *,
    max_bytes: int = 300_000,
    settings: dict | None = None,
    timeout: float = 900,
) -> StoreFault:
    """A JOBDIR crawl into `bucket`; after its first capture the server stops and stays down
    until the spool holds STORE_SPOOL_MAX_BYTES (or the crawl says it is stopping for it), and
    then the crawl is killed with -9.  The server comes back and the same command runs to its
    end: it flushes the spool the killed crawl left, then goes on with the crawl."""
    out.mkdir(parents=True, exist_ok=True)
    client, fault = server.client(), StoreFault()
    env = _env({**server.env, "AWS_MAX_ATTEMPTS": "1"})
    cmd = crawl_command(
        out,
        urls,
        out / "job",
        f"s3://{bucket}/archive",
        {
            "STORE_SPOOL_MAX_BYTES": str(max_bytes),
            "STORE_SPOOL_CLOSE_WAIT": "120",
            **(settings or {}),
        },
    )
    fault.logs.append(out / "log-spool-full.txt")
    with open(fault.logs[-1], "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=log)
        try:
            _wait_captures(client, bucket, proc, 1, timeout)
            server.stop()
            deadline = time.monotonic() + timeout
            while proc.poll() is None and time.monotonic() < deadline:
                if _spool_bytes(out / "state") >= max_bytes or "stopping the crawl" in fault.log():
                    break
                time.sleep(0.05)
            if proc.poll() is not None:
                raise RuntimeError(
                    f"the crawl ended (exit {proc.returncode}) before the spool was full"
                )
            proc.send_signal(signal.SIGKILL)
            fault.sessions.append(proc.wait())
            fault.spooled_at_kill = _spool_bytes(out / "state")
        finally:
            server.start()
    fault.logs.append(out / "log-after-spool-full.txt")
    with open(fault.logs[-1], "w") as log:
        again = subprocess.run(cmd, cwd=ROOT, env=env, stderr=log, timeout=timeout)
        fault.sessions.append(again.returncode)
    return fault


def _spool_bytes(state: Path) -> int:
    total = 0
    for path in state.glob("*/spool/*/*.entry"):
        with contextlib.suppress(FileNotFoundError):  # flushed meanwhile
            total += path.stat().st_size
    return total


def bad_objects(store) -> list[str]:
    """Every object of the store whose bytes are not what their name or record says: a raw/
    object whose SHA-256 is not its name, a capture record whose SHA-256 is not its raw
    object's, a capture file or run summary that is not whole JSON/UTF-8, a WARC record whose
    digest does not verify.  Reading each object through an S3 store also checks the server's
    SHA-256 of it (ChecksumMode=ENABLED)."""
    from warcio.archiveiterator import ArchiveIterator

    from storage import keys

    bad = []
    for key in store.list(""):
        try:
            data = store.get(key)
        except Exception as exc:  # a checksum the client refused, a read that fails
            bad.append(f"{key}: {type(exc).__name__}: {exc}")
            continue
        if key.startswith("raw/sha256/"):
            if keys.sha256_hex(data) != key.rsplit("/", 1)[1]:
                bad.append(f"{key}: SHA-256 {keys.sha256_hex(data)}")
        elif key.endswith(("/meta.json", "/report.json", "summary.json")):
            try:
                record = json.loads(data)
            except ValueError as exc:
                bad.append(f"{key}: not JSON ({exc})")
                continue
            raw_key = record.get("raw_key") if key.endswith("/meta.json") else None
            if raw_key and keys.sha256_hex(store.get(raw_key)) != record.get("sha256"):
                bad.append(f"{key}: sha256 {record.get('sha256')} is not that of {raw_key}")
        elif key.endswith("/text.txt"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad.append(f"{key}: not UTF-8 ({exc})")
        elif key.startswith("warc/"):
            try:
                for record in ArchiveIterator(io.BytesIO(data), check_digests="raise"):
                    record.content_stream().read()
            except Exception as exc:
                bad.append(f"{key}: {type(exc).__name__}: {exc}")
    return bad


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _resumed(log_path: Path) -> int:
    return int("resuming the crawl:" in log_path.read_text(errors="replace"))


@dataclass
class Outcome:
    catalog_urls: Counter  # captures per URL in the catalog
    record_urls: Counter  # capture records (meta.json) per URL in the store
    feed_urls: Counter  # feed items per URL
    raw_keys: set[str]
    warc_urls: Counter  # response + revisit records per target URI
    dangling_revisits: int  # WARC-Refers-To naming no stored record
    dangling_catalog: int  # catalog rows naming a missing WARC file or wrong offset
    orphans: int  # records without rows, rows without records, pending captures
    feed_broken_lines: int


def outcome(out: Path, store_uri: str | None = None) -> Outcome:
    """What the crawl(s) into `out` left; `store_uri` for a store other than out/store (S3: its
    endpoint and credentials in this process's environment)."""
    from warcio.archiveiterator import ArchiveIterator

    from storage import open_store

    store = open_store(store_uri or f"file://{out / 'store'}")
    [catalog_path] = (out / "state").glob("*/catalog.sqlite")
    db = sqlite3.connect(catalog_path)
    rows = db.execute(
        "SELECT capture, url, warc_key, warc_offset, warc_record_id FROM captures"
    ).fetchall()
    pending = db.execute("SELECT COUNT(*) FROM pending_captures").fetchone()[0]
    db.close()
    records = {}
    for key in store.list("pages/"):
        if key.endswith("/meta.json"):
            records[key.rpartition("/")[0]] = json.loads(store.get(key))["url"]
    ids, offsets, refers, warc_urls = set(), {}, [], Counter()
    for key in store.list("warc/"):
        stream = ArchiveIterator(io.BytesIO(store.get(key)))
        for record in stream:
            headers = record.rec_headers
            if record.rec_type in ("response", "revisit"):
                ids.add(headers.get_header("WARC-Record-ID"))
                offsets[(key, stream.get_record_offset())] = headers.get_header("WARC-Record-ID")
                warc_urls[headers.get_header("WARC-Target-URI")] += 1
                if record.rec_type == "revisit":
                    refers.append(headers.get_header("WARC-Refers-To"))
    feed_urls, broken = Counter(), 0
    feed = out / "items.jsonl"
    for line in feed.read_text(encoding="utf-8").splitlines() if feed.exists() else []:
        try:
            feed_urls[json.loads(line)["url"]] += 1
        except (ValueError, KeyError):
            broken += 1
    captures = {capture for capture, *_ in rows}
    return Outcome(
        catalog_urls=Counter(url for _, url, *_ in rows),
        record_urls=Counter(records.values()),
        feed_urls=feed_urls,
        raw_keys=set(store.list("raw/")),
        warc_urls=warc_urls,
        dangling_revisits=sum(1 for r in refers if r not in ids),
        dangling_catalog=sum(
            1
            for _, _, key, offset, rid in rows
            if key is not None and offsets.get((key, offset)) != rid
        ),
        orphans=len(set(records) - captures) + len(captures - set(records)) + pending,
        feed_broken_lines=broken,
    )


@dataclass
class Comparison:
    reports: int  # report URLs of the clean crawl
    lost_store: int  # clean-crawl reports missing from the catalog / store
    lost_feed: int  # … missing from the feed
    archived_twice: int  # URLs with more captures or WARC records than in the clean crawl
    feed_duplicates: int  # feed items beyond one per URL
    raw_missing: int
    dangling_warc: int
    orphans: int
    broken_feed_lines: int

    @property
    def ok(self) -> bool:
        return not (
            self.lost_store
            or self.lost_feed
            or self.archived_twice
            or self.raw_missing
            or self.dangling_warc
            or self.orphans
            or self.broken_feed_lines
        )


def compare(clean: Outcome, killed: Outcome) -> Comparison:
    reports = set(clean.catalog_urls)
    twice = {
        u
        for u in set(killed.catalog_urls) | set(killed.record_urls)
        if killed.catalog_urls[u] > clean.catalog_urls[u]
        or killed.record_urls[u] > clean.record_urls[u]
    }
    twice |= {u for u in killed.warc_urls if killed.warc_urls[u] > clean.warc_urls[u]}
    return Comparison(
        reports=len(reports),
        lost_store=len(reports - set(killed.catalog_urls))
        + len(set(clean.record_urls) - set(killed.record_urls)),
        lost_feed=len(set(clean.feed_urls) - set(killed.feed_urls)),
        archived_twice=len(twice),
        feed_duplicates=sum(killed.feed_urls.values()) - len(killed.feed_urls),
        raw_missing=len(clean.raw_keys - killed.raw_keys),
        dangling_warc=killed.dangling_revisits + killed.dangling_catalog,
        orphans=killed.orphans,
        broken_feed_lines=killed.feed_broken_lines,
    )


def run(out: Path, urls: str, kills: int, seed: int) -> tuple[Comparison, KilledRun, float]:
    seconds = clean_crawl(out / "clean", urls)
    clean = outcome(out / "clean")
    killed = killed_crawl(out / "killed", urls, kills, sum(clean.feed_urls.values()), seed)
    return compare(clean, outcome(out / "killed")), killed, seconds


def main() -> None:
    import tempfile

    from simulator import Simulator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--portals", default=None, help='"all" for the fixture matrix too')
    parser.add_argument(
        "--no-store-faults",
        action="store_true",
        help="leave out S3 stopped mid-crawl and kill -9 with the spool full",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        type=Path,
        help="work in DIR and keep it (logs, stores, state) instead of a temporary directory",
    )
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    workdir = contextlib.nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory()
    with workdir as tmp, Simulator(portals=args.portals).running() as live:
        urls = ",".join(p.root_url for p in live.portals)
        result, killed, seconds = run(Path(tmp), urls, args.kills, args.seed)
        rerun_at = killed_then_rerun(Path(tmp) / "rerun", urls, result.reports, args.seed)
        rerun = outcome(Path(tmp) / "rerun")
        missing = set(outcome(Path(tmp) / "clean").catalog_urls) - set(rerun.catalog_urls)
        print(
            f"fault injection: {len(killed.kills)} kill -9 at random points of a JOBDIR crawl "
            f"(clean crawl {seconds:.0f} s), {killed.sessions} sessions, "
            f"{killed.resumed_logged} logged how many requests they resumed"
        )
        for name, value in vars(result).items():
            print(f"  {name:<18} {value}")
        print("  result:", "OK" if result.ok else "FAILED", flush=True)
        print(
            f"without JOBDIR: kill -9 after {rerun_at:.1f} s, then a plain re-run: "
            f"{rerun.dangling_revisits} revisits and {rerun.dangling_catalog} catalog rows "
            f"pointing at a missing WARC record, {rerun.orphans} orphan records, "
            f"{len(missing)} reports missing",
            flush=True,
        )
        store_ok = True if args.no_store_faults else store_faults(Path(tmp), urls)
    if len(killed.kills) < args.kills:
        print(f"  FAILED: the crawl finished after {len(killed.kills)} of {args.kills} kills")
    rerun_ok = not (rerun.dangling_revisits or rerun.dangling_catalog or rerun.orphans or missing)
    if len(killed.kills) < args.kills or not result.ok or not rerun_ok or not store_ok:
        sys.exit(1)


def store_faults(tmp: Path, urls: str) -> bool:
    """S3 stopped mid-crawl and back, and kill -9 with the spool full, on a SeaweedFS server,
    each against the clean crawl already in tmp/clean; prints one figure line each."""
    from storage import open_store
    from storage.seaweed import SeaweedServer

    clean, ok = outcome(tmp / "clean"), True
    with SeaweedServer(tmp / "seaweedfs") as s3:
        os.environ.update(s3.env)  # outcome() and bad_objects() read the bucket from here
        for name, run_fault in (
            ("outage", lambda b: s3_outage(tmp / b, urls, s3, b, after=10, down=10)),
            ("spool-full", lambda b: spool_full_kill(tmp / b, urls, s3, b, max_bytes=1_000_000)),
        ):
            s3.create_bucket(name)
            fault = run_fault(name)
            uri = f"s3://{name}/archive"
            got = compare(clean, outcome(tmp / name, uri))
            store = open_store(uri)
            objects, bad = sum(1 for _ in store.list("")), bad_objects(store)
            what = (
                "S3 (SeaweedFS) stopped for 10 s mid-crawl, then started again"
                if name == "outage"
                else f"kill -9 with the spool full ({fault.spooled_at_kill} bytes spooled, "
                "STORE_SPOOL_MAX_BYTES=1000000), then the same command"
            )
            print(
                f"{what}: exit status {fault.sessions}; reports lost {got.lost_store} "
                f"(feed {got.lost_feed}), archived twice {got.archived_twice}, feed duplicates "
                f"{got.feed_duplicates}, dangling WARC references {got.dangling_warc}, orphans "
                f"{got.orphans}; objects with a wrong checksum {len(bad)} of {objects}"
                + "".join(f"\n    {b}" for b in bad[:5])
            )
            ok = ok and got.ok and not got.feed_duplicates and not bad and fault.sessions[-1] == 0
    return ok


if __name__ == "__main__":
    main()
