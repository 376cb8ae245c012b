"""`python -m reports.normalize PATH…`: one JSON report per line.

Files are read the way the crawl reads what a portal serves: an HTML page through
reports.extract (main content, title, metadata header); a PDF, DOC, DOCX, XLS(X), WPS, RTF
or MHT document through the crawl's own attachment converters (in a bounded child process);
a text file through the project's decoder, its metadata header read off its top.

A file that cannot be read (missing, unreadable, a type no converter reads, a document with
no text) gives one line on stderr saying why, a JSON line with "error", and exit status 1;
the other files are still read.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from reports.extract import extract_page, parse_text_header
from reports.extract.attachments import convert_isolated, sniff
from reports.extract.encoding import decode_bytes

from . import normalize_html, normalize_text
from .tables import Record

logger = logging.getLogger(__name__)

_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
# What the attachment converters read (reports/extract/attachments).
_DOCUMENT_KINDS = frozenset({"pdf", "docx", "doc", "wps", "xlsx", "xls", "rtf", "mht"})


class Unreadable(Exception):
    """A file the normalizer cannot read; the message says why and what to do."""


def _looks_like_text(body: bytes) -> bool:
    return b"\x00" not in body[:8192]


def normalize_path(path: Path) -> Record:
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"cannot open it: {exc.strerror or exc}") from exc
    source = str(path)
    kind = sniff(body, path.name)
    if kind == "html" or (path.suffix.lower() in _HTML_SUFFIXES and kind in ("html", "unknown")):
        page = extract_page(body, url=source)
        return normalize_html(page.main_html, source=source, title=page.title, meta=page.meta)
    if kind in _DOCUMENT_KINDS:
        converted = convert_isolated(body, path.name)
        if not converted.text.strip():
            why = ", ".join(converted.flags) or "no text"
            raise Unreadable(f"the {converted.kind} converter read no text from it ({why})")
        meta, text = parse_text_header(converted.text)
        report = normalize_text(text, source=source, meta=meta)
        report["flags"] = [f"read from {converted.kind}", *converted.flags, *report["flags"]]
        return report
    if kind != "unknown" or not _looks_like_text(body):
        raise Unreadable(
            f"not a report file this normalizer reads (the bytes are {kind}); give it "
            "HTML, text, PDF, DOC, DOCX, XLS, XLSX, WPS, RTF or MHT"
        )
    decoded = decode_bytes(body)
    meta, text = parse_text_header(decoded.text)
    report = normalize_text(text, source=source, meta=meta)
    report["flags"] = [*decoded.flags, *report["flags"]]
    return report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reports.normalize",
        description="Normalize annual-report files (HTML, text, PDF, DOC, DOCX, XLS, XLSX, WPS, "
        "RTF, MHT) into the report schema; prints one JSON object per line.",
        epilog="Exit status: 0 if every file was read, 1 if any could not be, 2 on bad usage.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="a report file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    failed = False
    for name in args.paths:
        try:
            report = normalize_path(Path(name))
        except Unreadable as exc:
            failed = True
            print(f"error: {name}: {exc}", file=sys.stderr)
            report = {"source": name, "error": str(exc), "flags": [f"not read: {exc}"]}
        except Exception as exc:  # a bug on one file must not stop the others
            failed = True
            logger.exception("normalizing %s failed", name)
            error = f"{type(exc).__name__}: {exc}"
            print(
                f"error: {name}: normalizing failed ({error}); please report it with the file",
                file=sys.stderr,
            )
            report = {"source": name, "error": error, "flags": ["normalizing failed"]}
        print(json.dumps(report, ensure_ascii=False))
    return 1 if failed else 0
