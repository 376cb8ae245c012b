"""Label variants from real reports map to one canonical key."""

from __future__ import annotations

import pytest

from reports.normalize.labels import (
    ACTIVE_COLUMNS,
    ACTIVE_EXTRA_ROWS,
    ACTIVE_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_ANCHORS,
    APPLICATION_GROUPS,
    APPLICATION_ROWS,
    REVIEW_GROUPS,
    REVIEW_LEAVES,
    SECTION_HEADINGS,
    lookup,
    money_unit,
    normalize_label,
)


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("（四）1．本单位不掌握相关政府信息", "unable_not_held"),
        ("1.本机关不掌握相关政府信息", "unable_not_held"),
        ("4.无正当理由由大量反复申请", "rejected_excessive"),
        ("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partially_granted"),
        ("3. 危及“三安全一稳定”", "denied_security_stability"),
        (
            "1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "other_no_correction",
        ),
        (
            "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "other_unpaid_fee",
        ),
        ("3. 其他", "other_misc"),
        ("(七) 总计", "total_handled"),
        ("(六) 其他处理", "other_handling"),
        ("四、结转下年度继续办理", "carried_forward"),
        ("一、本年新收政府信息公开申请数量", "new_received"),
        ("㈠予以公开", "granted"),
        ("三、本年度办理结果", None),
        ("(三) 不予公开", None),
        ("其他结果", None),
    ],
)
def test_application_rows(label, key):
    assert lookup(APPLICATION_ROWS, label) == key


@pytest.mark.parametrize(
    ("label", "table", "key"),
    [
        ("規範性檔案", ACTIVE_ROWS, "normative_documents"),
        ("行政規范性文件", ACTIVE_ROWS, "normative_documents"),
        ("規章(設區的市、自治州人民政府應提供相關數據)", ACTIVE_ROWS, "rules"),
        ("行政處罰", ACTIVE_ROWS, "penalty"),
        ("本年新\n制作数量", ACTIVE_COLUMNS, "new_made"),
        ("本年增\\减", ACTIVE_COLUMNS, "change"),
        ("處理決定數量", ACTIVE_COLUMNS, "decisions"),
        ("上一年项目数量(指2019年事项数)", ACTIVE_COLUMNS, "prev_items"),
        ("采购总金额(单位:万元,保留4位小数)", ACTIVE_COLUMNS, "amount"),
        ("本年收费金额（单位：万元）", ACTIVE_COLUMNS, "amount_wan_yuan"),
        ("商业 企业", APPLICANT_COLUMNS, "commercial"),
        ("總計", APPLICANT_COLUMNS, "total"),
        ("结果 维持", REVIEW_LEAVES, "upheld"),
        ("未经复议直接起诉", REVIEW_GROUPS, "suit_direct"),
    ],
)
def test_other_tables(label, table, key):
    assert lookup(table, label) == key


def test_normalize_label_folds_width_spaces_and_numbering():
    assert normalize_label("（三）\u00a01．属于　国家秘密") == "属于国家秘密"
    assert normalize_label("發(fā)布") == "发布"


def test_money_unit():
    assert money_unit("采购总金额(单位:万元,保留4位小数)") == "万元"
    assert money_unit("采购总金额（元）") == "元"
    assert money_unit("采购总金额") is None


@pytest.mark.parametrize(
    ("label", "table", "key"),
    [
        # traditional script of mirrored pages (043, 045, 054, 041)
        ("規章", ACTIVE_ROWS, "rules"),
        ("行政強制", ACTIVE_ROWS, "coercion"),
        ("本年處理決定數量", ACTIVE_COLUMNS, "decisions"),
        ("本年收費金額(單位:萬元)", ACTIVE_COLUMNS, "amount_wan_yuan"),
        ("總計", APPLICATION_ROWS, "total_handled"),
        ("四、結轉下年度繼續辦理", APPLICATION_ROWS, "carried_forward"),
        ("1.本機關不掌握相關政府信息", APPLICATION_ROWS, "unable_not_held"),
        ("社會公益組織", APPLICANT_COLUMNS, "social_org"),
        ("未經復議直接起訴", REVIEW_GROUPS, "suit_direct"),
        ("復議後起訴", REVIEW_GROUPS, "suit_after_review"),
        ("結果糾正", REVIEW_LEAVES, "corrected"),
        (
            "2.申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請",
            APPLICATION_ROWS,
            "other_unpaid_fee",
        ),
        (
            "(本列數據的勾稽關係為:第一項加第二項之和,等於第三項加第四項之和)",
            APPLICATION_ANCHORS,
            "note",
        ),
        # pinyin-annotated junk of some mirrors (042)
        ("處(chu)理決定數量", ACTIVE_COLUMNS, "decisions"),
        # spaces inside labels (docx on sharing sites, 033) and full-width digits
        ("本年新 制作数量", ACTIVE_COLUMNS, "new_made"),
        ("一、本年新收政府信 息公开申请数量", APPLICATION_ROWS, "new_received"),
        ("（三）８．属于行政 查询事项", APPLICATION_ROWS, "denied_admin_query"),
        ("(七)总 计", APPLICATION_ROWS, "total_handled"),
        # split header cells, one cut by a line break inside its annotation
        ("对外公开\n总数量", ACTIVE_COLUMNS, "total_published"),
        ("采购总金额(单位:万元,保留4", ACTIVE_COLUMNS, "amount"),
        # labels cut by a line break: the one row they start
        ("一、本年新收政府信息公开申", APPLICATION_ROWS, "new_received"),
        ("(二)部分公开(区分处理的,只计", APPLICATION_ROWS, "partially_granted"),
        ("1.申请人无正当理由逾期", APPLICATION_ROWS, "other_no_correction"),
        ("行政规范", ACTIVE_ROWS, "normative_documents"),
        # PDF lines carrying the group label before the row label
        (
            "三、本年度办理 (三)不予公开 7.属于行政执法案卷",
            APPLICATION_ROWS,
            "denied_enforcement_file",
        ),
        # typos seen in real reports
        ("本年增\\减", ACTIVE_COLUMNS, "change"),
        ("4.无正当理由由大量反复申请", APPLICATION_ROWS, "rejected_excessive"),
    ],
)
def test_real_world_variants(label, table, key):
    assert lookup(table, label) == key


@pytest.mark.parametrize(
    ("label", "table"),
    [
        (
            "本年新",
            ACTIVE_COLUMNS,
        ),  # "本年新 | 本年新" keeps only the first line (004, 008): ambiguous
        ("其他法", APPLICATION_ROWS),  # too short to stand for one row
        ("三、本年度办理结果", APPLICATION_ROWS),  # a group, not a row
        ("2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：", ACTIVE_ROWS),
        ("其他主动公开文件", ACTIVE_ROWS),
    ],
)
def test_not_a_row(label, table):
    assert lookup(table, label) is None


def test_provincial_rows_and_headings_have_tables_of_their_own():
    assert (
        lookup(
            ACTIVE_EXTRA_ROWS,
            "2020年本行政区域（或本部门）政府信息公开发布总数量（非新闻类、消息类）：",
        )
        == "region_total"
    )
    assert lookup(ACTIVE_EXTRA_ROWS, "其他主动公开文件") == "other_published"
    assert (
        lookup(SECTION_HEADINGS, "二、主动公开政府政府情况") == "active"
    )  # typo of 吴起县周湾镇 2021
    assert lookup(SECTION_HEADINGS, "四、复议、诉讼和申诉情况") == "review"  # seed 003
    assert lookup(SECTION_HEADINGS, "五、存在的主要问题及整改措施") == "problems"
    assert lookup(APPLICATION_GROUPS, "(五)·") is None  # the lost group label of seed 004
