"""The JSON Schemas of docs/schemas/: the normalized report and the feed item.

    from crawler.schemas import validator
    errors = list(validator("item").iter_errors(item_dict))

The item schema refers to the report schema by its $id; both are registered, so either
validates on its own.  The tests validate every crawled item with them, and so can monitors.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schemas"
NAMES = ("report", "item")


@cache
def validator(name: str):
    """A Draft 2020-12 validator of docs/schemas/<name>.schema.json."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    if name not in NAMES:
        raise ValueError(f"no schema {name!r}; the schemas are {', '.join(NAMES)} (docs/schemas/)")
    schemas = {
        n: json.loads((SCHEMA_DIR / f"{n}.schema.json").read_text(encoding="utf-8")) for n in NAMES
    }
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )
    return Draft202012Validator(
        schemas[name], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _without_export_rules(schema):
    """The schema less its ``not`` clauses: the item in the crawl still holds the page's bytes
    and text, which the exported item (the feed contract) must not carry."""
    if isinstance(schema, dict):
        return {k: _without_export_rules(v) for k, v in schema.items() if k != "not"}
    if isinstance(schema, list):
        return [_without_export_rules(v) for v in schema]
    return schema


def bundled(name: str, *, in_crawl: bool = False) -> dict | None:
    """docs/schemas/<name>.schema.json with the other schemas embedded under ``$defs`` (each
    keeps its ``$id``), so that a validator without a registry (Spidermon's) resolves the
    references between them; ``in_crawl`` for the item as the pipelines hold it (bytes and text
    still in it).  None outside a checkout: a Scrapyd egg carries no docs/."""
    try:
        schemas = {
            n: json.loads((SCHEMA_DIR / f"{n}.schema.json").read_text(encoding="utf-8"))
            for n in NAMES
        }
    except OSError:  # no docs/ beside the packages (inside an egg: not even a directory)
        return None
    out = dict(schemas[name])
    out["$defs"] = {
        **out.get("$defs", {}),
        **{f"embedded_{n}": s for n, s in schemas.items() if n != name},
    }
    return _without_export_rules(out) if in_crawl else out
