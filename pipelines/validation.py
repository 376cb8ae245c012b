"""Item pipeline (990): Spidermon's item validation, with its schema compiled once per crawl.

Spidermon's ``ItemValidationPipeline`` builds a new jsonschema validator for every item, and
the validator walks the whole bundled schema again for every ``$ref`` it meets; it also deep-
copies the item (its bytes, text and report) into a dict first.  Together that cost more CPU
per report than extracting it.  This subclass keeps Spidermon's pipeline, settings and stats
(``spidermon/validation/…``, which the monitors read) and changes only that: one validator
over a registry crawled once, and the item's fields handed over as they are (validation only
reads them).  The report of an item that repeats its last capture (pipelines/reuse.py) is the
stored one, checked when it was first read: its item is checked without it, so an unchanged
re-crawl does not pay for the report schema again.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from jsonschema.validators import validator_for
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline as SpidermonValidation
from spidermon.contrib.validation import JSONSchemaValidator
from spidermon.contrib.validation.jsonschema.formats import format_checker
from spidermon.contrib.validation.jsonschema.validator import REQUIRED_RE

from pipelines.reuse import reused


class CompiledJSONSchemaValidator(JSONSchemaValidator):
    def __init__(self, schema: dict, **kwargs: Any):
        super().__init__(schema, **kwargs)
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        self._compiled = validator_for(schema)(
            schema=schema, registry=(resource @ Registry()).crawl(), format_checker=format_checker)

    def _validate(self, data, strict=False):
        for error in self._compiled.iter_errors(data):  # named as Spidermon names them
            path = [str(p) for p in error.absolute_path]
            required = REQUIRED_RE.search(error.message)
            if required:
                path.append(required.group(1))
            self._add_errors({".".join(path): [error.message]})


def _fields(obj: Any) -> Any:
    """A dataclass item as a dict of its fields, nested dataclasses too, values not copied."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _fields(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list) and obj and dataclasses.is_dataclass(obj[0]):
        return [_fields(v) for v in obj]
    return obj


class ItemValidationPipeline(SpidermonValidation):
    @classmethod
    def _load_jsonschema_validator(cls, schema):
        return CompiledJSONSchemaValidator(super()._load_jsonschema_validator(schema)._schema)

    def process_item(self, item, spider=None):
        validators = self.find_validators(item)
        if not validators or self.add_errors_to_items or not dataclasses.is_dataclass(item):
            return super().process_item(item, spider)
        data = _fields(item)
        if reused(item) is not None:
            data["report"] = None  # the stored report, checked when it was read (see above)
        self.stats.add_item()
        self.stats.add_fields(len(data))
        for validator in validators:
            ok, errors = validator.validate(data)
            if not ok:
                self._add_error_stats(errors)
                if self.drop_items_with_errors:
                    self._drop_item(item, errors)
        return item
