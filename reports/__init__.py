"""The pure library that reads a report: bytes or HTML in, typed records out, no I/O.

* `reports.extract`: page bytes -> decoded HTML, metadata header, main content, text; attachment
  files -> text.
* `reports.normalize`: report HTML or text -> the normalized report of docs/report-schema.md.
* `reports.hanzi`: the fold of traditional script and pinyin annotations both readers use.

The Scrapy side (item pipelines in `pipelines/`, the spider and middlewares in `crawler/`) calls
into this package; nothing here imports Scrapy, the store or the network.
"""
