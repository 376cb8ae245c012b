"""Rules C1–C3 and C5–C7 (docs/report-schema.md) over ground-truth values.

Used by the generator to record which checks a deliberately wrong report fails. `where` is
``applications.<row>`` for C1, ``applications.*.<column>`` for C2/C3 and
``review_litigation.<group>`` for C5–C7 (the normalizer's spelling, reports/normalize/checks.py).
"""

from __future__ import annotations

from . import forms


def failing_checks(template: str, applications: dict, review_litigation: dict) -> list[dict]:
    failed: list[dict] = []
    for key, *_ in forms.application_rows(template):
        row = applications.get(key, {})
        if row and row["total"] != sum(row[c] for c in forms.APPLICANT_KEYS):
            failed.append({"rule": "C1", "where": f"applications.{key}"})
    if applications:
        results = forms.result_keys(template)
        for col, _ in forms.APPLICANT_COLUMNS:
            a = applications
            if a["new_received"][col] + a["carried_over"][col] != (
                a["total_handled"][col] + a["carried_forward"][col]
            ):
                failed.append({"rule": "C2", "where": f"applications.*.{col}"})
            if a["total_handled"][col] != sum(a[r][col] for r in results):
                failed.append({"rule": "C3", "where": f"applications.*.{col}"})
    for rule, (group, _) in zip(("C5", "C6", "C7"), forms.REVIEW_GROUPS, strict=True):
        g = review_litigation.get(group)
        if g and g["total"] != g["upheld"] + g["corrected"] + g["other"] + g["pending"]:
            failed.append({"rule": rule, "where": f"review_litigation.{group}"})
    return failed


# Cross-year rules: a report against the same body's report of the year before.
_STOCK_ROWS = ("licensing", "other_services", "penalty", "coercion", "fees")
_PUBLISHED_ROWS = ("rules", "normative_documents")


def cross_year_failures(last, this) -> list[dict]:
    """Rules X1–X3 between two ReportContents of one body, `last` of the year before `this`.

    X1 ``applications.carried_over.<column>``: 上年结转 = last year's 结转下年度继续办理;
    X2 ``active.<row>.prev_items``: 上一年项目数量 = last year's 上一年项目数量 + 本年增/减;
    X3 ``active.<row>.total_published``: 对外公开总数量 = last year's + this year's 本年新公开数量.
    X2 and X3 compare two reports of the 2019 form only (the 2021 form has no such columns).
    """
    failed: list[dict] = []
    for col, _ in forms.APPLICANT_COLUMNS:
        if this.applications["carried_over"][col] != last.applications["carried_forward"][col]:
            failed.append({"rule": "X1", "where": f"applications.carried_over.{col}"})
    if this.template == last.template == "2019":
        for row in _STOCK_ROWS:
            if (
                this.active[row]["prev_items"]
                != last.active[row]["prev_items"] + last.active[row]["change"]
            ):
                failed.append({"rule": "X2", "where": f"active.{row}.prev_items"})
        for row in _PUBLISHED_ROWS:
            expected = last.active[row]["total_published"] + this.active[row]["new_published"]
            if this.active[row]["total_published"] != expected:
                failed.append({"rule": "X3", "where": f"active.{row}.total_published"})
    return failed
