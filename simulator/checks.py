"""Rules C1–C3 and C5–C7 (docs/report-schema.md) over ground-truth values.

Used by the generator to record which checks a deliberately wrong report fails. `where` is
``applications.<row>`` for C1, ``applications.*.<column>`` for C2/C3 and
``review_litigation.<group>`` for C5–C7 (the normalizer's spelling, pipelines/normalize/checks.py).
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
                    a["total_handled"][col] + a["carried_forward"][col]):
                failed.append({"rule": "C2", "where": f"applications.*.{col}"})
            if a["total_handled"][col] != sum(a[r][col] for r in results):
                failed.append({"rule": "C3", "where": f"applications.*.{col}"})
    for rule, (group, _) in zip(("C5", "C6", "C7"), forms.REVIEW_GROUPS):
        g = review_litigation.get(group)
        if g and g["total"] != g["upheld"] + g["corrected"] + g["other"] + g["pending"]:
            failed.append({"rule": rule, "where": f"review_litigation.{group}"})
    return failed
