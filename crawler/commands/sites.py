"""`scrapy sites`: the registry entries a crawl would select, one JSON object a line.

    scrapy sites [--region CODE[,CODE]] [--level LEVEL] [--site NAME[,NAME]]
    scrapy sites --failed        entries whose root failed in the last crawl (registry state;
                                 without a filter also the -a url= roots, by host)

The same selection as ``scrapy crawl portal -a region=… -a level=… -a site=…``
(``crawler.registry.select``); ``SITES_FILE`` entries are included.  Each line has ``code``,
``name``, ``site`` (the name ``-a site=`` takes), ``level``, ``kind``, ``province``,
``prefecture``, ``url`` (null when no public list gives one) and, where there is one, the
state a crawl recorded (``state``).
"""

from __future__ import annotations

import json
import os
import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.registry import RegistryError, UnknownSiteError, select
from crawler.registry.state import failed_roots, read_state, state_path


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--region CODE] [--level LEVEL] [--site NAME] [--failed]"

    def short_desc(self) -> str:
        return "Print the registry entries a crawl selects (or whose root failed last time)"

    def add_options(self, parser):
        super().add_options(parser)
        parser.add_argument(
            "--region", help="GB/T 2260 prefixes: 37 (山东省), 3701 (济南市), 370112"
        )
        parser.add_argument(
            "--level",
            help="county / township / department, or a kind: 县, 市辖区, "
            "县级市, 自治县, 旗, 自治旗, 特区, 林区",
        )
        parser.add_argument("--site", help="names: a county's code or name, or a SITES_FILE entry")
        parser.add_argument(
            "--failed", action="store_true", help="only entries whose root failed in the last crawl"
        )

    def run(self, args, opts):
        if args:
            raise UsageError(f"unexpected arguments {' '.join(args)}; use --region/--level/--site")
        extra = [self.settings.get("SITES_FILE")] if self.settings.get("SITES_FILE") else []
        try:
            sites = select(region=opts.region, level=opts.level, site=opts.site, extra=extra)
            state = read_state(state_path(self.settings))
        except (RegistryError, UnknownSiteError, ValueError) as exc:
            print(f"scrapy sites: {exc}", file=sys.stderr)
            self.exitcode = 2
            return
        known = state.get("sites", {})
        lines = []
        if opts.failed:
            failed = dict(failed_roots(state))
            lines = [site.as_json() for site in sites if site.name in failed]
            if not (opts.region or opts.level or opts.site):
                # roots crawled by -a url= are in no registry: name them by host
                listed = {site.name for site in sites}
                lines += [
                    {
                        "code": None,
                        "name": name,
                        "site": name,
                        "level": None,
                        "kind": None,
                        "province": None,
                        "prefecture": None,
                        "url": entry.get("root_url"),
                    }
                    for name, entry in failed.items()
                    if name not in listed
                ]
        else:
            lines = [site.as_json() for site in sites]
        try:
            for line in lines:
                if line["site"] in known:
                    line["state"] = known[line["site"]]
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # `scrapy sites | head`: the reader has what it wanted
            # the recipe of the Python docs (signal module): no second error at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
