"""Chinese numerals in prose and titles: one reader for every size (一百二十, 一千零五十, 二〇二〇).

cn2an does the arithmetic of 十/百/千/万/亿 and the digit-by-digit form of years; this module
only decides what is a number and never raises on text that is not one.
"""

from __future__ import annotations

import re

import cn2an

# A year written digit by digit in Chinese numerals before 年 ("二〇二〇年度", "二○二一年").
CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
# Chinese numerals as they occur in reports: digits, 〇/○ for zero, 两, and the place words.
CN_NUMERAL_CHARS = "〇○零一二两三四五六七八九十百千万亿"
_TO_CN2AN = str.maketrans({"○": "〇"})
# Longer than this is no number a report states (and int() refuses over 4300 digits).
_MAX_CHARS = 100


def number(text: str) -> int | float | None:
    """``text`` (Arabic or Chinese numerals) as a number; None if it is not one.

    "339" → 339, "26.55" → 26.55, "一百二十" → 120, "一千零五十" → 1050, "二〇二〇" → 2020.
    """
    text = text.strip()
    if not text or len(text) > _MAX_CHARS:
        return None
    if text.isascii():
        try:
            return float(text) if "." in text else int(text)
        except ValueError:
            return None
    if any(c not in CN_NUMERAL_CHARS for c in text):
        return None
    try:
        value = cn2an.cn2an(text.translate(_TO_CN2AN), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def year(text: str) -> int | None:
    """A year written in digits or Chinese numerals ("二〇二〇", "二零二一"); None otherwise."""
    value = number(text)
    return value if isinstance(value, int) and 1900 <= value <= 2100 else None
