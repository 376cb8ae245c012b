"""The one text shape every converter produces, the same as ``render_text`` gives a page:
a line per paragraph, a line per table row with one TAB between cells (a merged cell once, in
its first row), headings 一 to 六 on lines of their own, no blank lines."""

from __future__ import annotations

import re

from ..headings import split_run_in

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
# A line break inside a cell or a wrapped line: nothing between two Chinese characters (they
# are wrapped anywhere), a space elsewhere.
_BREAK_CJK = re.compile(f"(?<=[{_CJK}])[ \\t]*[\\r\\n]+[ \\t]*(?=[{_CJK}])")
_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_SPACES = re.compile(r"[ \t\xa0]{2,}")
_TRIM = " \t\u3000\xa0\ufeff\u200b\r\n\f\v"


def cell_text(raw: object) -> str:
    """One table cell as one line of text."""
    if raw is None:
        return ""
    text = _BREAK.sub(" ", _BREAK_CJK.sub("", str(raw)))
    return _SPACES.sub(" ", text.replace("\t", " ")).strip(_TRIM)


def row_line(cells: list[str]) -> str:
    """A table row: its cells joined by TABs, trailing empty cells dropped ("" if all empty)."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    return "\t".join(cells)


def is_cjk(ch: str) -> bool:
    return bool(re.match(f"[{_CJK}]", ch))


def join_wrapped(first: str, second: str) -> str:
    """Two pieces of one paragraph that a page or column edge cut apart."""
    if first and second and not (is_cjk(first[-1]) or is_cjk(second[0])):
        return f"{first} {second}"
    return first + second


def finish(lines: list[str]) -> str:
    """Trimmed, non-empty lines, run-in headings split, joined by newlines."""
    out: list[str] = []
    for line in lines:
        for part in line.split("\n"):
            part = part.strip(_TRIM.replace("\t", "")) if "\t" in part else part.strip(_TRIM)
            if part.strip(_TRIM):
                out.extend(split_run_in(part))
    return "\n".join(out)
