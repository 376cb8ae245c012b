"""`python -m pipelines.normalize PATH…`: one JSON report per line.

HTML files go through pipelines.extract when it is importable (main content, title,
metadata header); otherwise the whole page is normalized. A file that fails gives a line
with "error" and processing continues; the exit status is 1 if any file failed.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from . import normalize_html, normalize_text

logger = logging.getLogger(__name__)

_HTML_SUFFIXES = (".html", ".htm", ".shtml")


def _extract_attr(name: str) -> Callable | None:
    """A function of pipelines.extract, or None while that package is not available."""
    try:
        module = importlib.import_module("pipelines.extract")
    except ImportError:
        return None
    return getattr(module, name, None)


def _decode(body: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return body.decode(encoding)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="replace")


def normalize_path(path: Path) -> dict:
    body = path.read_bytes()
    source = str(path)
    if path.suffix.lower() in _HTML_SUFFIXES:
        extract_page = _extract_attr("extract_page")
        if extract_page is None:
            return normalize_html(_decode(body), source=source)
        page = extract_page(body, url=source)
        return normalize_html(page.main_html, source=source, title=page.title, meta=page.meta)
    text = _decode(body)
    meta: dict = {}
    parse_text_header = _extract_attr("parse_text_header")
    if parse_text_header is not None:
        meta, text = parse_text_header(text)
    return normalize_text(text, source=source, meta=meta)


def main(argv: list[str] | None = None) -> int:
    paths = sys.argv[1:] if argv is None else argv
    if not paths:
        print("usage: python -m pipelines.normalize PATH…", file=sys.stderr)
        return 2
    failed = False
    for name in paths:
        try:
            report = normalize_path(Path(name))
        except Exception as exc:  # one bad file must not stop the others
            logger.warning("cannot normalize %s: %s", name, exc)
            failed = True
            report = {"source": name, "error": f"{type(exc).__name__}: {exc}", "flags": [f"failed to read or parse: {name}"]}
        print(json.dumps(report, ensure_ascii=False))
    return 1 if failed else 0
