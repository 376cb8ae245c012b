"""Label variants from real reports map to one canonical key."""

from __future__ import annotations

import pytest

from pipelines.normalize.labels import (
    ACTIVE_COLUMNS,
    ACTIVE_ROWS,
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    REVIEW_GROUPS,
    REVIEW_LEAVES,
    lookup,
    money_unit,
    normalize_label,
)


@pytest.mark.parametrize(("label", "key"), [
    ("（四）1．本单位不掌握相关政府信息", "unable_not_held"),
    ("1.本机关不掌握相关政府信息", "unable_not_held"),
    ("4.无正当理由由大量反复申请", "rejected_excessive"),
    ("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)", "partially_granted"),
    ("3. 危及“三安全一稳定”", "denied_security_stability"),
    ("1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_unpaid_fee"),
    ("3. 其他", "other_misc"),
    ("(七) 总计", "total_handled"),
    ("(六) 其他处理", "other_handling"),
    ("四、结转下年度继续办理", "carried_forward"),
    ("一、本年新收政府信息公开申请数量", "new_received"),
    ("㈠予以公开", "granted"),
    ("三、本年度办理结果", None),
    ("(三) 不予公开", None),
    ("其他结果", None),
])
def test_application_rows(label, key):
    assert lookup(APPLICATION_ROWS, label) == key


@pytest.mark.parametrize(("label", "table", "key"), [
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
])
def test_other_tables(label, table, key):
    assert lookup(table, label) == key


def test_normalize_label_folds_width_spaces_and_numbering():
    assert normalize_label("（三）\u00a01．属于　国家秘密") == "属于国家秘密"
    assert normalize_label("發(fā)布") == "发布"


def test_money_unit():
    assert money_unit("采购总金额(单位:万元,保留4位小数)") == "万元"
    assert money_unit("采购总金额（元）") == "元"
    assert money_unit("采购总金额") is None
