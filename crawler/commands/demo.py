"""`scrapy demo`: crawl the bundled portal simulator into the store and print what was found.

This is what `make demo` runs. The simulator listens on 127.0.0.1 only; nothing else is
contacted.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from scrapy.commands import ScrapyCommand

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
    }

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Crawl the bundled portal simulator into STORE_URI and print a summary"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument("--items", default="data/demo-items.jsonl",
                            help="where to write the exported items (default: %(default)s)")

    def process_options(self, args, opts):
        super().process_options(args, opts)
        # default_settings would rank below the project's settings.py; "project" priority
        # replaces those and still yields to the user's own -s options.
        self.settings.setdict(self.demo_settings, priority="project")

    def run(self, args, opts):
        from simulator import Simulator

        items_path = Path(opts.items)
        items_path.parent.mkdir(parents=True, exist_ok=True)
        self.settings.set("FEEDS", {str(items_path): {"format": "jsonlines", "overwrite": True}},
                          priority="cmdline")
        sites_path = items_path.parent / "simulator-sites.json"
        with Simulator().running() as live:
            print("portal simulator:")
            for portal in live.portals:
                print(f"  {portal.name:<24} {portal.family:<8} {portal.root_url}")
            # Register the simulator's portals (their ports change every run) and crawl them by
            # name, the way an operator crawls registry sites.
            sites_path.write_text(json.dumps([
                {"name": p.name, "region": "portal simulator", "level": "county",
                 "start_url": p.root_url, "family": p.family} for p in live.portals
            ], ensure_ascii=False, indent=1), encoding="utf-8")
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
        items = [json.loads(line) for line in items_path.read_text(encoding="utf-8").splitlines() if line]
        found = {item["url"] for item in items}
        print(f"  ground truth: {len(found & truth)} of {len(truth)} simulator reports found, "
              f"{len(found - truth)} pages archived that are not reports")
        templates = Counter((item.get("report") or {}).get("template") for item in items)
        print(f"  templates: {dict(templates)}")
        print()
        print(f"store:   {summary['store']}  (raw/, pages/, runs/{run_id}/summary.json)")
        print(f"items:   {items_path}")
        if found != truth:
            self.exitcode = 1
