"""`scrapy snapshot OUT`: a researcher's snapshot of the project's store (STORE_URI).

The same command as `python -m storage snapshot OUT` (storage/snapshot/cli.py), with the
store, the catalog's STATE_DIR and the registry's SITES_FILE taken from the Scrapy settings.
"""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler import settings as defaults

# storage.snapshot is imported only when this command runs: Scrapy imports every command
# module for every command, and its pyarrow (and numpy) would sit in every crawl's memory.


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return (
            "OUT [--years 2019-2023] [--region CODE|NAME] [--level LEVEL] [--as-of TIME] [options]"
        )

    def short_desc(self) -> str:
        return (
            "Snapshot STORE_URI (one report per body and year) into a directory or a store prefix"
        )

    def add_options(self, parser):
        super().add_options(parser)
        from storage.snapshot import cli

        cli.add_arguments(parser)

    def process_options(self, args, opts):
        super().process_options(args, opts)
        # Above settings.py's LOG_LEVEL, below the user's -s: a snapshot prints no crawl log.
        self.settings.set("LOG_LEVEL", "WARNING", priority="project")

    def run(self, args, opts):
        if args:
            raise UsageError(f"unexpected arguments {' '.join(args)!r}; give one OUT")
        from storage.snapshot import QueryError, cli

        try:
            self.exitcode = cli.run(
                opts,
                self.settings.get("STORE_URI"),
                self.settings.get("STATE_DIR") or defaults.STATE_DIR,
                [self.settings.get("SITES_FILE") or ""],
            )
        except (QueryError, FileExistsError) as exc:
            print(exc)
            self.exitcode = 2
