"""Feed exporters: CSV cells that hold nested fields (meta, report, attachments) as JSON.

Scrapy's CsvItemExporter writes a dict or a list as its Python repr ({'index_no': …}), which
no CSV reader turns back into data; here every dict or list cell is one JSON document
(UTF-8, keys sorted) and every other cell is as Scrapy writes it.  FEED_EXPORTERS in
crawler/settings.py puts it in place for `-O items.csv`.
"""

from __future__ import annotations

import json
from typing import Any

from scrapy.exporters import CsvItemExporter


class JsonCellCsvItemExporter(CsvItemExporter):
    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        serializer = field.get("serializer")  # the item's own (ReportPage.attachments → records)
        if serializer is not None:
            value = serializer(value)
        if isinstance(value, (dict, list, tuple)):
            return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
        return super().serialize_field({}, name, value)
