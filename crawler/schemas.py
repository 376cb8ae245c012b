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
