"""What the official tables look like: column order per row, per template.

Used where a report gives no readable header for a block (text dumps, truncated
"本年新 | 本年新 |" headers); HTML with headers maps cells by header instead.
"""

from __future__ import annotations

APPLICANT_ORDER = [
    "natural_person",
    "commercial",
    "research",
    "social_org",
    "legal_service",
    "other",
    "total",
]

REVIEW_GROUP_ORDER = ["review", "suit_direct", "suit_after_review"]
REVIEW_LEAF_ORDER = ["upheld", "corrected", "other", "pending", "total"]

_DOCS_2019 = ["new_made", "new_published", "total_published"]
_ITEMS_2019 = ["prev_items", "change", "decisions"]

ACTIVE_ORDER = {
    "2019": {
        "rules": _DOCS_2019,
        "normative_documents": _DOCS_2019,
        "licensing": _ITEMS_2019,
        "other_services": _ITEMS_2019,
        "penalty": _ITEMS_2019,
        "coercion": _ITEMS_2019,
        "fees": ["prev_items", "change"],
        "procurement": ["projects", "amount"],
    },
    "2021": {
        "rules": ["issued", "repealed", "in_force"],
        "normative_documents": ["issued", "repealed", "in_force"],
        "licensing": ["decisions"],
        "penalty": ["decisions"],
        "coercion": ["decisions"],
        "fees": ["amount_wan_yuan"],
    },
}

_RESULT_ROWS = [
    "granted",
    "partially_granted",
    "denied_state_secret",
    "denied_law_prohibited",
    "denied_security_stability",
    "denied_third_party",
    "denied_internal_affairs",
    "denied_process_info",
    "denied_enforcement_file",
    "denied_admin_query",
    "unable_not_held",
    "unable_needs_creation",
    "unable_unclear",
    "rejected_petition",
    "rejected_duplicate",
    "rejected_publication",
    "rejected_excessive",
    "rejected_confirmation",
]
OTHER_ROWS = {
    "2019": ["other_handling"],
    "2021": ["other_no_correction", "other_unpaid_fee", "other_misc"],
}

# Table 三 result rows whose sum is （七）总计 (rule C3), per template.
RESULT_ROWS = {template: _RESULT_ROWS + other for template, other in OTHER_ROWS.items()}

# All data rows of table 三, in the official order.
APPLICATION_ORDER = {
    template: ["new_received", "carried_over"] + rows + ["total_handled", "carried_forward"]
    for template, rows in RESULT_ROWS.items()
}

# Every data row of table 三 of either form, in printed order (for output order).
ALL_APPLICATION_ROWS = tuple(
    dict.fromkeys(APPLICATION_ORDER["2019"][:-2] + APPLICATION_ORDER["2021"])
)

# Money columns: kept as decimals, never as item counts.
MONEY_COLUMNS = frozenset({"amount", "amount_wan_yuan"})


def active_columns(template: str, row_key: str) -> list[str]:
    """Default column order of a table-二 row; a 2021 report using a 2019 row falls back."""
    order = ACTIVE_ORDER.get(template, ACTIVE_ORDER["2019"])
    return list(order.get(row_key) or ACTIVE_ORDER["2019"][row_key])
