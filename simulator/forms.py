"""The two national report forms (2019 试行 and 2021), as data.

Keys are the canonical names of docs/report-schema.md; labels are the printed ones
(docs/report-templates.md §3). The table renderer and the report generator both read these, so a
label change is made in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

TEMPLATES = ("2019", "2021")


@dataclass(frozen=True)
class Block:
    """One 第二十条 block of table 二: a caption row, a header row, data rows."""

    caption: str
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[tuple[str, str], ...]  # (key, label)


_COUNTS_2019 = (
    ("prev_items", "上一年项目数量"),
    ("change", "本年增/减"),
    ("decisions", "处理决定数量"),
)

ACTIVE_BLOCKS: dict[str, tuple[Block, ...]] = {
    "2019": (
        Block(
            "第二十条第（一）项",
            (
                ("new_made", "本年新制作数量"),
                ("new_published", "本年新公开数量"),
                ("total_published", "对外公开总数量"),
            ),
            (("rules", "规章"), ("normative_documents", "规范性文件")),
        ),
        Block(
            "第二十条第（五）项",
            _COUNTS_2019,
            (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
        ),
        Block(
            "第二十条第（六）项", _COUNTS_2019, (("penalty", "行政处罚"), ("coercion", "行政强制"))
        ),
        Block("第二十条第（八）项", _COUNTS_2019[:2], (("fees", "行政事业性收费"),)),
        Block(
            "第二十条第（九）项",
            (("projects", "采购项目数量"), ("amount", "采购总金额")),
            (("procurement", "政府集中采购"),),
        ),
    ),
    "2021": (
        Block(
            "第二十条第（一）项",
            (
                ("issued", "本年制发件数"),
                ("repealed", "本年废止件数"),
                ("in_force", "现行有效件数"),
            ),
            (("rules", "规章"), ("normative_documents", "行政规范性文件")),
        ),
        Block(
            "第二十条第（五）项", (("decisions", "本年处理决定数量"),), (("licensing", "行政许可"),)
        ),
        Block(
            "第二十条第（六）项",
            (("decisions", "本年处理决定数量"),),
            (("penalty", "行政处罚"), ("coercion", "行政强制")),
        ),
        Block(
            "第二十条第（八）项",
            (("amount_wan_yuan", "本年收费金额（单位：万元）"),),
            (("fees", "行政事业性收费"),),
        ),
    ),
}

# Table 三 -------------------------------------------------------------------------------------
APPLICANT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural_person", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social_org", "社会公益组织"),
    ("legal_service", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
APPLICANT_KEYS = tuple(k for k, _ in APPLICANT_COLUMNS[:-1])
APPLICATIONS_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

_RESULTS = "三、本年度办理结果"
_DENIED = "（三）不予公开"
_UNABLE = "（四）无法提供"
_REJECTED = "（五）不予处理"
_OTHER = "（六）其他处理"

# (key, level-1 label, level-2 label or None, level-3 label or None)
AppRow = tuple[str, str, "str | None", "str | None"]

_HEAD: tuple[AppRow, ...] = (
    ("new_received", "一、本年新收政府信息公开申请数量", None, None),
    ("carried_over", "二、上年结转政府信息公开申请数量", None, None),
    ("granted", _RESULTS, "（一）予以公开", None),
    (
        "partially_granted",
        _RESULTS,
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        None,
    ),
    ("denied_state_secret", _RESULTS, _DENIED, "1.属于国家秘密"),
    ("denied_law_prohibited", _RESULTS, _DENIED, "2.其他法律行政法规禁止公开"),
    ("denied_security_stability", _RESULTS, _DENIED, "3.危及“三安全一稳定”"),
    ("denied_third_party", _RESULTS, _DENIED, "4.保护第三方合法权益"),
    ("denied_internal_affairs", _RESULTS, _DENIED, "5.属于三类内部事务信息"),
    ("denied_process_info", _RESULTS, _DENIED, "6.属于四类过程性信息"),
    ("denied_enforcement_file", _RESULTS, _DENIED, "7.属于行政执法案卷"),
    ("denied_admin_query", _RESULTS, _DENIED, "8.属于行政查询事项"),
    ("unable_not_held", _RESULTS, _UNABLE, "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", _RESULTS, _UNABLE, "2.没有现成信息需要另行制作"),
    ("unable_unclear", _RESULTS, _UNABLE, "3.补正后申请内容仍不明确"),
    ("rejected_petition", _RESULTS, _REJECTED, "1.信访举报投诉类申请"),
    ("rejected_duplicate", _RESULTS, _REJECTED, "2.重复申请"),
    ("rejected_publication", _RESULTS, _REJECTED, "3.要求提供公开出版物"),
    ("rejected_excessive", _RESULTS, _REJECTED, "4.无正当理由大量反复申请"),
    ("rejected_confirmation", _RESULTS, _REJECTED, "5.要求行政机关确认或重新出具已获取信息"),
)
_OTHER_ROWS: dict[str, tuple[AppRow, ...]] = {
    "2019": (("other_handling", _RESULTS, _OTHER, None),),
    "2021": (
        (
            "other_no_correction",
            _RESULTS,
            _OTHER,
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        (
            "other_unpaid_fee",
            _RESULTS,
            _OTHER,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        ("other_misc", _RESULTS, _OTHER, "3.其他"),
    ),
}
_TAIL: tuple[AppRow, ...] = (
    ("total_handled", _RESULTS, "（七）总计", None),
    ("carried_forward", "四、结转下年度继续办理", None, None),
)


def application_rows(template: str) -> tuple[AppRow, ...]:
    """Data rows of table 三 in printed order."""
    return _HEAD + _OTHER_ROWS[template] + _TAIL


def result_keys(template: str) -> tuple[str, ...]:
    """Rows that add up to （七）总计 (rule C3)."""
    return tuple(
        k
        for k, *_ in application_rows(template)
        if k not in ("new_received", "carried_over", "total_handled", "carried_forward")
    )


# Table 四 -------------------------------------------------------------------------------------
REVIEW_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("suit_direct", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
)
REVIEW_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)

SECTION_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def template_for_year(year: int) -> str:
    return "2019" if year <= 2020 else "2021"
