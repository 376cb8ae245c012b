"""A report's body HTML (title, six sections, tables 二–四) as a Word paste into the editor."""

from __future__ import annotations

from html import escape

from . import tables
from .model import ReportContent

_P = (
    '<p class=MsoNormal style="text-indent:32.0pt;line-height:28.0pt"><span '
    'style="font-size:16.0pt;font-family:仿宋_GB2312">{}</span></p>'
)
_H = (
    '<p class=MsoNormal style="text-indent:32.0pt;line-height:28.0pt"><b><span '
    'style="font-size:16.0pt;font-family:黑体">{}</span></b></p>'
)
_TITLE = (
    '<p class=MsoNormal align=center style="text-align:center"><b><span '
    'style="font-size:22.0pt;font-family:方正小标宋简体">{}</span></b></p>'
)
_SIGN = (
    '<p class=MsoNormal align=right style="text-align:right"><span '
    'style="font-size:16.0pt;font-family:仿宋_GB2312">{}</span></p>'
)


def report_body(title: str, report: ReportContent) -> str:
    parts = [_TITLE.format(escape(title))]
    parts += [_P.format(escape(p)) for p in report.preamble]
    tabs = {
        1: lambda: tables.active_table(
            report.template, report.active, amount_label=report.amount_label
        ),
        2: lambda: tables.applications_table(report.template, report.applications),
        3: lambda: tables.review_table(report.review_litigation),
    }
    for i, heading in enumerate(report.headings):
        parts.append(_H.format(escape(heading)))
        parts += [_P.format(escape(p)) for p in report.sections[i]]
        if i in tabs:
            parts.append(tabs[i]())
    parts += [_SIGN.format(escape(s)) for s in report.signature]
    return "\n".join(parts)
