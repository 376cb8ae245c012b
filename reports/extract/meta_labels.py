"""The one table of metadata-header labels (信息公开要素表) and their canonical keys.

Sources: docs/portals.md §9.1 (every variant seen on real pages) and docs/report-schema.md's
``meta`` table, whose key names are the public contract.  docs/portals.md calls three of the fields
date_written / doc_no / classification; here they carry the schema names written_date /
doc_number / category.

Labels are compared after :func:`normalize_label` (no whitespace of any kind, no colons,
traditional characters and a mirror's pinyin folded: reports/hanzi.py), so 索 引 号,
索　引　号, 索引號 and ``<b>索引号：</b>`` are the same label.
"""

from __future__ import annotations

import re

from reports.hanzi import fold

# The keys of docs/report-schema.md's meta table, in its order.  Do not rename.
CONTRACT_KEYS: tuple[str, ...] = (
    "index_no",
    "category",
    "publisher",
    "written_date",
    "published_date",
    "doc_number",
    "validity",
    "title",
)

# Keys kept when a page has them, beyond the contract.
EXTRA_KEYS: tuple[str, ...] = (
    "keywords",
    "disclosure",
    "disclosure_term",
    "disclosure_scope",
    "summary",
    "registration_no",
    "genre",
    "audience",
    "lifecycle",
    "format",
    "language",
    "doc_type",
    "signer",
    "author",
    "poster",
)

DATE_KEYS = frozenset({"written_date", "published_date"})

# Labels of a catalogue timestamp (Zhejiang, Anhui, Jiangyin): filed as written_date when the
# page has no 成文日期, and flagged, because it is when the entry was made, not the document.
GENERATION_STAMP_LABELS = frozenset({"生成日期", "产生日期"})

# label → (canonical key, rank).  A lower rank wins when two labels of one page give the same
# key (发布机构 beats 所属机构; 主题分类 beats 体裁分类); equal ranks: the first one on the page.
LABELS: dict[str, tuple[str, int]] = {
    # index_no
    "索引号": ("index_no", 0),
    "信息索引号": ("index_no", 0),
    "索引编号": ("index_no", 1),
    # category
    "主题分类": ("category", 0),
    "信息分类": ("category", 0),
    "分类": ("category", 0),
    "组配分类": ("category", 0),
    "体裁分类": ("category", 1),
    "服务对象分类": ("audience", 0),
    "生命周期分类": ("lifecycle", 0),
    "公文种类": ("doc_type", 0),
    # publisher
    "发布机构": ("publisher", 0),
    "发布单位": ("publisher", 0),
    "发文机关": ("publisher", 0),
    "发文机构": ("publisher", 0),
    "发文单位": ("publisher", 0),
    "制发机关": ("publisher", 0),
    "制发单位": ("publisher", 0),
    "所属机构": ("publisher", 1),
    "责任部门": ("publisher", 2),
    "信息来源": ("publisher", 3),
    "来源": ("publisher", 3),
    # written_date (生成日期 is a catalogue stamp, but the schema files it here)
    "成文日期": ("written_date", 0),
    "发文日期": ("written_date", 0),
    "生成日期": ("written_date", 1),
    "产生日期": ("written_date", 1),
    # published_date
    "发布日期": ("published_date", 0),
    "公开日期": ("published_date", 0),
    "发布时间": ("published_date", 1),
    "上载日期": ("published_date", 2),
    # byline "来源：… 时间：2017-01-12 10:01" (docs/portals.md §9.2 layout 9)
    "时间": ("published_date", 2),
    "日期": ("published_date", 2),  # byline "日期:2021-01-28" under the title (璧山区福禄镇)
    "归档时间": ("published_date", 3),
    # doc_number
    "文号": ("doc_number", 0),
    "发文字号": ("doc_number", 0),
    "文件编号": ("doc_number", 0),
    "发文文号": ("doc_number", 0),
    # 统一编号 (Zhejiang) is probably the normative-document registration number, not the 文号.
    "统一编号": ("registration_no", 0),
    # validity
    "有效性": ("validity", 0),
    "是否有效": ("validity", 0),
    "效力状况": ("validity", 0),
    "效力状态": ("validity", 0),
    "时效": ("validity", 0),
    "效力属性": ("validity", 0),  # 乌拉特前旗 portal
    # title
    "标题": ("title", 0),
    "名称": ("title", 0),
    "信息名称": ("title", 0),
    "文件名称": ("title", 0),
    # extras
    "主题词": ("keywords", 0),
    "关键词": ("keywords", 0),
    "关键字": ("keywords", 0),
    "公开方式": ("disclosure", 0),
    "公开形式": ("disclosure", 0),
    "公开属性": ("disclosure", 0),
    "公开时限": ("disclosure_term", 0),
    "公开范围": ("disclosure_scope", 0),
    "内容概述": ("summary", 0),
    "摘要": ("summary", 0),
    "内容摘要": ("summary", 0),
    "信息格式": ("format", 0),
    "语种": ("language", 0),
    "签发人": ("signer", 0),
    "作者": ("author", 0),
    # who put the page up (a byline's "发布人:李姣"), not the body that issued the report
    "发布人": ("poster", 0),
}

# Page furniture that sits inside header tables but is not metadata (docs/portals.md §9.1 "other").
NOT_META_LABELS = frozenset(
    {
        "文件下载",
        "附件下载",
        "附件",
        "浏览次数",
        "点击数",
        "点击量",
        "点击率",
        "访问次数",
        "阅读次数",
        "阅读量",
        "浏览量",
        "字号",
        "字体",
        "打印本页",
        "关闭窗口",
        "分享到",
    }
)

# Every kind of whitespace (incl. U+3000 and NBSP, which \s covers in Python 3) and both colons.
_LABEL_JUNK = re.compile(r"[\s:：\u200b\ufeff]+")


def normalize_label(text: str) -> str:
    """索　引　号： → 索引号, 索引號 → 索引号, 發(fā)布單位 → 发布单位: the form the table is
    keyed by."""
    return fold(_LABEL_JUNK.sub("", text))


def lookup(label_text: str) -> tuple[str, int] | None:
    """``(key, rank)`` for a label as written on the page, or None if it is not a label."""
    return LABELS.get(normalize_label(label_text))


def canonical_key(label_text: str) -> str | None:
    hit = lookup(label_text)
    return hit[0] if hit else None


def is_label(text: str) -> bool:
    norm = normalize_label(text)
    return norm in LABELS or norm in NOT_META_LABELS


# ``<meta name=…>`` tags of the 政府网站发展指引 block (docs/portals.md §0.1), used as a fallback.
META_TAGS: dict[str, str] = {
    "articletitle": "title",
    "pubdate": "published_date",
    "contentsource": "publisher",
}
