"""`scrapy crawl`, with the exit status a scheduler can act on (crawler/exitcodes.py).

Scrapy's own command exits 0 unless the crawler could not be built.  This one first checks
the configuration (STORE_URI opens and its store answers; CLUSTER_REDIS_URL, when set, is a
Redis that answers) and stops before any request with
one line naming the setting and the fix; after the crawl it exits with the status the run
summary decided (a portal that yielded nothing, writes still spooled, a crawl stopped early).
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from crawler import cluster, exitcodes, limits
from pipelines.store import preflight


class Command(ScrapyCrawl):
    def _create_crawler(self, spname):
        self.crawler = super()._create_crawler(spname)
        return self.crawler

    def run(self, args, opts) -> None:
        assert self.settings is not None  # scrapy's cmdline sets it before run()
        problem = (
            limits.problem(self.settings)
            or cluster.preflight(self.settings)
            or preflight(self.settings)
        )
        if problem is not None:
            sys.stderr.write(f"nianbao: not crawling: {problem}\n")
            self.exitcode = exitcodes.CONFIG
            return
        super().run(args, opts)
        if self.exitcode:
            return  # Scrapy's own: the crawler could not be built
        stats = self.crawler.stats
        # As the run summary decided it, with the spool as it stands after the store closed
        # (the summary's own write may be the one left), and also with the summary off.
        status, reasons = exitcodes.exit_status(
            stats.get_value("finish_reason", "finished"),
            exitcodes.portal_counts(self.crawler),
            stats.get_value("nianbao/store/left_in_spool", 0),
            stats.get_value("nianbao/monitors/results") or [],
        )
        self.exitcode = status
        if status:
            sys.stderr.write(f"nianbao: crawl exit status {status}: {'; '.join(reasons)}\n")
