"""Spidermon's ItemValidationPipeline, at a cost a re-crawl of unchanged reports can pay.

Spidermon validates every item with jsonschema and, per item, builds a new validator (the
item schema's references to the report schema embedded in it make the registry crawl that
schema again each time) and converts the item with ``ItemAdapter.asdict``, both slower than
the crawl's own work on an unchanged report (bench/recrawl.py).  Here:

* the item becomes a plain dict in one pass (dataclasses, dicts, lists; values as they are);
* jsonschema-rs, compiled once, says whether it is valid; almost every item is, and that is
  the whole check;
* an item it refuses (or cannot read) is validated again by jsonschema, with the validator
  built once on a crawled registry, so the errors, their field names and Spidermon's stats
  are exactly what Spidermon's own pipeline reports.

The report of an item that repeats its last capture (pipelines/reuse.py) is the stored one,
checked when it was first read: its item is checked without it, so an unchanged re-crawl does
not pay for the report schema again.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jsonschema_rs
from itemadapter import ItemAdapter
from jsonschema.validators import validator_for
from referencing import Registry, Resource
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline as SpidermonPipeline
from spidermon.contrib.validation import JSONSchemaValidator
from spidermon.contrib.validation.jsonschema.formats import format_checker
from spidermon.contrib.validation.jsonschema.validator import REQUIRED_RE

from pipelines.reuse import reused

_SCALARS = (str, int, float, bool, bytes, type(None))


def plain(value: Any) -> Any:
    """An item as nested dicts and lists (what ``ItemAdapter.asdict`` gives, in one pass)."""
    if isinstance(value, _SCALARS):  # most of a report's values: asked first
        return value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    if ItemAdapter.is_item(value):
        return plain(ItemAdapter(value).asdict())
    return value


def _json_view(value: Any) -> Any:
    """The item without its bytes (page and file bodies: no schema property names them)."""
    if isinstance(value, dict):
        return {k: _json_view(v) for k, v in value.items() if not isinstance(v, bytes)}
    if isinstance(value, list):
        return [_json_view(v) for v in value if not isinstance(v, bytes)]
    return value


class ReusedJSONSchemaValidator(JSONSchemaValidator):
    def __init__(self, schema: dict, **kwargs):
        super().__init__(schema, **kwargs)
        registry: Registry = Registry()
        if "$id" in schema:
            registry = registry.with_resource(schema["$id"], Resource.from_contents(schema)).crawl()
        self._validator = validator_for(schema)(
            schema=schema, registry=registry, format_checker=format_checker
        )
        # offline: the references are to the schemas embedded in this one, never fetched
        self._fast = jsonschema_rs.validator_for(schema, offline=True)

    def _validate(self, data, strict=False):
        try:
            if self._fast.is_valid(_json_view(data)):
                return
        except (TypeError, ValueError):  # a value it cannot read: jsonschema decides
            pass
        for error in self._validator.iter_errors(data):
            path = [str(p) for p in error.absolute_path]
            required = REQUIRED_RE.search(error.message)
            if required:
                path.append(required.group(1))
            self._add_errors({".".join(path): [error.message]})


class ItemValidationPipeline(SpidermonPipeline):
    @classmethod
    def _load_jsonschema_validator(cls, schema):
        validator = super()._load_jsonschema_validator(schema)
        return ReusedJSONSchemaValidator(validator._schema)

    def process_item(self, item, spider=None):
        """Spidermon's, with ``plain`` for ``ItemAdapter.asdict``."""
        validators = self.find_validators(item)
        if not validators:
            return item
        if reused(item) is not None and dataclasses.is_dataclass(item):
            # the stored report, checked when it was read (see above): not even converted
            data = {
                f.name: None if f.name == "report" else plain(getattr(item, f.name))
                for f in dataclasses.fields(item)
            }
        else:
            data = plain(item)
        self.stats.add_item()
        self.stats.add_fields(len(data))
        for validator in validators:
            ok, errors = validator.validate(data)
            if not ok:
                self._add_error_stats(errors)
                if self.add_errors_to_items:
                    self._add_errors_to_item(ItemAdapter(item), errors)
                if self.drop_items_with_errors:
                    self._drop_item(item, errors)
        return item
