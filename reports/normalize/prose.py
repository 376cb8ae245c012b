"""Numbers a report states in its prose, each with the sentence it came from.

Free-form reports (before 2019) have no national tables; what they say in sentences such as
"本年度共主动公开政府信息339条" or "全年共收到政府信息公开申请16件" is the only record. The
fields are a small documented set (docs/data-dictionary.md, prose_facts); the patterns are in
patterns.PROSE_FACTS. The first sentence, in reading order, that matches a fact's most
specific pattern wins; nothing is guessed when no sentence says it.
"""

from __future__ import annotations

import re
import unicodedata

from reports.vocabulary import number

from .patterns import PROSE_FACTS, SENTENCE_END
from .tables import Record

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# A sentence longer than this is a run of text without punctuation (a table dumped as text),
# not a sentence; it is skipped.
_MAX_SENTENCE = 300


def sentences(text: str) -> list[str]:
    """The text's sentences, trimmed, in reading order."""
    parts = (p.strip(" \t\u3000\u00a0") for p in SENTENCE_END.split(text))
    return [p for p in parts if p and len(p) <= _MAX_SENTENCE]


def prose_facts(text: str) -> dict[str, Record]:
    """{fact: {"value": number, "sentence": the sentence as written}} for facts the prose states."""
    found: dict[str, Record] = {}
    pool = [
        (s, _THOUSANDS.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", s))))
        for s in sentences(text)
    ]
    for fact, patterns in PROSE_FACTS.items():
        for pattern in patterns:
            hit = next(((s, m) for s, flat in pool if (m := pattern.search(flat))), None)
            if hit is not None:
                sentence, match = hit
                value = number(match.group("n")) if "n" in pattern.groupindex else 0
                if value is None:
                    continue  # "百" alone, "万万": numeral characters that are not a number
                found[fact] = {"value": value, "sentence": sentence}
                break
    return found
