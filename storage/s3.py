"""S3-compatible backend through boto3 (AWS, MinIO, SeaweedFS, Aliyun OSS, Tencent COS).

Endpoint, region and credentials come the standard boto3 ways (AWS_ENDPOINT_URL,
AWS_PROFILE, AWS_ACCESS_KEY_ID …), so other S3 services work by configuration alone.
"""
from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from .base import Store, StoreError
from .keys import check_key, check_prefix


class S3Store(Store):
    def __init__(self, uri: str, client=None):
        parts = urlsplit(uri)
        if not parts.netloc:
            raise StoreError(f"STORE_URI {uri!r} names no bucket; use s3://BUCKET/PREFIX")
        self.uri = uri
        self.bucket = parts.netloc
        self.prefix = parts.path.strip("/")
        if client is None:
            import boto3

            client = boto3.client("s3")
        self.client = client

    def _key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        # The server verifies the checksum boto3 sends with the body.
        self.client.put_object(
            Bucket=self.bucket, Key=self._key(key), Body=data, ChecksumAlgorithm="SHA256", **extra
        )

    def get(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def list(self, prefix: str = "") -> Iterator[str]:
        check_prefix(prefix)
        full = f"{self.prefix}/{prefix}" if self.prefix else prefix
        strip = len(self.prefix) + 1 if self.prefix else 0
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full):
            for obj in page.get("Contents", []):
                yield obj["Key"][strip:]
