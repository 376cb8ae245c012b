"""Tables 二, 三 and 四 rendered the way Word pastes them into a CMS editor.

One renderer per table, each driven by the form definition in `forms` (so the 2019 and 2021
templates share the code). Cells look like
``<td width=.. rowspan=.. colspan=.. style=..>``
``<p class=MsoNormal ..><span style=..>text</span></p></td>``.
"""

from __future__ import annotations

from html import escape

from . import forms

_TABLE = (
    "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
    'style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;'
    'mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt">'
)
_TD_STYLE = (
    "border:solid windowtext 1.0pt;mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt"
)


def fmt(value) -> str:
    """A number as a report prints it (ints plain, decimals without trailing zeros)."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def cell(text, *, rowspan: int = 1, colspan: int = 1, width: int = 60, bold: bool = False) -> str:
    spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (
        f" colspan={colspan}" if colspan > 1 else ""
    )
    inner = escape(str(text))
    if bold:
        inner = f"<b>{inner}</b>"
    return (
        f'<td width={width * colspan}{spans} valign=center style="{_TD_STYLE}">'
        f'<p class=MsoNormal align=center style="text-align:center">'
        f'<span style="font-size:10.5pt;font-family:宋体">{inner}</span></p></td>'
    )


def _table(rows: list[list[str]]) -> str:
    body = "".join(f'<tr style="mso-yfti-irow:{i}">{"".join(r)}</tr>' for i, r in enumerate(rows))
    return f"{_TABLE}<tbody>{body}</tbody></table>"


def active_table(template: str, active: dict, *, amount_label: str | None = None) -> str:
    """Table 二. Four grid columns: 信息内容 + three values; a single value spans all three."""
    rows: list[list[str]] = []
    for block in forms.ACTIVE_BLOCKS[template]:
        rows.append([cell(block.caption, colspan=4, bold=True)])
        span = 3 // len(block.columns) if len(block.columns) in (1, 3) else 1
        header = [cell("信息内容", width=140)]
        for key, label in block.columns:
            if key == "amount" and amount_label:
                label = amount_label
            header.append(cell(label, colspan=span))
        header += [cell("")] * (3 - span * len(block.columns))
        rows.append(header)
        for row_key, row_label in block.rows:
            values = active.get(row_key, {})
            line = [cell(row_label, width=140)]
            line += [cell(fmt(values.get(key)), colspan=span) for key, _ in block.columns]
            line += [cell("")] * (3 - span * len(block.columns))
            rows.append(line)
    return _table(rows)


def applications_table(template: str, applications: dict) -> str:
    """Table 三: three label columns (merged by level) + seven applicant columns."""
    names = [label for _, label in forms.APPLICANT_COLUMNS]
    rows: list[list[str]] = [
        [
            cell(forms.APPLICATIONS_NOTE, rowspan=3, colspan=3, width=70),
            cell("申请人情况", colspan=7),
        ],
        [cell(names[0], rowspan=2), cell("法人或其他组织", colspan=5), cell(names[-1], rowspan=2)],
        [cell(n) for n in names[1:-1]],
    ]
    spec = forms.application_rows(template)
    for i, (key, l1, l2, l3) in enumerate(spec):
        line: list[str] = []
        if l2 is None:
            line.append(cell(l1, colspan=3, width=70))
        else:
            if i == 0 or spec[i - 1][1] != l1:
                line.append(cell(l1, rowspan=sum(1 for r in spec if r[1] == l1), width=70))
            if l3 is None:
                line.append(cell(l2, colspan=2, width=70))
            else:
                if spec[i - 1][2] != l2:
                    line.append(
                        cell(
                            l2, rowspan=sum(1 for r in spec if r[1] == l1 and r[2] == l2), width=70
                        )
                    )
                line.append(cell(l3, width=70))
        values = applications.get(key, {})
        line += [cell(fmt(values.get(col))) for col, _ in forms.APPLICANT_COLUMNS]
        rows.append(line)
    return _table(rows)


def review_table(review_litigation: dict) -> str:
    """Table 四: 行政复议 (5) | 行政诉讼 (10 = 未经复议直接起诉 5 + 复议后起诉 5), one value row."""
    leaves = [label for _, label in forms.REVIEW_COLUMNS]
    (_, review), (_, direct), (_, after) = forms.REVIEW_GROUPS
    rows = [
        [cell(review, colspan=5), cell("行政诉讼", colspan=10)],
        [cell(t, rowspan=2) for t in leaves] + [cell(direct, colspan=5), cell(after, colspan=5)],
        [cell(t) for t in leaves * 2],
        [
            cell(fmt(review_litigation.get(group, {}).get(col)))
            for group, _ in forms.REVIEW_GROUPS
            for col, _ in forms.REVIEW_COLUMNS
        ],
    ]
    return _table(rows)
