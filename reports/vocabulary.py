"""The Chinese words and number forms that more than one part reads: one table per concept.

The crawl (``crawler/discovery/vocabulary.py``, ``crawler/classify.py``), the extractor, the
normalizer and the snapshot's body names take these words from here, so a spelling added once
is known to all of them.  Words only one part reads stay with it (the crawl's menu and pager
words, the normalizer's table labels in ``reports/normalize/labels.py``).  The portal simulator
does not import this module: its generator draws from a wider vocabulary of its own, so the
tests read inputs the code's own tables did not write (docs/architecture.md).

Pure: no I/O; cn2an does the arithmetic of Chinese numerals.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- years and numerals

#: a year of the reports' era written in digits
YEAR_DIGITS = r"(?:19|20)\d{2}"
#: year forms in titles, most specific first: "2023年度", "2023年", "（2019年）", a bare 2019
YEAR_FORMS = (rf"({YEAR_DIGITS})年度", rf"({YEAR_DIGITS})年", rf"(?<!\d)({YEAR_DIGITS})(?!\d)")
#: the digits of a year written digit by digit in Chinese numerals (二〇二〇, 二○二一, 二零二二)
CN_DIGITS = "〇○零一二三四五六七八九"
#: such a year before 年 ("二〇二〇年度", "二○二一年")
CN_YEAR = re.compile(rf"[{CN_DIGITS}]{{4}}(?=年)")
#: a year standing alone, in either script ("2019年度", "二〇一九年")
YEAR_ONLY = rf"(?:{YEAR_DIGITS}年?度?|[{CN_DIGITS}]{{4}}年度?)"
#: Chinese numerals as they occur in reports: digits, 〇/○ for zero, 两, and the place words
CN_NUMERAL_CHARS = "〇○零一二两三四五六七八九十百千万亿"
_TO_CN2AN = str.maketrans({"○": "〇"})
# Longer than this is no number a report states (and int() refuses over 4300 digits).
_MAX_CHARS = 100


def number(text: str) -> int | float | None:
    """``text`` (Arabic or Chinese numerals) as a number; None if it is not one.

    "339" → 339, "26.55" → 26.55, "一百二十" → 120, "一千零五十" → 1050, "二〇二〇" → 2020.
    Never raises on text that is not a number.
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
    # imported at the first Chinese numeral: cn2an's own start-up is about 0.2 s of CPU, which
    # every crawl process paid at its start, a re-crawl of unchanged reports for nothing
    import cn2an

    try:
        value = cn2an.cn2an(text.translate(_TO_CN2AN), "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def year(text: str) -> int | None:
    """A year written in digits or Chinese numerals ("二〇二〇", "二零二一"); None otherwise."""
    value = number(text)
    return value if isinstance(value, int) and 1900 <= value <= 2100 else None


# ---------------------------------------------------------------- the report's sections

#: the section headings of the national templates (国办公开办函〔2019〕60号, 〔2021〕30号, and
#: the 2008–2018 form with its 收费及减免 part), every spelling seen on real reports, by key;
#: written in the simplest form (reports/normalize/labels.py folds width, numbering, spaces)
SECTIONS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况", "工作基本情况", "概述"),
    "active": ("主动公开政府信息情况", "政府信息主动公开情况", "主动公开政府政府情况"),
    "applications": ("收到和处理政府信息公开申请情况",),
    "review": (
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议提起行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "复议、诉讼和申诉情况",
        "政府信息公开行政复议行政诉讼情况",
    ),
    "problems": (
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在的主要问题及整改措施",
        "存在问题及改进情况",
        "存在的主要问题及改进措施",
        "存在的问题及改进情况",
        "存在主要问题及改进情况",
        "存在主要问题及整改措施",
        "政府信息公开工作存在主要问题及改进情况",
        "政府信息公开工作存在的主要问题及整改措施",
        "政府信息公开工作存在主要问题及整改措施",
    ),
    "other": ("其他需要报告的事项", "其他事项", "其他报告事项"),
    "fees": ("收费及减免情况",),
}

#: the forms of a section name in running text that a list of spellings cannot hold (read on
#: whitespace-free text); a section's pattern is these and its spellings (section_pattern)
SECTION_FORMS: dict[str, str] = {
    "active": r"主动公开政府(?:信息|政府)(?:的)?情况|政府信息主动公开(?:的)?情况",
    "applications": (
        r"收到和处理政府信息公开申请(?:的)?情况|依申请公开政府信息(?:的)?(?:办理)?情况|"
        r"政府信息依申请公开(?:的)?(?:办理)?情况|"
        r"政府信息公开申请(?:的)?(?:受理|办理|答复)?情况"
    ),
    "review": r"行政复议[、和及与,，]*(?:提起)?行政诉讼(?:的)?情况",
    "problems": r"存在的主要问题(?:及|和|与)改进(?:的)?(?:情况|措施)",
    "fees": r"收费(?:及|和|与)减免(?:的)?情况",
}

#: the sections only a report has: a page naming two of them is a report whatever its title
#: (总体情况 and 其他事项 stand on many other pages)
REPORT_SECTIONS = ("active", "applications", "review", "problems", "fees")


def section_pattern(key: str) -> str:
    """A regular expression for section ``key`` in running text: its forms and spellings."""
    spellings = sorted(SECTIONS[key], key=len, reverse=True)
    forms = [SECTION_FORMS[key]] if key in SECTION_FORMS else []
    return "|".join(forms + [re.escape(s) for s in spellings])


# ---------------------------------------------------------------- the bodies that report

#: the government of a place: 顾县镇人民政府 is the government of 顾县镇
GOVERNMENT = "人民政府"
#: endings of the names of local governments, by level, longest first (街道办事处 before 处)
PLACE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("街道办事处", "township"),
    ("街道", "township"),
    ("镇", "township"),
    ("乡", "township"),
    ("苏木", "township"),
    ("县", "county"),
    ("区", "county"),
    ("旗", "county"),
    ("市", "county"),
)
#: endings of the names of the units a county portal is made of (townships, departments,
#: bodies): what a signature line or a unit link ends in
UNIT_SUFFIXES = (
    "街道办事处",
    "管理委员会",
    "管委会",
    "办事处",
    "苏木",
    "嘎查",
    "街道",
    "农场",
    "林场",
    "牧场",
    "园区",
    "开发区",
    "社区",
    "委员会",
    "办公室",
    "分局",
    GOVERNMENT,
    "政府",
    "镇",
    "乡",
    "局",
    "委",
    "办",
    "中心",
    "院",
    "所",
    "队",
    "站",
    "社",
    "会",
    "处",
    "厅",
    "署",
    "馆",
)


def suffix_pattern(suffixes: tuple[str, ...]) -> str:
    """An alternation of ``suffixes``, longest first, so 街道办事处 is not read as 处."""
    return "|".join(re.escape(s) for s in sorted(suffixes, key=len, reverse=True))


# ---------------------------------------------------------------- the files a report comes as

#: file types a report is published as and the converter reads, by file-name suffix
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".ofd", ".rtf")
#: archives a report's files come packed in (fetched and archived, not converted)
ARCHIVE_SUFFIXES = (".zip", ".rar")
#: images a scanned report comes as
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif")


def suffix_regex(suffixes: tuple[str, ...]) -> str:
    """``.pdf|.docx…`` as one group for a URL's path end: ``(?:pdf|docx|…)``."""
    return (
        "(?:"
        + "|".join(re.escape(s.lstrip(".")) for s in sorted(suffixes, key=len, reverse=True))
        + ")"
    )
