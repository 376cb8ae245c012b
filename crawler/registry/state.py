"""What crawls learned about registry entries, kept apart from the registry's source data.

``counties.csv`` says what a public list says; this file says what happened when we went
there: the CMS family the root page showed, what robots.txt answered, the root's last status
and how many reports the run found.  One JSON object, ``REGISTRY_STATE_FILE`` (default
``STATE_DIR/registry-state.json``), rewritten at the end of every crawl by the run summary
(``crawler.extensions.RunSummary``), read by ``scrapy sites --failed``::

    {"last_run": {"run_id": "...", "finished_at": "...", "sites": ["370112", ...]},
     "sites": {"370112": {"root_url": "...", "root_status": 200, "root_ok": true,
                          "root_error": null, "family": "hanweb", "robots_txt": 404,
                          "robots_obeyed": true, "robots_reason": "", "reports": 12,
                          "last_run": "...", "checked_at": "..."}}}

A root "failed" when no response came back for it (DNS, refused, timeout, robots.txt
forbids it), or the response was an HTTP error (4xx/5xx).

A crawl resumed from a JOBDIR does not fetch again the roots its killed sessions fetched, so
each observation is also appended to ``JOBDIR/roots.jsonl`` as it is made, and read back when
the crawl resumes: the state written at the end covers every session of the run.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.job import job_dir

from .. import settings as defaults
from ..families import detect_family

logger = logging.getLogger(__name__)

STATE_FILENAME = "registry-state.json"
#: in JOBDIR: one JSON line per root observation, so a resumed crawl knows its earlier sessions'
ROOTS_JOURNAL = "roots.jsonl"


def state_path(settings) -> Path:
    """``REGISTRY_STATE_FILE``, or ``registry-state.json`` in ``STATE_DIR``."""
    configured = settings.get("REGISTRY_STATE_FILE")
    if configured:
        return Path(configured)
    return Path(settings.get("STATE_DIR") or defaults.STATE_DIR) / STATE_FILENAME


def read_state(path: Path) -> dict[str, Any]:
    """The state file's content; an empty state when there is none yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"last_run": None, "sites": {}}
    except ValueError as exc:
        raise ValueError(
            f"registry state {path} is not JSON ({exc}); move it aside and the "
            f"next crawl writes a new one"
        ) from None
    data.setdefault("last_run", None)
    data.setdefault("sites", {})
    return data


def _write_atomically(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)


def failed_roots(state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The entries of the last run whose root failed, by site name."""
    last = state.get("last_run") or {}
    run_id = last.get("run_id")
    return [
        (name, entry)
        for name, entry in sorted(state.get("sites", {}).items())
        if entry.get("last_run") == run_id and not entry.get("root_ok")
    ]


@dataclass
class _Root:
    url: str
    status: int | None = None
    final_url: str | None = None
    family: str | None = None
    robots_txt: int | None = None
    error: str | None = None


@dataclass
class RootWatch:
    """Watches one crawl's responses for its portals' roots and robots.txt, and writes what it
    saw into the state file when the crawl ends (RunSummary owns one and calls ``write``)."""

    crawler: Any
    roots: dict[str, _Root] = field(default_factory=dict)  # portal -> its root
    _by_url: dict[str, str] = field(default_factory=dict)  # root URL -> portal
    _by_host: dict[str, list[str]] = field(default_factory=dict)  # host -> portals
    _journal_path: Path | None = None

    def connect(self) -> None:
        self.crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        self.crawler.signals.connect(self.response_received, signal=signals.response_received)

    def spider_opened(self, spider) -> None:
        for url, portal, _family in getattr(spider, "targets", ()):
            self.roots[portal] = _Root(url)
            self._by_url[url] = portal
            self._by_host.setdefault(urlsplit(url).netloc.lower(), []).append(portal)
        self._journal_path = self._journal()
        if self._journal_path is not None:
            self._replay(self._journal_path)

    def _journal(self) -> Path | None:
        jobdir = job_dir(self.crawler.settings)
        return Path(jobdir) / ROOTS_JOURNAL if jobdir else None

    def _replay(self, path: Path) -> None:
        """Take back what earlier sessions of this JOBDIR saw (a line cut by a kill is skipped)."""
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                seen = json.loads(line)
                root = self.roots[seen.pop("portal")]
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
            for name in ("status", "final_url", "family", "robots_txt"):
                if name in seen:
                    setattr(root, name, seen[name])

    def _record(self, portal: str, **seen: Any) -> None:
        if self._journal_path is None:
            return
        try:
            self._journal_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self._journal_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"portal": portal, **seen}, ensure_ascii=False) + "\n")
        except OSError as exc:  # the end-of-run state still holds this session's view
            logger.warning("could not append to %s: %s", self._journal_path, exc)

    def response_received(self, response: Response, request: Request, spider=None) -> None:
        if urlsplit(request.url).path == "/robots.txt":
            for portal in self._by_host.get(urlsplit(request.url).netloc.lower(), ()):
                if self.roots[portal].robots_txt != response.status:
                    self.roots[portal].robots_txt = response.status
                    self._record(portal, robots_txt=response.status)
            return
        # the root as requested, or reached from it through redirects
        asked = (request.meta.get("redirect_urls") or [request.url])[0]
        owner = self._by_url.get(asked)
        if owner is None or request.meta.get("nb_hops", 0) != 0:
            return
        root = self.roots[owner]
        if root.status is not None and root.status < 400:
            return  # a later retry through the browser does not overwrite a good answer
        root.status = response.status
        root.final_url = response.url
        if isinstance(response, TextResponse):
            root.family = detect_family(response.text)
        self._record(owner, status=root.status, final_url=root.final_url, family=root.family)

    def entries(self, run_id: str, finished_at: str) -> dict[str, dict[str, Any]]:
        spider = self.crawler.spider
        stats = self.crawler.stats
        robots_off = dict(getattr(spider, "robots_off", None) or {})
        obey = bool(self.crawler.settings.getbool("ROBOTSTXT_OBEY"))
        out = {}
        for portal, root in self.roots.items():
            ok = root.status is not None and root.status < 400
            error = None
            if root.status is None:
                error = (
                    "no response (DNS, connection, timeout, or robots.txt forbids the "
                    "root); the crawl log names the reason"
                )
            elif not ok:
                error = f"HTTP {root.status}"
            out[portal] = {
                "root_url": root.url,
                "final_url": root.final_url,
                "root_status": root.status,
                "root_ok": ok,
                "root_error": error,
                "family": root.family,
                "robots_txt": root.robots_txt,
                "robots_obeyed": obey and portal not in robots_off,
                "robots_reason": robots_off.get(portal, ""),
                # a resumed run's earlier sessions count too (set from the catalog at the close)
                "reports": max(
                    stats.get_value(f"nianbao/reports/{portal}", 0),
                    stats.get_value(f"nianbao/run_reports/{portal}", 0),
                ),
                "last_run": run_id,
                "checked_at": finished_at,
            }
        return out

    def write(self, run_id: str) -> tuple[Path, list[str]]:
        """Merge this run's entries into the state file (other entries keep what they had);
        return its path and the portals whose root failed."""
        path = state_path(self.crawler.settings)
        finished_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        state = read_state(path)
        entries = self.entries(run_id, finished_at)
        state["sites"].update(entries)
        state["last_run"] = {
            "run_id": run_id,
            "finished_at": finished_at,
            "sites": sorted(self.roots),
        }
        _write_atomically(path, state)
        return path, sorted(name for name, entry in entries.items() if not entry["root_ok"])
