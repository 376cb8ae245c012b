"""WARC/1.1 files of what was fetched, on warcio: request, response and revisit records.

    writer = RollingWarcWriter(local_dir, prefix="nianbao-RUNID", max_size=1 << 30, info={...},
                               on_close=upload)        # called with each finished file's path
    loc = writer.write_exchange(Exchange(...))            # a request + response (or revisit) pair
    writer.close()

Each exchange is flushed to the OS before its location is returned, so a killed crawl leaves
a file whose complete records are all there (storage.recovery stores it at the next start).

Files are gzip-compressed per record (warcio's default, what `warcio index`, pywb and every
CDX indexer expect), named ``<prefix>-<seq:05d>.warc.gz``, each opening with a warcinfo
record, and rolled over once a file reaches ``max_size`` bytes (a record is never split).

What a record holds is what the downloader received, reconstructed from Scrapy's objects (see
pipelines.warc for where it is taken): the status line is rebuilt (protocol, code, the
standard reason phrase), header names come as Scrapy normalizes them (Title-Case), the body
is the entity as transferred (still gzip/deflate/br if the server compressed it, with its
Content-Encoding and Content-Length), and ``Transfer-Encoding`` is dropped because the HTTP
client has already removed the chunking (``WARC-Truncated`` is set if the download was cut).
warcio computes the block and payload digests (SHA-1, base32, the WARC convention).

A revisit record (profile identical-payload-digest) is written instead of a response when
the payload digest equals that of an earlier response record of the same URL; it names that
record (WARC-Refers-To, -Target-URI, -Date), so replay tools fetch the body from there.  A
304 Not Modified to a conditional re-crawl is a revisit of profile server-not-modified,
naming the URL's last response record and carrying its payload digest.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Hop-by-hop framing the HTTP client removed before we saw the body.
_DROP_RESPONSE_HEADERS = {"transfer-encoding"}


def payload_digest(body: bytes) -> str:
    """WARC-Payload-Digest of a body, as warcio writes it (sha1:BASE32)."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


SERVER_NOT_MODIFIED = "http://netpreserve.org/warc/1.1/revisit/server-not-modified"


@dataclass
class Exchange:
    """One HTTP request and its response, as far as the crawler knows them."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    request_body: bytes
    status: int
    response_headers: list[tuple[str, str]]
    body: bytes  # the entity as transferred (content-encoding not undone)
    date: str  # WARC-Date, ISO 8601 UTC with 'Z'
    protocol: str = "HTTP/1.1"
    ip_address: str | None = None
    truncated: bool = False
    # When set, a revisit record is written: (record id, target URI, WARC-Date) of the original.
    refers_to: tuple[str, str, str] | None = None
    metadata: dict[str, str] = field(default_factory=dict)  # a metadata record, if any
    # A 304 to a conditional request: a revisit of profile server-not-modified, carrying the
    # payload digest of the original it refers to (WARC 1.1 section 6.7.3).
    not_modified_digest: str | None = None


@dataclass
class WarcLocation:
    filename: str
    offset: int  # of the response / revisit record in the (compressed) file
    record_id: str
    record_type: str  # response | revisit
    payload_digest: str
    date: str


class RollingWarcWriter:
    def __init__(
        self,
        directory: Path | str,
        prefix: str,
        max_size: int,
        info: dict[str, str],
        on_close: Callable[[Path], None] | None = None,
        first_seq: int = 1,
    ):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = prefix
        self.max_size = max_size
        self.info = info
        self.on_close = on_close
        self.seq = first_seq - 1  # a resumed run (JOBDIR) goes on after the files it has
        self.files: list[Path] = []
        self._fh: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.path: Path | None = None

    def _open(self) -> tuple[BinaryIO, WARCWriter, Path]:
        self.seq += 1
        path = self.directory / f"{self.prefix}-{self.seq:05d}.warc.gz"
        fh = open(path, "xb")  # noqa: SIM115  (held open across exchanges; _finish closes it)
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, self.info))
        self._fh, self._writer, self.path = fh, writer, path
        return fh, writer, path

    def write_exchange(self, ex: Exchange) -> WarcLocation:
        if self._fh is None or self._writer is None or self.path is None:
            fh, w, warc_path = self._open()
        else:
            fh, w, warc_path = self._fh, self._writer, self.path
        status = f"{ex.status} {_reason(ex.status)}"
        headers = [
            (k, v) for k, v in ex.response_headers if k.lower() not in _DROP_RESPONSE_HEADERS
        ]
        http = StatusAndHeaders(status, headers, protocol=ex.protocol)
        warc_headers = {"WARC-Date": ex.date}
        if ex.ip_address:
            warc_headers["WARC-IP-Address"] = ex.ip_address
        if ex.truncated:
            warc_headers["WARC-Truncated"] = "unspecified"
        digest = ex.not_modified_digest or payload_digest(ex.body)
        if ex.refers_to is not None:
            record_id, target, date = ex.refers_to
            resp = w.create_revisit_record(
                ex.url,
                digest,
                target,
                date,
                http_headers=http,
                warc_headers_dict={**warc_headers, "WARC-Refers-To": record_id},
            )
            if ex.not_modified_digest:
                resp.rec_headers.replace_header("WARC-Profile", SERVER_NOT_MODIFIED)
        else:
            resp = w.create_warc_record(
                ex.url,
                "response",
                payload=io.BytesIO(ex.body),
                length=len(ex.body),
                http_headers=http,
                warc_headers_dict=warc_headers,
            )
        parts = urlsplit(ex.url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = [
            ("Host", parts.netloc),
            *[(k, v) for k, v in ex.request_headers if k.lower() != "host"],
        ]
        req = w.create_warc_record(
            ex.url,
            "request",
            payload=io.BytesIO(ex.request_body),
            length=len(ex.request_body),
            http_headers=StatusAndHeaders(
                f"{ex.method} {path} {ex.protocol}",
                req_headers,
                protocol=ex.protocol,
                is_http_request=True,
            ),
            warc_headers_dict={"WARC-Date": ex.date},
        )
        offset = fh.tell()
        w.write_request_response_pair(req, resp)
        record_id = resp.rec_headers.get_header("WARC-Record-ID")
        if ex.metadata:
            body = "".join(f"{k}: {v}\r\n" for k, v in ex.metadata.items()).encode("utf-8")
            w.write_record(
                w.create_warc_record(
                    ex.url,
                    "metadata",
                    payload=io.BytesIO(body),
                    length=len(body),
                    warc_content_type="application/warc-fields",
                    warc_headers_dict={"WARC-Date": ex.date, "WARC-Concurrent-To": record_id},
                )
            )
        # Out of Python's buffer before anyone (the catalog) is told where the records are: a
        # crash can then cut only records nobody refers to yet (storage.recovery).
        fh.flush()
        location = WarcLocation(warc_path.name, offset, record_id, resp.rec_type, digest, ex.date)
        if fh.tell() >= self.max_size:
            self._finish()
        return location

    def _finish(self) -> None:
        if self._fh is None or self.path is None:
            return
        self._fh.close()
        path, self._fh, self._writer = self.path, None, None
        self.files.append(path)
        if self.on_close is not None:
            self.on_close(path)

    def close(self) -> None:
        self._finish()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
