"""S3-compatible backend through boto3 (AWS, MinIO, SeaweedFS, Aliyun OSS, Tencent COS).

Configuration is boto3's own, nothing of ours: endpoint (``AWS_ENDPOINT_URL``,
``AWS_ENDPOINT_URL_S3`` or a profile's ``endpoint_url``), region, credentials
(``AWS_ACCESS_KEY_ID``…, ``AWS_PROFILE``, the shared files, instance roles), addressing style
(a profile's ``s3 = addressing_style = path``), retry mode and attempts (``AWS_RETRY_MODE``,
``AWS_MAX_ATTEMPTS``).  Where the user set nothing we choose: standard retries (exponential
back-off with jitter) with 5 attempts, short connect timeouts so an outage is noticed quickly.

Integrity:
* every put sends ``x-amz-checksum-sha256`` computed by us from the bytes we hold; the server
  recomputes it and refuses a mismatch (BadDigest), and the checksum it echoes is compared with
  ours (the cheap read-back: no second transfer);
* objects above ``multipart_threshold`` go up in parts (s3transfer's TransferConfig), each
  part with its own SHA-256, and the composite checksum the server reports is recomputed here;
* gets ask for checksum validation (``ChecksumMode=ENABLED``), so botocore checks the body
  against the checksum stored at upload.

Failures: connection errors, timeouts, 5xx and throttling left after boto3's retries raise
`StoreUnavailable` (the crawl spools and carries on, see storage.spool); anything else raises
`StoreError` naming the operation, the key and the S3 error code.  No message carries a
credential: botocore's errors hold none, and we add only keys, codes and the endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from .base import Store, StoreConfigError, StoreError, StoreUnavailable
from .keys import check_key, check_prefix, redact_uri

if TYPE_CHECKING:  # boto3 is imported where a client is made
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import PutObjectRequestTypeDef

#: bytes in memory, or the path of a file
Source = bytes | bytearray | str | Path
_T = TypeVar("_T")

MiB = 1024 * 1024
# Error codes that mean "try again later", not "you asked for something wrong".
_TRANSIENT_CODES = {
    "InternalError",
    "ServiceUnavailable",
    "SlowDown",
    "RequestTimeout",
    "Throttling",
    "ThrottlingException",
    "RequestTimeTooSkewed",
    "BadDigest",
    "500",
    "502",
    "503",
    "504",
}


def _b64sha256(data: bytes | bytearray) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def full_sha256(path_or_bytes: Source) -> str:
    if isinstance(path_or_bytes, (bytes, bytearray)):
        return _b64sha256(path_or_bytes)
    digest = hashlib.sha256()
    with open(path_or_bytes, "rb") as fh:
        while chunk := fh.read(MiB):
            digest.update(chunk)
    return base64.b64encode(digest.digest()).decode("ascii")


def composite_sha256(path_or_bytes: Source, part_size: int) -> str:
    """The checksum S3 reports for a multipart upload: SHA-256 of the parts' digests, '-N'."""
    digests = []
    fh: IO[bytes]
    if isinstance(path_or_bytes, (bytes, bytearray)):
        fh = io.BytesIO(path_or_bytes)
    else:
        fh = open(path_or_bytes, "rb")  # noqa: SIM115  (the with-block below closes it)
    with fh:
        while chunk := fh.read(part_size):
            digests.append(hashlib.sha256(chunk).digest())
    combined = base64.b64encode(hashlib.sha256(b"".join(digests)).digest()).decode("ascii")
    return f"{combined}-{len(digests)}"


def make_client(max_pool_connections: int = 16) -> S3Client:
    """An S3 client configured the standard boto3 ways, with our defaults where nothing is set."""
    import boto3
    from botocore.config import Config

    session = boto3.session.Session()
    core = session._session
    config = Config(
        retries={
            "mode": core.get_config_variable("retry_mode", methods=("env", "config")) or "standard",
            "max_attempts": core.get_config_variable("max_attempts", methods=("env", "config"))
            or 5,
        },
        connect_timeout=5,
        read_timeout=60,
        max_pool_connections=max_pool_connections,
        request_checksum_calculation="when_supported",
        response_checksum_validation="when_supported",
    )
    return session.client("s3", config=config)


class S3Store(Store):
    def __init__(
        self,
        uri: str,
        client: S3Client | None = None,
        multipart_threshold: int = 16 * MiB,
        multipart_chunksize: int = 8 * MiB,
    ):
        parts = urlsplit(uri)
        if parts.username or parts.password:
            raise StoreConfigError(
                f"STORE_URI {redact_uri(uri)!r} carries credentials; put them in the "
                "environment or a boto3 profile (AWS_PROFILE), never in the URI"
            )
        if not parts.netloc:
            raise StoreConfigError(f"STORE_URI {uri!r} names no bucket; use s3://BUCKET/PREFIX")
        self.uri = uri
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        self.client = client if client is not None else make_client()
        self.multipart_threshold = multipart_threshold
        self.multipart_chunksize = multipart_chunksize

    @property
    def endpoint(self) -> str:
        return self.client.meta.endpoint_url

    def presigned_url(self, key: str, expires: int) -> str:
        """A URL that lets anyone GET `key` for `expires` seconds, without credentials."""
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self._key(key)}, ExpiresIn=expires
        )

    def _key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, op: str, key: str, exc: Exception) -> StoreError:
        """Translate a boto3 failure into our errors: what, where, and what to do."""
        from botocore.exceptions import BotoCoreError, ClientError

        # Not self._key(): a listing prefix ends in "/", and this must never raise itself.
        where = f"s3://{self.bucket}/{'/'.join(p for p in (self.prefix, key) if p)}"
        if isinstance(exc, ClientError):
            err = exc.response.get("Error", {})
            code = str(err.get("Code", "?"))
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            text = f"{op} {where}: S3 error {code} ({status}) from {self.endpoint}"
            if code in _TRANSIENT_CODES or (status or 0) >= 500:
                return StoreUnavailable(
                    text + "; retried with back-off, the store is not answering"
                )
            return StoreError(
                text + "; check the bucket, its permissions and the credentials (AWS_PROFILE "
                "or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)"
            )
        if isinstance(exc, BotoCoreError):
            # EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError,
            # ConnectionClosedError …
            return StoreUnavailable(
                f"{op} {where}: {type(exc).__name__} talking to {self.endpoint} after "
                "retries with back-off; is the S3 endpoint up and reachable?"
            )
        return StoreError(f"{op} {where}: {type(exc).__name__}: {exc}")

    def _call(self, op: str, key: str, func: Callable[..., _T], **kwargs: Any) -> _T:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return func(**kwargs)
        except (BotoCoreError, ClientError) as exc:
            raise self._fail(op, key, exc) from None

    # -- writes -------------------------------------------------------------------------------
    def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        self._put(key, data, content_type, if_absent=False)

    def put_if_absent(self, key: str, data: bytes, content_type: str | None = None) -> bool:
        # One conditional PUT, no HEAD first: the server answers 412 if the key exists (a server
        # without conditional writes overwrites the same content-addressed bytes, harmlessly).
        if len(data) > self.multipart_threshold and self.exists(key):
            return False  # do not send large bytes only to hear they are there
        return self._put(key, data, content_type, if_absent=True)

    def _put(self, key: str, data: bytes, content_type: str | None, if_absent: bool) -> bool:
        if len(data) > self.multipart_threshold:
            return self._upload(key, io.BytesIO(data), data, content_type, if_absent)
        checksum = _b64sha256(data)
        from botocore.exceptions import ClientError

        try:
            request: PutObjectRequestTypeDef = {
                "Bucket": self.bucket,
                "Key": self._key(key),
                "Body": data,
                "ChecksumAlgorithm": "SHA256",
                "ChecksumSHA256": checksum,
            }
            if content_type:
                request["ContentType"] = content_type
            if if_absent:
                request["IfNoneMatch"] = (
                    "*"  # a concurrent writer of the same content wins, we skip
                )
            resp = self.client.put_object(**request)
        except ClientError as exc:
            if if_absent and exc.response.get("Error", {}).get("Code") in (
                "PreconditionFailed",
                "412",
            ):
                return False
            raise self._fail("put", key, exc) from None
        except Exception as exc:
            raise self._fail("put", key, exc) from None
        echoed = resp.get("ChecksumSHA256")
        if echoed is not None and echoed != checksum:
            raise StoreUnavailable(
                f"put s3://{self.bucket}/{self._key(key)}: the server stored SHA-256 {echoed}, "
                f"we sent {checksum}; the write will be retried"
            )
        return True

    def put_file(self, key: str, path: str | Path, content_type: str | None = None) -> None:
        with open(path, "rb") as fh:
            if os.fstat(fh.fileno()).st_size <= self.multipart_threshold:
                self.put(key, fh.read(), content_type)
                return
            self._upload(key, fh, path, content_type, if_absent=False)

    def _upload(
        self,
        key: str,
        fileobj: IO[bytes],
        source: Source,
        content_type: str | None,
        if_absent: bool,
    ) -> bool:
        """Multipart through s3transfer, then check the composite checksum the server computed."""
        from boto3.s3.transfer import TransferConfig

        config = TransferConfig(
            multipart_threshold=self.multipart_threshold,
            multipart_chunksize=self.multipart_chunksize,
            max_concurrency=4,
        )
        extra = {"ChecksumAlgorithm": "SHA256"}
        if content_type:
            extra["ContentType"] = content_type
        self._call(
            "multipart upload",
            key,
            self.client.upload_fileobj,
            Fileobj=fileobj,
            Bucket=self.bucket,
            Key=self._key(key),
            ExtraArgs=extra,
            Config=config,
        )
        head = self._call(
            "head",
            key,
            self.client.head_object,
            Bucket=self.bucket,
            Key=self._key(key),
            ChecksumMode="ENABLED",
        )
        stored = head.get("ChecksumSHA256")
        expected = composite_sha256(source, self.multipart_chunksize)
        # Servers report either the composite checksum or (full-object mode) the plain one.
        if stored is not None and stored != expected and stored != full_sha256(source):
            raise StoreUnavailable(
                f"multipart upload s3://{self.bucket}/{self._key(key)}: the server reports "
                f"SHA-256 {stored}, the parts we sent give {expected}; the write will be retried"
            )
        return True

    def delete(self, key: str) -> None:
        self._call("delete", key, self.client.delete_object, Bucket=self.bucket, Key=self._key(key))

    # -- reads --------------------------------------------------------------------------------
    def get(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            resp = self.client.get_object(
                Bucket=self.bucket, Key=self._key(key), ChecksumMode="ENABLED"
            )
            return resp["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise KeyError(key) from None
            raise self._fail("get", key, exc) from None
        except Exception as exc:
            raise self._fail("get", key, exc) from None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise self._fail("head", key, exc) from None
        except Exception as exc:
            raise self._fail("head", key, exc) from None

    def list(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        full = f"{self.prefix}/{prefix}" if self.prefix else prefix
        strip = len(self.prefix) + 1 if self.prefix else 0
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=full
        )
        try:
            for page in pages:
                for obj in page.get("Contents", []):
                    yield obj["Key"][strip:]
        except Exception as exc:
            raise self._fail("list", prefix, exc) from None

    def check(self) -> None:
        """Fail early with a clear message if the bucket cannot be reached or written."""
        self._call("head bucket", "", self.client.head_bucket, Bucket=self.bucket)
