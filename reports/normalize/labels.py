"""Label tables: every label variant seen on real reports, mapped to its canonical key.

Parsers never match Chinese label text themselves; they call ``lookup(TABLE, text)``.
Variants are written in their simplest form: ``normalize_label`` folds width, spaces,
numbering, a few traditional characters and known typos before the lookup, so e.g.
"（四）1．本单位不掌握相关政府信息" and "1.本机关不掌握相关政府信息" are the same label.
"""

from __future__ import annotations

import re
import unicodedata

from reports.hanzi import fold
from reports.vocabulary import SECTIONS, YEAR_DIGITS

# Multi-character rewrites applied after folding: wiki conversion, synonyms and typos.
_REWRITES = (
    ("档案", "文件"),  # wiki conversion turns 文件 into 檔案 (054)
    ("本单位", "本机关"),  # seed 001
    ("由由", "由"),  # "无正当理由由大量反复申请" typo (seed 000)
    ("增\\减", "增/减"),  # 073
    ("政府政府", "政府"),  # "主动公开政府政府情况" (吴起县周湾镇 2021)
)

_SPACES = re.compile(r"\s+")
_QUOTES = re.compile(r"[“”\"'‘’「」『』·•]")
# Leading numbering: (三) 三、 3. 3、 1) and repeats such as "(三)1."
_NUMBERING = re.compile(
    r"^(?:\([一二三四五六七八九十\d]{1,3}\)|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[.、)])"
)
_PARENTHETICAL = re.compile(r"\([^()]*\)")


def normalize_label(text: str) -> str:
    """The comparable form of a label: half-width, no spaces, no numbering, simplified."""
    s = unicodedata.normalize("NFKC", text)
    s = _SPACES.sub("", s)
    s = fold(s)  # traditional characters and pinyin of mirrors (docs/report-templates.md §6.2)
    s = _QUOTES.sub("", s)
    for old, new in _REWRITES:
        s = s.replace(old, new)
    s = s.rstrip(":|")
    while True:
        stripped = _NUMBERING.sub("", s, count=1)
        if stripped == s:
            return s
        s = stripped


class LabelTable(dict[str, str]):
    """{normalized variant: canonical key}, remembering the answer for every cell text seen.

    A report's tables ask about the same few hundred cell texts thousands of times.
    ``truncated``: a label cut short by a line break ("一、本年新收政府信息公开申" + "请数量")
    matches the one variant it starts; only for tables whose variants are long and distinct.
    """

    def __init__(self, entries: dict[str, tuple[str, ...]], *, truncated: bool = False):
        super().__init__(
            (normalize_label(v), key) for key, variants in entries.items() for v in variants
        )
        self.truncated = truncated
        self.answers: dict[str, str | None] = {}


def _table(entries: dict[str, tuple[str, ...]], *, truncated: bool = False) -> LabelTable:
    """Invert {key: variants} into {normalized variant: key}."""
    return LabelTable(entries, truncated=truncated)


# Shortest variant length allowed to match as a prefix of a longer, annotated label;
# shorter ones ("其他", "总计", "重复申请") must match exactly or they swallow other rows.
_MIN_PREFIX = 5
# Shortest cut-off label that may stand for the one variant it starts ("属于国家秘" → 属于国家秘密).
_MIN_TRUNCATED = 4
# Longer cells are prose or a whole report in one cell, never a label.
_MAX_LABEL = 120
_UNCLOSED = re.compile(r"\([^()]*$")
_LEADING_YEAR = re.compile(rf"^{YEAR_DIGITS}年度?")
_WORDS = re.compile(r"[ \u3000\u00a0]+")


def lookup(table: LabelTable, text: str) -> str | None:
    """Canonical key for ``text`` in ``table``, or None.

    Tries the label as is, then without parenthetical annotations ("部分公开(区分处理的…)",
    "采购总金额(单位:万元)") or a leading year, then as a label that starts with a long enough
    variant, then (tables that allow it) as the cut-off start of one variant. A cell of
    several space-separated words (PDF text: "(三)不予公开 1.属于国家秘密") is also tried
    by its trailing words, the row label being the last in a line.
    """
    if text in table.answers:
        return table.answers[text]
    if len(table.answers) > 50_000:  # bound the memory of a long crawl
        table.answers.clear()
    answer = table.answers[text] = _lookup_words(table, text)
    return answer


def _lookup_words(table: LabelTable, text: str) -> str | None:
    if len(text) > _MAX_LABEL:
        return None
    key = _match(table, text)
    if key is not None:
        return key
    words = _WORDS.split(text.strip())
    for start in range(1, len(words)):
        key = _match(table, " ".join(words[start:]))
        if key is not None:
            return key
    return None


def _match(table: LabelTable, text: str) -> str | None:
    label = normalize_label(text)
    if not label:
        return None
    if label in table:
        return table[label]
    # A whole label in brackets ("(本列数据的勾稽关系为:…)") loses them; annotations go, and
    # so does an annotation cut off by a line break ("部分公开(区分处理").
    unwrapped = label[1:-1] if label.startswith("(") and label.endswith(")") else label
    candidates = [unwrapped, _PARENTHETICAL.sub("", unwrapped)]
    candidates += [_UNCLOSED.sub("", c) for c in candidates] + [
        _LEADING_YEAR.sub("", c) for c in candidates
    ]
    for candidate in candidates:
        if candidate in table:
            return table[candidate]
    for variant, key in table.items():
        if len(variant) >= _MIN_PREFIX and any(c.startswith(variant) for c in candidates):
            return key
    if table.truncated and len(label) >= _MIN_TRUNCATED:
        keys = {key for variant, key in table.items() if variant.startswith(label)}
        if len(keys) == 1:
            return keys.pop()
    return None


# Table 二 rows (both templates).
ACTIVE_ROWS = _table(
    truncated=True,
    entries={
        "rules": ("规章",),
        "normative_documents": ("规范性文件", "行政规范性文件"),
        "licensing": ("行政许可",),
        "other_services": ("其他对外管理服务事项",),
        "penalty": ("行政处罚",),
        "coercion": ("行政强制",),
        "fees": ("行政事业性收费",),
        "procurement": ("政府集中采购",),
    },
)

# Table 二 columns (both templates).
ACTIVE_COLUMNS = _table(
    {
        "new_made": ("本年新制作数量",),
        "new_published": ("本年新公开数量",),
        "total_published": ("对外公开总数量",),
        "prev_items": ("上一年项目数量",),
        "change": ("本年增/减", "本年增减", "本年增加/减少"),
        "decisions": ("处理决定数量", "本年处理决定数量"),
        "projects": ("采购项目数量",),
        "amount": ("采购总金额",),
        "issued": ("本年制发件数",),
        "repealed": ("本年废止件数",),
        "in_force": ("现行有效件数",),
        "amount_wan_yuan": ("本年收费金额",),
    }
)

# Table 二 block captions and the "信息内容" header cell: structure, no data.
ACTIVE_STRUCTURE = _table(
    {
        "caption": (
            "第二十条第(一)项",
            "第二十条第(五)项",
            "第二十条第(六)项",
            "第二十条第(八)项",
            "第二十条第(九)项",
        ),
        "header": ("信息内容",),
    }
)

# Table 三 rows.
APPLICATION_ROWS = _table(
    truncated=True,
    entries={
        "new_received": ("本年新收政府信息公开申请数量",),
        "carried_over": ("上年结转政府信息公开申请数量",),
        "granted": ("予以公开",),
        "partially_granted": ("部分公开",),
        "denied_state_secret": ("属于国家秘密",),
        "denied_law_prohibited": ("其他法律行政法规禁止公开",),
        "denied_security_stability": ("危及三安全一稳定",),
        "denied_third_party": ("保护第三方合法权益",),
        "denied_internal_affairs": ("属于三类内部事务信息",),
        "denied_process_info": ("属于四类过程性信息",),
        "denied_enforcement_file": ("属于行政执法案卷",),
        "denied_admin_query": ("属于行政查询事项",),
        "unable_not_held": ("本机关不掌握相关政府信息",),
        "unable_needs_creation": ("没有现成信息需要另行制作",),
        "unable_unclear": ("补正后申请内容仍不明确",),
        "rejected_petition": ("信访举报投诉类申请",),
        "rejected_duplicate": ("重复申请",),
        "rejected_publication": ("要求提供公开出版物",),
        "rejected_excessive": ("无正当理由大量反复申请",),
        "rejected_confirmation": ("要求行政机关确认或重新出具已获取信息",),
        "other_handling": ("其他处理",),
        "other_no_correction": ("申请人无正当理由逾期不补正",),
        "other_unpaid_fee": ("申请人逾期未按收费通知要求缴纳费用",),
        "other_misc": ("其他",),
        "total_handled": ("总计",),
        "carried_forward": ("结转下年度继续办理",),
    },
)

# Table 三 group labels: merged cells over data rows, never rows themselves. (六)其他处理 is a
# data row in 2019 and a group in 2021, so it stays in APPLICATION_ROWS.
APPLICATION_GROUPS = _table(
    {
        "results": ("本年度办理结果",),
        "denied": ("不予公开",),
        "unable": ("无法提供",),
        "rejected": ("不予处理",),
        "applicants": ("申请人情况", "法人或其他组织"),
    }
)

# Table 三 cells that mark where the table starts (its header), not data rows.
APPLICATION_ANCHORS = _table(
    {
        "note": ("本列数据的勾稽关系为",),
        "applicants": ("申请人情况",),
    }
)

# Table 三 applicant columns, in the official order.
APPLICANT_COLUMNS = _table(
    {
        "natural_person": ("自然人",),
        "commercial": ("商业企业",),
        "research": ("科研机构",),
        "social_org": ("社会公益组织",),
        "legal_service": ("法律服务机构",),
        "other": ("其他",),
        "total": ("总计",),
    }
)

# Table 四 groups; "litigation" is the parent header over the two suit groups.
REVIEW_GROUPS = _table(
    {
        "review": ("行政复议",),
        "litigation": ("行政诉讼",),
        "suit_direct": ("未经复议直接起诉",),
        "suit_after_review": ("复议后起诉",),
    }
)

# Table 四 leaf columns of each group.
REVIEW_LEAVES = _table(
    {
        "upheld": ("结果维持",),
        "corrected": ("结果纠正",),
        "other": ("其他结果",),
        "pending": ("尚未审结",),
        "total": ("总计",),
    }
)

# Labels that exist in only one template (docs/report-templates.md §5): detection votes.
TEMPLATE_MARKERS = _table(
    {
        "2021": (
            "本年制发件数",
            "本年废止件数",
            "现行有效件数",
            "本年处理决定数量",
            "本年收费金额",
            "申请人无正当理由逾期不补正",
            "申请人逾期未按收费通知要求缴纳费用",
        ),
        "2019": (
            "本年新制作数量",
            "本年新公开数量",
            "上一年项目数量",
            "政府集中采购",
            "采购项目数量",
            "其他对外管理服务事项",
        ),
    }
)

# Rows some provinces add to table 二 (湖北 2020, 吉林 2020; docs/report-templates.md §5): read, not
# kept.
ACTIVE_EXTRA_ROWS = _table(
    {
        "other_published": ("其他主动公开文件",),
        "region_total": (
            "本行政区域政府信息公开发布总数量",
            "本行政区域(或本部门)政府信息公开发布总数量",
        ),
    }
)

# The report's section headings (docs/report-templates.md §2): where each table starts and ends.
# (the spellings live in reports/vocabulary.py, which the crawl reads too; the 2008 form's
# 收费及减免 part has no table the normalizer reads)
SECTION_HEADINGS = _table({key: spellings for key, spellings in SECTIONS.items() if key != "fees"})

# Cell texts that mean "nothing to report": read as 0 and flagged (docs/report-schema.md: Blank
# cells).
PLACEHOLDER_WORDS = ("无", "無", "空", "暂无")
# Units written after a count ("3件"); dropped, the column says what is counted.
COUNT_UNITS = ("件", "个", "项", "条", "次", "宗", "起")
# Units of money as written in a header or a cell, longest first.
MONEY_UNITS = ("万元", "元")


def money_unit(text: str) -> str | None:
    """The unit named in a money header or cell ("采购总金额(单位:万元,保留4位小数)" → 万元)."""
    label = normalize_label(text)
    return next((unit for unit in MONEY_UNITS if unit in label), None)
