"""The one lock mechanism (storage/locks.py): held by a live process, free when it is gone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from storage.locks import FileLock, LockHeld, held
from tests.conftest import ROOT


def test_a_lock_held_by_another_process_names_its_holder_and_frees_with_it(tmp_path):
    path = tmp_path / "state" / "x.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from storage.locks import FileLock; lock = FileLock(Path(sys.argv[1]), {'pid': "
            "'them'}); "
            "print('held', flush=True); time.sleep(60)",
            str(path),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        assert held(path)
        with pytest.raises(LockHeld) as caught:
            FileLock(path, {"pid": "us"})
        assert caught.value.holder == {"pid": "them"}
    finally:
        holder.kill()
        holder.wait()
    assert not held(path)  # the kernel freed it: nothing stale to delete
    lock = FileLock(path, {"pid": "us"})
    assert path.read_text(encoding="utf-8") == '{"pid": "us"}'
    lock.release()
    assert path.exists()  # a reused lock file stays


def test_a_per_run_lock_removes_its_file(tmp_path):
    lock = FileLock(tmp_path / "run.1.lock", remove=True)
    lock.release()
    lock.release()  # twice is harmless
    assert not (tmp_path / "run.1.lock").exists()
