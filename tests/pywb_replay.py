"""Replay our WARC files in pywb: `make pywb-check` (not part of `make test`).

pywb 2.10.0 cannot share the project's environment: it pins cryptography below the version
Scrapy's stack installs and its brotlipy shadows the `brotli` module Scrapy decompresses with.
So `make pywb-check` gives it a venv of its own (.venv-pywb) and runs this script, which
crawls the simulator twice into a temp store (responses, then revisits), indexes the WARC files
with `wb-manager`, serves them with `wayback` on 127.0.0.1 and fetches every report in id_
mode (the archived body, untouched) near each crawl's time: every body must hash to a SHA-256
the capture records hold.

    python tests/pywb_replay.py PYWB_BIN_DIR
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Simulator  # noqa: E402
from storage import open_store  # noqa: E402
from storage.seaweed import free_ports  # noqa: E402
from tests.conftest import run_crawl  # noqa: E402


def main(pywb_bin: Path) -> int:
    work = Path(tempfile.mkdtemp(prefix="pywb-check-"))
    settings = {"STORE_URI": f"file://{work / 'store'}", "STATE_DIR": str(work / "state")}
    with Simulator().running() as live:
        roots = "url=" + ",".join(p.root_url for p in live.portals)
        for run in ("first", "second"):
            result = run_crawl(work / run, roots, settings=settings)
            if result.returncode != 0:
                print(result.log[-3000:])
                return 1
        urls = [r.url for r in live.reports]
    store = open_store(settings["STORE_URI"])
    sha256 = {}
    for key in store.list("pages/"):
        if key.endswith("/meta.json"):
            record = json.loads(store.get(key))
            sha256.setdefault(record["url"], set()).add(record["sha256"])
    warcs = [str(work / "store" / key) for key in store.list("warc/")]
    subprocess.run(
        [str(pywb_bin / "wb-manager"), "init", "nb"], cwd=work, check=True, capture_output=True
    )
    subprocess.run(
        [str(pywb_bin / "wb-manager"), "add", "nb", *warcs],
        cwd=work,
        check=True,
        capture_output=True,
    )
    [port] = free_ports(1)
    server = subprocess.Popen(
        [str(pywb_bin / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        good = bad = 0
        for when in ("2000", "2999"):  # nearest the response records, nearest the revisits
            for url in urls:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/nb/{when}id_/{url}") as resp:
                    ok = hashlib.sha256(resp.read()).hexdigest() in sha256[url]
                good, bad = good + ok, bad + (not ok)
    finally:
        server.terminate()
        server.wait()
    print(
        f"pywb replayed {good} of {good + bad} captures byte for byte ({len(urls)} reports, "
        "responses "
        f"and revisits) from {len(warcs)} WARC files"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]).resolve()))
