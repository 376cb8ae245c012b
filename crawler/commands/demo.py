"""`scrapy demo`: crawl the bundled portal simulator into the store and print what was found.

This is what `make demo` runs. The simulator listens on 127.0.0.1 only; nothing else is
contacted.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections import Counter
from pathlib import Path

from scrapy.commands import ScrapyCommand

from crawler import settings as defaults
from crawler.extensions import format_summary
from pipelines.store import crawler_store
from storage import keys


class Command(ScrapyCommand):
    requires_project = True
    # The simulator is local and ours, so politeness delays would only slow the demo down.
    # Real portals keep the polite defaults of crawler/settings.py.
    demo_settings = {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "LOG_LEVEL": "WARNING",
        "RUN_REPORT_LOG_ALWAYS": False,  # the demo prints the run report itself
    }

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Crawl the bundled portal simulator into STORE_URI and print a summary"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument(
            "--items",
            default="data/demo-items.jsonl",
            help="where to write the exported items (default: %(default)s)",
        )
        parser.add_argument(
            "--s3",
            action="store_true",
            help="archive into a local SeaweedFS S3 server on 127.0.0.1 (started and stopped "
            "here, data in .nianbao/seaweedfs) through boto3, instead of the directory",
        )
        parser.add_argument(
            "--base-port",
            type=int,
            default=None,
            help="the simulator's portals listen on this plus a fixed offset "
            "each, the same on every run, so a second demo re-crawls the "
            "same URLs (default: 8100, simulator/ports.py; 0: free ports)",
        )

    def process_options(self, args, opts):
        super().process_options(args, opts)
        # default_settings would rank below the project's settings.py; "project" priority
        # replaces those and still yields to the user's own -s options.
        self.settings.setdict(self.demo_settings, priority="project")

    def run(self, args, opts):
        items_path = Path(opts.items)
        items_path.parent.mkdir(parents=True, exist_ok=True)
        self.settings.set(
            "FEEDS",
            {str(items_path): {"format": "jsonlines", "overwrite": True}},
            priority="cmdline",
        )
        sites_path = items_path.parent / "simulator-sites.json"
        with contextlib.ExitStack() as stack:
            # Beside the catalog and spool, not in ./data: that directory is the file store.
            seaweed_dir = Path(self.settings.get("STATE_DIR") or defaults.STATE_DIR) / "seaweedfs"
            s3 = stack.enter_context(self._local_s3(seaweed_dir)) if opts.s3 else None
            self._run(opts, items_path, sites_path, s3)

    @contextlib.contextmanager
    def _local_s3(self, data_dir: Path):
        """SeaweedFS with the store's bucket; boto3 in this process finds it through the
        environment."""
        from storage.seaweed import SeaweedServer

        with SeaweedServer(data_dir) as server:
            server.create_bucket("nianbao")
            saved = {
                name: os.environ.get(name)
                for name in (*server.env, "AWS_PROFILE", "AWS_ENDPOINT_URL_S3")
            }
            os.environ.update(server.env)
            for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL_S3"):
                os.environ.pop(name, None)
            self.settings.set("STORE_URI", "s3://nianbao/demo", priority="cmdline")
            try:
                yield server
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value

    def _run(self, opts, items_path: Path, sites_path: Path, s3) -> None:
        from simulator import Simulator
        from simulator.ports import DEFAULT_BASE_PORT

        base = DEFAULT_BASE_PORT if opts.base_port is None else opts.base_port
        with contextlib.ExitStack() as stack:
            try:
                live = stack.enter_context(Simulator(base_port=base).running())
            except OSError as exc:  # a fixed port taken: one line, and the way out
                print(exc.strerror or exc)
                self.exitcode = 2
                return
            print("portal simulator:")
            for portal in live.portals:
                print(f"  {portal.name:<24} {portal.family:<8} {portal.root_url}")
            # Register the simulator's portals (on fixed ports: a second demo finds its reports
            # unchanged) and crawl them by name, the way an operator crawls registry sites.
            sites_path.write_text(
                json.dumps(
                    [
                        {
                            "name": p.name,
                            "region": "portal simulator",
                            "level": "county",
                            "start_url": p.root_url,
                            "family": p.family,
                        }
                        for p in live.portals
                    ],
                    ensure_ascii=False,
                    indent=1,
                ),
                encoding="utf-8",
            )
            self.settings.set("SITES_FILE", str(sites_path), priority="cmdline")
            crawler = self.crawler_process.create_crawler("portal")
            self.crawler_process.crawl(crawler, site=",".join(p.name for p in live.portals))
            self.crawler_process.start()
            truth = {r.url for r in live.reports}

        run_id = crawler.stats.get_value("nianbao/run_id")
        if not run_id:
            print("the crawl did not finish; see the log above")
            self.exitcode = 1
            return
        store = crawler_store(crawler)
        summary = json.loads(store.get(keys.run_summary_key(run_id)))
        print()
        print(format_summary(summary))
        items = [
            json.loads(line) for line in items_path.read_text(encoding="utf-8").splitlines() if line
        ]
        found = {item["url"] for item in items}
        print(
            f"  ground truth: {len(found & truth)} of {len(truth)} simulator reports found, "
            f"{len(found - truth)} pages archived that are not reports"
        )
        templates = Counter((item.get("report") or {}).get("template") for item in items)
        print(f"  templates: {dict(templates)}")
        print()
        print(
            f"store:   {summary['store']}  (raw/, pages/, warc/{run_id}/, "
            f"runs/{run_id}/summary.json)"
        )
        if s3 is not None:
            counts = Counter(key.split("/", 1)[0] for key in store.list())
            print(
                f"S3:      SeaweedFS at {s3.endpoint} (weed mini, data in {s3.data_dir}): "
                + ", ".join(f"{n} objects under {top}/" for top, n in sorted(counts.items()))
            )
        print(f"items:   {items_path}")
        if found != truth:
            self.exitcode = 1
