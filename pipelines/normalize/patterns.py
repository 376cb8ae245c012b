"""Regular expressions over report prose: page furniture, dates, titles, prose facts.

Label text lives in labels.py; the patterns here match running text (the statistics period,
a title, a sentence stating a number), which a label lookup cannot. Parsers import these
compiled patterns and never write Chinese text of their own.
"""

from __future__ import annotations

import re

# docx conversion artefacts: "[bookmark: _GoBack]" (seeds 001, 003).
BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")

# A whole line that is page furniture of PDF or flipbook text (report-templates §6.1):
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

YEAR = re.compile(r"((?:19|20)\d{2})年度?")
# A year written in Chinese numerals ("二〇二〇年度"), converted before anything else.
CN_YEAR = re.compile(r"[〇○零一二三四五六七八九]{4}(?=年)")
CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "00012345678" + "9")
# Where the report's own name begins after the body's name ("…政府信息公开工作年度报告").
REPORT_NAME = re.compile(r"(?:政府信息公开|政务信息公开|政务公开|信息公开)")
TITLE_LABELS = ("标题", "名称")
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
BARE_YEAR = re.compile(r"((?:19|20)\d{2})年(?!\d{1,2}月)")
# Section 五 onwards speaks of next year's plans ("2022年，我们将…"); the year count stops there.
PLANS_HEADING = re.compile(r"五、(?:政府信息公开工作)?存在")
OPENING_YEAR = re.compile(r"((?:19|20)\d{2})年度?(?:政府信息公开|政务公开|政务信息公开)")
# "由鹿乡镇编制", "由XX县人民政府办公室编制": the body named in the opening paragraph.
COMPILED_BY = re.compile(r"由([^，。,、；;由]{2,30}?)(?:负责)?编制")
SIGNATURE = re.compile(r"^.{2,30}(?:人民政府|政府|局|委员会|办公室|办事处|镇|乡|街道|中心|委|院|所|站|队)$")
# Mirror and spam pages put gambling or porn phrases where the agency's name was (024, 059,
# 063, 070): a name containing one of these is not trusted.
SPAM_NAME = re.compile(r"彩票|博彩|赌|娱乐城|威尼斯人|葡京|太阳城|百家乐|棋牌|投注|黄片|久久|国产|精品|视频|免费|下载|澳门|[Aa][Vv]|app|APP")
