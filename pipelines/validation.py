"""Spidermon's ItemValidationPipeline with one validator per schema, built once.

Spidermon builds a new jsonschema validator for every item, and the item schema's references
to the report schema embedded in it (crawler/schemas.py ``bundled``) make the registry crawl
that schema again on every item: about 40% of the validation time, which a re-crawl of
unchanged reports pays in full (bench/recrawl.py).  Here the registry is crawled once and the
validator reused; the errors are reported exactly as Spidermon reports them.
"""
from __future__ import annotations

from jsonschema.validators import validator_for
from referencing import Registry, Resource
from spidermon.contrib.scrapy.pipelines import ItemValidationPipeline as SpidermonPipeline
from spidermon.contrib.validation import JSONSchemaValidator
from spidermon.contrib.validation.jsonschema.formats import format_checker
from spidermon.contrib.validation.jsonschema.validator import REQUIRED_RE


class ReusedJSONSchemaValidator(JSONSchemaValidator):
    def __init__(self, schema: dict, **kwargs):
        super().__init__(schema, **kwargs)
        registry: Registry = Registry()
        if "$id" in schema:
            registry = registry.with_resource(schema["$id"], Resource.from_contents(schema)).crawl()
        self._validator = validator_for(schema)(schema=schema, registry=registry,
                                                format_checker=format_checker)

    def _validate(self, data, strict=False):
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
