"""Generated reports: numbers that satisfy C1–C7 (unless an error is injected) and prose.

Everything is drawn from the `random.Random` passed in, so a fixed seed gives the same reports.
"""

from __future__ import annotations

import random
from datetime import date

from . import forms
from .checks import failing_checks
from .model import ReportContent

# How a unit's load scales: (max natural-person applications, max items, max decisions)
SCALES = {"county": (40, 80, 600), "department": (15, 40, 300), "township": (5, 10, 40)}

_RESULT_WEIGHTS = {
    "granted": 45,
    "partially_granted": 10,
    "unable_not_held": 15,
    "unable_needs_creation": 3,
    "unable_unclear": 3,
    "rejected_petition": 4,
    "rejected_duplicate": 3,
    "denied_third_party": 3,
    "denied_process_info": 2,
    "denied_internal_affairs": 2,
    "other_handling": 2,
    "other_no_correction": 2,
    "other_misc": 2,
}
ERROR_KINDS = ("C1", "C2", "C5")
# A cross-year error: this year's 上年结转 is not last year's 结转下年度继续办理 (one request more),
# while this year's own table still adds up.
CARRY_MISMATCH = "X1"


def zero_values(template: str) -> tuple[dict, dict, dict]:
    active = {
        row: {col: 0 for col, _ in block.columns}
        for block in forms.ACTIVE_BLOCKS[template]
        for row, _ in block.rows
    }
    if template == "2019":
        active["procurement"]["amount_unit"] = None
    applications = {
        key: {col: 0 for col, _ in forms.APPLICANT_COLUMNS}
        for key, *_ in forms.application_rows(template)
    }
    review = {g: {c: 0 for c, _ in forms.REVIEW_COLUMNS} for g, _ in forms.REVIEW_GROUPS}
    return active, applications, review


def _active(
    rng: random.Random, template: str, scale: str, previous: ReportContent | None = None
) -> tuple[dict, str | None]:
    _, items, decisions = SCALES[scale]
    active, _, _ = zero_values(template)
    docs = rng.randint(0, max(1, items // 10))
    label = None
    if template == "2019":
        active["normative_documents"] = {
            "new_made": docs,
            "new_published": docs,
            "total_published": docs + rng.randint(0, items // 2),
        }
        for row in ("licensing", "other_services", "penalty", "coercion"):
            active[row] = {
                "prev_items": rng.randint(0, items),
                "change": rng.randint(-3, 5),
                "decisions": rng.randint(0, decisions),
            }
        active["fees"] = {"prev_items": rng.randint(0, items // 4), "change": rng.randint(-1, 1)}
        if previous is not None and previous.template == "2019":
            _continue_active(previous.active, active)
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            active[row]["change"] = max(active[row]["change"], -active[row]["prev_items"])
        unit = rng.choice(["元", "万元", None])
        projects = rng.randint(0, 8)
        if not projects:
            amount = 0
        elif unit == "万元":
            amount = round(rng.uniform(2, 400), 2)
        else:
            amount = rng.randint(20, 4000) * 100
        active["procurement"] = {"projects": projects, "amount": amount, "amount_unit": unit}
        label = {"元": "采购总金额（元）", "万元": "采购总金额（万元）", None: None}[unit]
    else:
        active["normative_documents"] = {
            "issued": docs,
            "repealed": rng.randint(0, docs),
            "in_force": docs + rng.randint(0, items // 2),
        }
        for row in ("licensing", "penalty", "coercion"):
            active[row] = {"decisions": rng.randint(0, decisions)}
        fee = round(rng.uniform(0.5, 90), 2) if rng.random() < 0.5 else 0
        active["fees"] = {"amount_wan_yuan": fee}
    return active, label


def _continue_active(last: dict, active: dict) -> None:
    """A body's stocks run on from last year's report: 上一年项目数量 is last year's count after
    its 本年增/减, 对外公开总数量 grows by the year's new publications."""
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        active[row]["prev_items"] = last[row]["prev_items"] + last[row]["change"]
    for row in ("rules", "normative_documents"):
        active[row]["total_published"] = last[row]["total_published"] + active[row]["new_published"]


def _carry_in(applications: dict, col: str, carried: int) -> None:
    """Make `carried` this year's 上年结转 of a column; the year's new requests take up the
    difference (or, if too few, more are handled), so C2 and C3 still hold."""
    a = applications
    diff = carried - a["carried_over"][col]
    a["carried_over"][col] = carried
    absorbed = min(diff, a["new_received"][col])
    a["new_received"][col] -= absorbed
    a["total_handled"][col] += diff - absorbed
    a["granted"][col] += diff - absorbed


def _applications(
    rng: random.Random,
    template: str,
    scale: str,
    previous: ReportContent | None = None,
    error: str | None = None,
) -> dict:
    _, applications, _ = zero_values(template)
    top = SCALES[scale][0]
    results = list(forms.result_keys(template))
    weights = [_RESULT_WEIGHTS.get(k, 1) for k in results]
    for col in forms.APPLICANT_KEYS:
        limit = top if col == "natural_person" else (top // 4 if col == "commercial" else 1)
        new = rng.randint(0, limit) if rng.random() < 0.8 else 0
        carried = rng.randint(0, 2) if new > 3 else 0
        forward = rng.randint(0, min(2, (new + carried) // 4))
        handled = new + carried - forward
        applications["new_received"][col] = new
        applications["carried_over"][col] = carried
        applications["carried_forward"][col] = forward
        applications["total_handled"][col] = handled
        for key in rng.choices(results, weights, k=handled):
            applications[key][col] += 1
        if previous is not None:  # drawn as before, so the random stream does not shift
            planted = 1 if error == CARRY_MISMATCH and col == "natural_person" else 0
            _carry_in(applications, col, previous.applications["carried_forward"][col] + planted)
    for row in applications.values():
        row["total"] = sum(row[c] for c in forms.APPLICANT_KEYS)
    return applications


def _review(rng: random.Random, scale: str) -> dict:
    review = {}
    for group, _ in forms.REVIEW_GROUPS:
        odds = {"county": 0.7, "department": 0.4, "township": 0.15}[scale]
        g = {
            c: (rng.randint(0, 2) if rng.random() < odds else 0)
            for c, _ in forms.REVIEW_COLUMNS[:4]
        }
        g["total"] = sum(g.values())
        review[group] = g
    return review


def _inject(rng: random.Random, kind: str, applications: dict, review: dict) -> None:
    """A typo of the kind real reports contain: one cell off by one or a few."""
    if kind == "C1":
        row = rng.choice(["granted", "new_received", "unable_not_held"])
        applications[row]["total"] += rng.choice([1, 2, 10])
    elif kind == "C2":
        applications["carried_forward"]["natural_person"] += 1
        applications["carried_forward"]["total"] += 1
    elif kind == "C5":
        review["review"]["total"] += 1


_PROBLEMS = [
    "一是政策解读形式还不够丰富，图解、视频等解读方式运用较少；二是部分栏目信息更新不够及时。",
    "一是主动公开的深度和广度有待加强；二是工作人员业务能力有待进一步提升。",
    "一是信息发布的时效性需要进一步提高；二是依申请公开办理流程有待进一步规范。",
]
_MEASURES = [
    "下一步，我们将加强业务培训，完善信息发布审核机制，丰富政策解读形式，及时回应社会关切。",
    "针对上述问题，将进一步健全工作机制，明确责任分工，强化监督检查，推动政务公开工作提质增效。",
]


def _prose(
    rng: random.Random,
    org: str,
    year: int,
    template: str,
    apps: dict,
    review: dict,
    published_items: int,
) -> tuple[list[str], list[list[str]]]:
    new, carried = apps["new_received"]["total"], apps["carried_over"]["total"]
    forward = apps["carried_forward"]["total"]
    preamble = [
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和上级有关要求，由{org}编制。"
        f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        f"政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    ]
    overall = [
        f"{year}年，{org}深入贯彻落实《条例》，坚持以公开为常态、不公开为例外，持续推进政务公开工作。",
        f"（一）主动公开。全年通过政府网站、政务新媒体、公开栏等渠道主动公开政府信息{published_items}条。",
        (
            f"（二）依申请公开。全年共收到政府信息公开申请{new}件，上年结转{carried}件，"
            f"均按法定时限予以答复，结转下年度继续办理{forward}件。"
            if new or carried
            else "（二）依申请公开。全年未收到政府信息公开申请。"
        ),
        "（三）政府信息管理。严格落实信息发布“三审”制度，动态调整主动公开基本目录。",
        "（四）政府信息公开平台建设。加强政府网站信息公开专栏建设，及时更新栏目内容。",
        "（五）监督保障。将政务公开工作纳入年度目标考核，全年未发生责任追究情况。",
    ]
    cases = (
        review["review"]["total"]
        + review["suit_direct"]["total"]
        + review["suit_after_review"]["total"]
    )
    fee = "本年度未收取政府信息公开信息处理费。" if template == "2021" else "无其他需要报告的事项。"
    sections = [
        overall,
        [],
        [],
        [f"全年因政府信息公开工作被申请行政复议、提起行政诉讼共{cases}件。"] if cases else [],
        [rng.choice(_PROBLEMS), rng.choice(_MEASURES)],
        [fee],
    ]
    return preamble, sections


def _headings(rng: random.Random) -> tuple[str, ...]:
    headings = list(forms.SECTION_HEADINGS)
    if rng.random() < 0.2:
        headings[4] = "五、存在的主要问题及整改措施"
    if rng.random() < 0.15:
        headings[5] = "六、其他需要报告的事项"
    return tuple(headings)


def generate_report(
    rng: random.Random,
    *,
    org_name: str,
    signer: str,
    year: int,
    scale: str,
    written: date,
    error: str | None = None,
    previous: ReportContent | None = None,
) -> ReportContent:
    """One report; `previous` (the body's report of the year before) makes its carry-overs and
    stocks run on from that one, as a real body's do (except where `error` is CARRY_MISMATCH)."""
    template = forms.template_for_year(year)
    active, amount_label = _active(rng, template, scale, previous)
    applications = _applications(rng, template, scale, previous, error)
    review = _review(rng, scale)
    preamble, sections = _prose(
        rng, org_name, year, template, applications, review, rng.randint(20, SCALES[scale][2] + 20)
    )
    if error in ERROR_KINDS:
        _inject(rng, error, applications, review)
    return ReportContent(
        org_name=org_name,
        report_year=year,
        template=template,
        active=active,
        applications=applications,
        review_litigation=review,
        headings=_headings(rng),
        sections=sections,
        preamble=preamble,
        signature=[signer, f"{written.year}年{written.month}月{written.day}日"],
        amount_label=amount_label,
        failing_checks=failing_checks(template, applications, review),
    )
