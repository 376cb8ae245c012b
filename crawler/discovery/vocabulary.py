"""The Chinese words the crawl decides by: one table per concept, nothing else.

The words the extractor and the normalizer read too (section names, unit suffixes, year forms,
file types) live in ``reports/vocabulary.py`` and are only named here; the labels of the
report's statistical tables are the normalizer's (``reports/normalize/labels.py``), read here.

Discovery (page kinds, link scores), the title rules of ``crawler.classify`` and the search the
crawl runs on a portal all read these tables; a word is added here once and every part that
reads it sees it.  Patterns are written for titles already folded by
``crawler.classify.normalize_title`` (NFKC, whitespace removed).
"""

from __future__ import annotations

import re

from reports import vocabulary as shared
from reports.normalize import labels

# ---------------------------------------------------------------- the report's own name

#: a title that names an annual disclosure report (name, pattern)
REPORT_NAMES: tuple[tuple[str, str], ...] = (
    # 政府信息公开工作年度报告 / 政务信息公开年度报告 / 政务公开工作年度报告 / 信息公开工作年度报告
    ("annual_report", r"(?:政府|政务)?(?:信息)?公开(?:工作)?年度报告"),
    ("nianbao", r"信息公开(?:工作)?年报"),  # 政府信息公开年报
    ("work_report", r"(?:政府|政务)信息公开工作报告"),  # older: 2009年政府信息公开工作报告
    ("annual_disclosure_report", r"年度(?:政府|政务)?信息公开(?:工作)?报告"),
    ("annual_work_report_a", r"年度(?:工作)?报告.*信息公开"),
    ("annual_work_report_b", r"信息公开.*年度(?:工作)?报告"),
    (
        "work_nianbao",
        r"(?:19|20)\d{2}年度?(?:政府|政务)?(?:信息)?(?:公开)?工作年报$",
    ),  # 2023年度工作年报
)

#: the full names whose proper prefixes end a title cut short without a marker
FULL_REPORT_NAMES = (
    "政府信息公开工作年度报告",
    "政务信息公开工作年度报告",
    "政府信息公开年度报告",
    "信息公开工作年报",
)

#: titles that mention a report but are something else; any match vetoes a report title
DISTRACTORS: tuple[tuple[str, str], ...] = (
    ("notice", r"通知|通告|函$|的函"),  # 关于做好…年度报告编制和发布工作的通知
    ("compile", r"编制|报送|填报|格式|模板"),  # 编制要求, 报告格式
    ("interpretation", r"解读|图解|答记者问|一图读懂|政策问答"),
    ("gov_work_report", r"(?<!信息公开)政府工作报告"),
    ("rule_of_law", r"法治政府建设|依法行政"),
    ("budget", r"预算|决算|审计(?![局署厅])"),
    ("work_plan", r"工作要点|工作计划|实施方案|工作方案"),
    ("guide", r"指南"),
    ("assessment", r"考核|评估|第三方|检查情况|督查|测评"),
    ("other_annual", r"统计年报|统计年鉴|统计公报|企业年报|年报公示|社会组织年报|国民经济"),
)

#: a page that is a directory of units (乡镇（街道）信息公开, 部门信息公开)
UNIT_DIRECTORY = r"乡镇|街道|镇街|苏木|部门|单位"

#: a title that is only a column's name ("政府信息公开年报", "部门信息公开年报", "乡镇（街道）年度
#:报告"), not a report of a body and year
COLUMN_NAME = (
    rf"^(?:(?:{UNIT_DIRECTORY})(?:[(（、]?(?:{UNIT_DIRECTORY})[)）]?)?)?"
    r"(?:(?:政府|政务)?信息公开|政务公开)?(?:工作)?(?:年度报告|年报)"
    r"(?:专栏|栏目|目录|列表)?$"
)

#: a title cut short by a listing ("…年度报...", "…年度报…")
TRUNCATION = r"(?:\.{2,}|…+|．{2,})\s*$"
#: fragments that make a truncated title worth fetching
PARTIAL_REPORT = r"信息公开|政务公开|年报|年度报|年度$|年度…|工作年"
#: in a 年报 column, a listed title that alone does not decide
COLUMN_ENTRY = r"^$|(?:19|20)\d{2}年?度?$|报告|年报|信息公开|政务公开"

# ---------------------------------------------------------------- the report's fixed parts

#: the sections only a report has, as (name, pattern) read on whitespace-free text: a page
#: holding two of them is a report whatever its title (their spellings: reports/vocabulary.py,
#: which the normalizer reads too)
SECTIONS: tuple[tuple[str, str], ...] = tuple(
    (shared.SECTIONS[key][0], shared.section_pattern(key)) for key in shared.REPORT_SECTIONS
)

#: the normalizer's label tables of the template's statistical tables (二, 三, 四: rows, columns,
#: group headers, captions), both forms and every variant seen, by name: the crawl reads the
#: labels from there (reports/normalize/labels.py), so a spelling the normalizer learns is one
#: the crawl knows
STAT_LABEL_TABLES: tuple[tuple[str, labels.LabelTable], ...] = (
    ("active_rows", labels.ACTIVE_ROWS),
    ("active_columns", labels.ACTIVE_COLUMNS),
    ("active_structure", labels.ACTIVE_STRUCTURE),
    ("active_extra_rows", labels.ACTIVE_EXTRA_ROWS),
    ("application_rows", labels.APPLICATION_ROWS),
    ("application_groups", labels.APPLICATION_GROUPS),
    ("application_anchors", labels.APPLICATION_ANCHORS),
    ("applicant_columns", labels.APPLICANT_COLUMNS),
    ("review_groups", labels.REVIEW_GROUPS),
    ("review_leaves", labels.REVIEW_LEAVES),
    ("template_markers", labels.TEMPLATE_MARKERS),
)
#: shorter labels (规章, 其他, 总计) stand in any table of any page, and are not read
MIN_TABLE_LABEL = 3
#: distinct template concepts (a row, a column, a group of one table) a table names to be a
#: report table: one label alone, or two (行政复议 and 行政诉讼), stand on other pages too
MIN_TABLE_CONCEPTS = 3


def _table_labels() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, table in STAT_LABEL_TABLES:
        for variant, key in table.items():
            if len(variant) >= MIN_TABLE_LABEL:
                # a label two tables know (总计, 本年制发件数) is one concept: the first table's
                found.setdefault(variant, f"{name}.{key}")
    return found


#: every label of the statistical tables the crawl reads, in the normalizer's folded form
#: (``labels.normalize_label``), to the concept it names ("application_rows.granted")
TABLE_LABELS: dict[str, str] = _table_labels()

# ---------------------------------------------------------------- routes, units and columns

#: anchor text (or column name) of a step toward the reports
ROUTE_WORDS: tuple[tuple[str, str], ...] = (
    ("xxgk", r"信息公开"),
    ("zwgk", r"政务公开"),
    ("nianbao", r"年报|年度报告"),
    ("fdzdgk", r"法定主动公开"),
    (
        "units",
        (
            r"^(?:乡镇|乡镇\(?街道\)?|街道|镇街|苏木|苏木乡镇|部门|[县区市旗]直部门|部门和乡镇|"
            r"乡镇和部门|工作部门|部门网站|乡镇网站|镇街道|单位|直属单位)$"
        ),
    ),
)

#: words of the units a county portal is made of (townships, departments, bodies)
UNIT_SUFFIXES = shared.UNIT_SUFFIXES

#: menu words that are never routes, whatever else they say
NOT_ROUTE = (
    r"登录|注册|English|无障碍|RSS|打印|关闭|收藏|分享|"
    r"上一篇|下一篇|返回|关于我们|网站地图|联系我们"
)

#: "next page" in any wording
NEXT_PAGE = r"^\s*(?:下一?页|后一?页|下页|下一頁|next|Next|NEXT|>|›|»|>>|＞|》)\s*$"
#: other words of a pager (previous, last, go to; not 首页, which is also every menu's "home")
PAGER_WORDS = r"^\s*(?:尾页|末页|上一?页|前一?页|上页|最后一?页|第一页|跳转|GO|go|<|‹|«|<<)\s*$"
#: "more" links under a block heading
MORE = r"^\s*(?:更多|更多>+|more|MORE|More|>>|查看更多|更多信息)\s*[>》]*\s*$"

# ---------------------------------------------------------------- walls and soft errors

#: a 200 page whose title says it is an error
SOFT_ERROR_TITLE = (
    r"^(?:404|403|500|502|503)\b|页面不存在|找不到(?:该)?页面|页面未找到|"
    r"访问(?:异常|出错|受限|被拒绝)|安全(?:拦截|验证)|您的访问|请稍后(?:再)?访问|"
    r"Not Found|Forbidden|出错了|错误页面"
)
#: titles of a notice page that says something instead of showing it ("提示信息")
NOTICE_TITLE = r"^(?:提示信息|系统提示|错误提示|温馨提示|提示|信息提示|消息提示|操作提示)$"
#: what such a page says when the document is gone
GONE_TEXT = (
    r"页面不存在|不存在或已|已被?删除|已撤销|已撤稿|已下线|已过期|找不到|无法访问|"
    r"无此信息|信息不存在|文章不存在|内容不存在|已被移除|链接失效"
)
#: a WAF "blocked for now" page (360 访问异常, 创宇)
BLOCK_TITLE = (
    r"访问异常|访问受限|访问被拒绝|安全拦截|请求过于频繁|访问过于频繁|IP.{0,6}(?:封禁|限制)"
)

# ---------------------------------------------------------------- years, attachments, search

#: year forms: "2023年度", "2023年", "（2019年）", a bare 2019 (and "二〇二三年度" in Chinese
#: numerals, read by reports.vocabulary.year)
YEAR_FORMS = shared.YEAR_FORMS
#: a title that is a year and nothing else ("2019年度", "二〇一九年")
YEAR_ONLY = shared.YEAR_ONLY

#: file types a link's text may end in ("附件：XX年报.docx" on an opaque download URL)
DOCUMENT_SUFFIXES = shared.DOCUMENT_SUFFIXES + shared.ARCHIVE_SUFFIXES

#: labels a report page puts before its files
ATTACHMENT_LABEL = r"附\s*件|文\s*件\s*下\s*载|详见附件|点击下载|下载附件"

#: what the portal's own search is asked for
SEARCH_TERMS = ("年度报告", "年报")


def compile_named(table: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(rx)) for name, rx in table)


def unit_name_pattern() -> re.Pattern[str]:
    """A unit's name: 2–20 Chinese characters ending in one of ``UNIT_SUFFIXES``."""
    return re.compile(rf"^[\u4e00-\u9fff（）()]{{1,20}}(?:{shared.suffix_pattern(UNIT_SUFFIXES)})$")
