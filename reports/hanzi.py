"""Traditional characters and pinyin annotations of mirrored pages, folded for label lookups.

Mirrors convert reports to traditional script (docs/report-templates.md §6.2), some with the pinyin
of a character after it ("發(fā)布單位").  Label tables are written in simplified characters, so
every reader of labels (the normalizer's table labels, the extractor's header labels) folds
text with these before comparing.  The fold is one character for one character (hanziconv's
character map), so a position in folded text is the same position in the original.
"""

from __future__ import annotations

import re

from hanziconv.charmap import simplified_charmap, traditional_charmap

# Variant forms real mirrors print that hanziconv's map leaves out (採購 in 073, 發佈).
_VARIANTS = {"採": "采", "週": "周", "爲": "为", "佈": "布"}


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for trad, simp in zip(traditional_charmap, simplified_charmap, strict=True):
        if trad != simp:
            table.setdefault(ord(trad), simp)  # the map's first reading of a character
    table.update((ord(t), s) for t, s in _VARIANTS.items())
    return table


TO_SIMPLIFIED = _table()
# Any character the fold changes: most text has none, and finding that is a scan some 25 times
# cheaper than a translate through the map (discovery folds every table of every page).
_TRADITIONAL = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(TO_SIMPLIFIED)) + "]")

# The pinyin of one character in brackets, as a mirror prints it after the character.
_SYLLABLE = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+"
PINYIN = re.compile(rf"\({_SYLLABLE}\)")
PINYIN_PATTERN = rf"(?:\({_SYLLABLE}\))?"  # where a label's character may carry its pinyin


def to_simplified(text: str) -> str:
    """The text with traditional characters folded to simplified ones; the same length."""
    return text.translate(TO_SIMPLIFIED) if _TRADITIONAL.search(text) else text


def fold(text: str) -> str:
    """Simplified characters, pinyin annotations removed (for comparing labels)."""
    return PINYIN.sub("", to_simplified(text))
