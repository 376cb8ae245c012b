"""Regular expressions over report prose: page furniture, dates, titles, prose facts.

Label text lives in labels.py; the patterns here match running text (the statistics period,
a title, a sentence stating a number), which a label lookup cannot. Parsers import these
compiled patterns and never write Chinese text of their own.
"""

from __future__ import annotations

import re

from reports.vocabulary import CN_NUMERAL_CHARS, UNIT_SUFFIXES, YEAR_DIGITS, suffix_pattern

# A year in Chinese numerals ("二〇二〇年度"), converted before anything else; the pattern
# lives with the one numeral reader, and the words of years and bodies in reports/vocabulary.py.
from reports.vocabulary import CN_YEAR as CN_YEAR  # re-exported beside the other patterns

# docx conversion artefacts: "[bookmark: _GoBack]" (seeds 001, 003).
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")

# A whole line that is page furniture of PDF or flipbook text (docs/report-templates.md §6.1):
# "Page 8 - 某县2020年…", "P. 8", "- 8 -", "第 8 页", "第8页 共12页", "8 / 12".
PAGE_MARKERS = re.compile(
    r"^(?:Page\s*\d+(?:\s*[-–—].*)?"
    r"|P\.\s*\d+"
    r"|[-–—]\s*\d+\s*[-–—]"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页"
    r"|\d+\s*/\s*\d+)$",
    re.IGNORECASE,
)

# ---- identity: title, year, reporting body ------------------------------------------------

YEAR = re.compile(rf"({YEAR_DIGITS})年度?")
# Where the report's own name begins after the body's name ("…政府信息公开工作年度报告").
REPORT_NAME = re.compile(r"(?:政府信息公开|政务信息公开|政务公开|信息公开)")
TITLE_LABELS = ("标题", "名称")
# What stands before a title on its line: bullets of a header list (063), a field label
# ("标      题：", "名称：", 040/067), a breadcrumb ("当前位置：首页 > 政务公开 > …").
TITLE_PREFIX = re.compile(r"^(?:.*[>›»])?[-•·*]*(?:(?:信息|文件)?(?:标题|名称|题名)[:：]?)?")
TITLE_END = re.compile(r"(?:报告|年报)(?:\((?:19|20)\d{2}年度?\))?$")
# Words around the body's name in a title: "关于2020年…", "XX局关于…".
TITLE_ORG_AFFIXES = ("关于",)
# The statistics period, tolerant of characters lost when HTML spans were stripped:
# "自2020年1月1日起至2020年12月31日止", "20201月1日至202012月31日", "202111日起至20211230日止",
# "2020年1月1日至2020你那12月31日" (typo for 年).
PERIOD = re.compile(
    r"((?:19|20)\d{2})年?0?1月?0?1日起?\s*(?:至|到|-|—|–|~|～|－)\s*"
    r"(?:((?:19|20)\d{2})\D{0,2}?)?12月?3[01]日"
)
# "统计期限自2008年5月1日起…": a period that does not start on 1 January still names its year.
PERIOD_KEYWORD = re.compile(r"统计(?:期限|时限|时间|区间|周期|范围)[^0-9]{0,8}((?:19|20)\d{2})")
# A year the body reports on: "2021年，", "2021年共", "2021年度" — not a full date such as the
# 条例's "2019年5月15日", which names an event, not the period.
BARE_YEAR = re.compile(rf"({YEAR_DIGITS})年(?!\d{{1,2}}月)")
# Section 五 onwards speaks of next year's plans ("2022年，我们将…"); the year count stops there.
PLANS_HEADING = re.compile(r"五、(?:政府信息公开工作)?存在")
OPENING_YEAR = re.compile(rf"({YEAR_DIGITS})年度?(?:政府信息公开|政务公开|政务信息公开)")
# "由鹿乡镇编制", "由XX县人民政府办公室编制": the body named in the opening paragraph.
COMPILED_BY = re.compile(r"由([^，。,、；;由]{2,30}?)(?:负责)?编制")
# The last lines of a report name its body: "XX镇人民政府", "XX县教育局", "XX苏木".
SIGNATURE = re.compile(rf"^.{{2,30}}(?:{suffix_pattern(UNIT_SUFFIXES)})$")
# Mirror and spam pages put gambling or porn phrases where the agency's name was (024, 059,
# 063, 070): a name containing one of these is not trusted.
SPAM_NAME = re.compile(
    r"彩票|博彩|赌|娱乐城|威尼斯人|葡京|太阳城|百家乐|棋牌|投注|黄片|久久|国产|精品|视频|免费|下载|澳门|[Aa][Vv]|app|APP"
)

# ---- prose facts (free-form reports; docs/report-schema.md "prose_facts") ------------------------
# Each fact: patterns tried in order over the report's sentences (spaces removed, NFKC); the
# first sentence that matches gives the value. Group "n" is the number (Arabic or Chinese
# numerals); a pattern without it states zero ("未收到…申请").
_N = rf"(?P<n>\d+(?:\.\d+)?|[{CN_NUMERAL_CHARS}]{{1,16}})"
PROSE_FACTS: dict[str, tuple[re.Pattern[str], ...]] = {
    "proactive_items": tuple(
        re.compile(p)
        for p in (
            rf"(?:共|累计|合计|总计)(?:计)?主动公开(?:各类)?(?:政府)?信息(?:共|共计)?{_N}(?:条|件|项|篇)",
            rf"主动公开(?:各类)?(?:政府)?信息(?:共|共计|累计)?{_N}(?:条|件|项|篇)",
            rf"(?:共|累计|全年)(?:计)?公开(?:各类)?(?:政府)?信息{_N}(?:条|件|项|篇)",
            rf"主动公开(?:各类)?(?:政府)?信息[^。；;]{{0,12}}?{_N}(?:条|件|项|篇)",
            rf"公开(?:各类)?(?:政府)?信息{_N}(?:条|件|项|篇)",
            rf"公开[^。；;]{{0,120}}?信息{_N}(?:条|件|项|篇)",
        )
    ),
    "applications_received": tuple(
        re.compile(p)
        for p in (
            rf"(?:收到|受理)(?:各类)?(?:政府信息公开|信息公开|依申请公开)(?:的)?申请(?:共|共计)?{_N}(?:件|起|份|条|人次|次)",
            rf"(?:收到|受理)(?:了)?{_N}(?:件|起|份|条)[^。；;，,]{{0,20}}?(?<!复议)申请",
            rf"(?:受理|收到)依申请公开(?:事项|件)?(?:共)?{_N}(?:件|起|份|条)",
            r"(?:未收到|没有收到|无)(?:[^。；;，,]{0,16}?的)?(?:政府信息公开|信息公开|依申请公开)(?:的)?(?:申请|事项)?",
            r"未收到和处理依申请公开",
            r"(?:未收到|没有收到)[^。；;，,]{0,20}?(?<!复议)申请",
        )
    ),
    "review_cases": tuple(
        re.compile(p)
        for p in (
            rf"(?:申请|提起|发生)行政复议(?:案件)?(?:共)?{_N}(?:件|起|宗|次)",
            rf"行政复议(?:案件)?(?:共)?{_N}(?:件|起|宗)",
            r"(?:未|没有|无)(?:发生|收到|出现|被申请|因)[^。；;]{0,30}?行政复议",
        )
    ),
    "litigation_cases": tuple(
        re.compile(p)
        for p in (
            rf"(?:提起|发生)行政诉讼(?:案件)?(?:共)?{_N}(?:件|起|宗|次)",
            rf"行政诉讼(?:案件)?(?:共)?{_N}(?:件|起|宗)",
            r"(?:未|没有|无)(?:发生|收到|出现|被提起|因)[^。；;]{0,40}?行政诉讼",
        )
    ),
    "fees_yuan": tuple(
        re.compile(p)
        for p in (
            rf"收取(?:了)?(?:信息处理费|(?:检索|复制|邮寄)[^。；;]{{0,12}}?费用?|费用){_N}元",
            rf"信息处理费(?:为|共|共计)?{_N}元?(?:$|[。；;，,])",
            r"(?:未|没有|无|不)收取(?:任何)?(?:信息处理费|费用|任何费用)",
        )
    ),
}
# Sentence ends for prose facts: a fact's sentence is what lies between two of these.
SENTENCE_END = re.compile(r"[。！？；;!?\n]")
