"""What the spider made of a report page, kept so the same page is not read again.

Deciding what a page is (``discovery.kinds.decide``) and finding its 附件 (``links_in``) are
the spider's dearest work on a report page, tens of milliseconds each, and on a re-crawl of an
unchanged portal every report page is the page of the last crawl: a 304 rebuilt from the
stored bytes (crawler/recrawl.py), or a 200 with the same body.  So the spider keeps, for every
page it judged a report, what it read from it (``KnownReport``: the verdict, the content key
that finds copies, the attachment links) in ``VerdictMemo``, a SQLite file beside the catalog
(``STATE_DIR/<store id>/verdicts.sqlite``), and a page met again reads its entry instead.

An entry is found by what the reading depends on, never by the URL alone (``page_key``): the
URL the page was answered for, its declared Content-Type, the link text that led to it (a
file's verdict is its link's), the bytes the spider parses (the first ``MAX_PAGE_BYTES``, by
their SHA-256: for a page no longer than that, the body's digest, which the item carries on to
the archive instead of hashing the page again) and the version of the code that read them (a
hash of the ``crawler`` and ``reports`` sources).  A page that changed by one byte, or a
crawler that changed by one line, is read afresh; so are
pages the memo never held (listings, articles: they are walked, and a page that was no report
is judged again).  The memo is a cache: a lost or unreadable file costs time, never a report.
``RECRAWL_REUSE_VERDICTS`` (on) switches it off.  Stat: ``nianbao/recrawl/verdicts_reused``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from scrapy import signals

from crawler import settings as defaults

from .discovery.kinds import Verdict

logger = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parent.parent
#: the packages whose code decides what a page is and which files it links
_READERS = ("crawler", "reports")
#: the layout of the memo's table (PRAGMA user_version); a file of another layout is made anew
_SCHEMA = 2
#: entries written at once (the spider's writes are batched; the memo is only a cache)
_BATCH = 64


@functools.cache
def code_version() -> str:
    """A digest of the reading code: an entry made by other code is not trusted."""
    digest = hashlib.sha256()
    for package in _READERS:
        for path in sorted((_ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(url: str, content_type: str, anchor: str, parsed_sha256: str) -> str:
    """The key of one reading: everything the verdict and the attachment links are made of.

    The bytes the spider parses come in as their SHA-256 (``parsed_sha256``), so a page's
    bytes are hashed once: for a page up to MAX_PAGE_BYTES they are its whole body, and the
    same digest is the one archived (storage.keys.note_body_sha256)."""
    digest = hashlib.sha256()
    for part in (code_version(), url, content_type, anchor, parsed_sha256):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class KnownReport:
    """A report page as the spider read it: what made it a report, and what it links."""

    verdict: Verdict
    content_key: str  # two URLs with one key serve one report (crawler/spiders/portal.py)
    attachment_links: tuple[tuple[str, str], ...]  # (URL, link text), before the scope check

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> KnownReport:
        data = json.loads(text)
        return cls(
            Verdict(**data["verdict"]),
            data["content_key"],
            tuple((url, link) for url, link in data["attachment_links"]),
        )


class VerdictMemo:
    """Known reports by ``page_key``, in a SQLite file; writes wait for a batch or the close."""

    def __init__(self, path: Path):
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}
        self._broken = False

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=OFF")  # a cache: a lost write costs a re-read
                if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
                    db.execute("DROP TABLE IF EXISTS known_reports")  # a cache: made anew
                    db.execute(f"PRAGMA user_version = {_SCHEMA}")
                db.execute(
                    "CREATE TABLE IF NOT EXISTS known_reports "
                    "(key TEXT PRIMARY KEY, version TEXT NOT NULL, reading TEXT NOT NULL)"
                )
                # other code's entries are never found again (the version is in every key):
                # dropped, so the file holds one crawler's readings, not every one's
                db.execute("DELETE FROM known_reports WHERE version != ?", (code_version(),))
                self._db = db
            except (OSError, sqlite3.Error) as exc:
                self._failed("open", exc)
        return self._db

    def _failed(self, what: str, exc: Exception) -> None:
        logger.warning(
            "verdict memo %s: cannot %s it (%s); report pages are read afresh (delete the file "
            "if it is damaged)",
            self.path,
            what,
            exc,
        )
        self._broken = True
        self._db = None

    def get(self, key: str) -> KnownReport | None:
        text = self._pending.get(key)
        if text is None:
            db = self._connection()
            if db is None:
                return None
            try:
                row = db.execute(
                    "SELECT reading FROM known_reports WHERE key = ?", (key,)
                ).fetchone()
            except sqlite3.Error as exc:
                self._failed("read", exc)
                return None
            if row is None:
                return None
            text = row[0]
        try:
            return KnownReport.from_json(text)
        except (ValueError, KeyError, TypeError) as exc:
            logger.debug("verdict memo %s: entry %s unreadable (%s)", self.path, key, exc)
            return None

    def put(self, key: str, known: KnownReport) -> None:
        self._pending[key] = known.to_json()
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        version = code_version()
        rows = [(key, version, text) for key, text in self._pending.items()]
        self._pending = {}
        db = self._connection()
        if db is None:
            return
        try:
            db.execute("BEGIN")
            db.executemany(
                "INSERT OR REPLACE INTO known_reports (key, version, reading) VALUES (?, ?, ?)",
                rows,
            )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._failed("write", exc)

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


def verdict_memo(crawler) -> VerdictMemo | None:
    """The crawl's memo, beside its catalog; None when verdicts are not reused or the crawl
    keeps no store (no state directory to keep them in)."""
    if not hasattr(crawler, "_nianbao_verdicts"):
        memo = None
        storage = getattr(crawler, "_nianbao_storage", None)
        on = crawler.settings.getbool("RECRAWL_REUSE_VERDICTS", defaults.RECRAWL_REUSE_VERDICTS)
        if on and storage is not None:
            memo = VerdictMemo(storage.state_dir / "verdicts.sqlite")
            crawler.signals.connect(memo.close, signal=signals.spider_closed, weak=False)
        crawler._nianbao_verdicts = memo
    return crawler._nianbao_verdicts
