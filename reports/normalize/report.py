"""Assembling the normalized report dict (docs/report-schema.md) from its parts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .checks import run_checks
from .derive import derive
from .grid import html_text, parse_html
from .html_tables import parse_html_tables
from .identity import Identity, identify, settle_year
from .layout import APPLICATION_ORDER
from .prose import prose_facts
from .tables import Record, Table, Tables
from .text_tables import parse_text_tables

if TYPE_CHECKING:
    from lxml import etree

SCHEMA_VERSION = 1


def _template(tables: Tables) -> str:
    """The form of the tables found; a report without any table is free-form.

    Tables whose cells are all empty still have labels: where those decide the form
    (form-only labels or rows), the report is of that form, not free-form.
    """
    if tables.found():
        if not tables.labelled:
            tables.flags.append(
                f"template {tables.template} from the report year: no label or row of one form only"
            )
        return tables.template
    if tables.labelled:
        tables.flags.append(
            f"template {tables.template} from the tables' labels; the tables print no values"
        )
        return tables.template
    return "freeform"


def _missing_rows(applications: Table, template: str) -> list[str]:
    if not applications or template not in APPLICATION_ORDER:
        return []
    return [
        f"row missing: applications.{row}"
        for row in APPLICATION_ORDER[template]
        if row not in applications
    ]


def assemble(tables: Tables, identity: Identity, text: str, *, source: str, meta: Record) -> Record:
    template = _template(tables)
    if template != "freeform":
        settle_year(identity, template, tables.labelled)
    derive(tables, template)
    return {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "report_year": identity.report_year,
        "org_name": identity.org_name,
        "template": template,
        "title": identity.title,
        "meta": meta,
        "active": tables.active,
        "applications": tables.applications,
        "review_litigation": tables.review_litigation,
        "prose_facts": prose_facts(text),
        "checks": run_checks(tables.applications, tables.review_litigation, template),
        "flags": tables.flags + _missing_rows(tables.applications, template) + identity.flags,
    }


def from_text(
    text: str, *, source: str, title: str | None = None, meta: Record | None = None
) -> Record:
    meta = dict(meta or {})
    identity = identify(text, title=title, meta=meta)
    tables = parse_text_tables(text, year=identity.report_year)
    if not tables.found():
        tables.flags.append("no tables found")
    return assemble(tables, identity, text, source=source, meta=meta)


def from_html(
    html: str, *, source: str, title: str | None = None, meta: Record | None = None
) -> Record:
    root = parse_html(html)
    if root is None:
        return from_text(html, source=source, title=title, meta=meta)
    return from_tree(root, source=source, title=title, meta=meta)


def from_tree(
    root: etree._Element, *, source: str, title: str | None = None, meta: Record | None = None
) -> Record:
    """``from_html`` of HTML already parsed: the element is read, never changed."""
    text = html_text(root)
    meta = dict(meta or {})
    identity = identify(text, title=title, meta=meta)
    tables = parse_html_tables(root, year=identity.report_year)
    if not tables.found():
        # Tables flattened into paragraphs (one <p> per cell, a <pre> block) or a whole report
        # in one cell: read the text.
        report = from_text(text, source=source, title=title, meta=meta)
        report["flags"].insert(0, "no usable <table>; read as text")
        return report
    _fill_from_text(tables, text, identity.report_year)
    return assemble(tables, identity, text, source=source, meta=meta)


_SECTIONS = {"active": "二", "applications": "三", "review_litigation": "四"}


def _fill_from_text(tables: Tables, text: str, year: int | None) -> None:
    """A table the page gives as paragraphs while the others are <table>s: read it as text."""
    missing = [name for name in _SECTIONS if not getattr(tables, name)]
    if not missing:
        return
    from_page = parse_text_tables(
        text, year=year, template=tables.template if tables.voted else None
    )
    if from_page.voted and not tables.voted:
        tables.template = from_page.template
    for name in missing:
        section = getattr(from_page, name)
        if section:
            setattr(tables, name, section)
            tables.flags.append(f"table {_SECTIONS[name]} read from the page's text, not a <table>")
            tables.flags += [
                f
                for f in from_page.flags
                if f"{name}." in f or (name == "review_litigation" and "四" in f)
            ]
