"""Legacy Word files (.doc, Kingsoft .wps, RTF) through programs from Debian.

LibreOffice headless converts the file to DOCX, which the DOCX reader turns into text with
its tables exact; antiword is the fallback when LibreOffice is missing or fails (its tables
come out as ``|cell|cell|`` rows, wrapped inside wide cells, so its text is flagged).  Both
run as subprocesses with a wall-clock timeout and an address-space limit, in a process group
that is killed whole on timeout.  LibreOffice is one long-lived instance that converts file
after file (libreoffice.py) where Python's ``uno`` is installed, else a soffice per file.
`make sysdeps` installs LibreOffice, python3-uno and antiword.
"""

from __future__ import annotations

import fcntl
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import libreoffice
from .office import docx_text
from .shape import cell_text, finish, row_line

SOFFICE_TIMEOUT_S = 120
ANTIWORD_TIMEOUT_S = 30
# Virtual memory a converter may map: LibreOffice maps about 1 GB at start-up.
SOFFICE_MEMORY = 2 * 1024**3
ANTIWORD_MEMORY = 512 * 1024**2


class ConverterMissing(Exception):
    pass


def _limited(memory: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def run_bounded(
    cmd: list[str],
    *,
    timeout: float,
    memory: int,
    cwd: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run ``cmd``; on timeout kill its whole process group and raise TimeoutExpired."""
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
        start_new_session=True,
        preexec_fn=_limited(memory),
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> Path:
    """One LibreOffice profile per user, reused (a fresh one costs ~2 s); the lock file beside
    it serializes conversions, since two instances cannot share a profile."""
    path = Path(tempfile.gettempdir()) / f"nianbao-soffice-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def via_libreoffice(body: bytes, suffix: str) -> tuple[str, list[str]]:
    soffice = _soffice()
    if soffice is None:
        raise ConverterMissing("soffice")
    if libreoffice.available(soffice):
        with tempfile.TemporaryDirectory(prefix="nianbao-doc-") as work:
            src, out = Path(work) / f"in{suffix}", Path(work) / "in.docx"
            src.write_bytes(body)
            try:
                libreoffice.SERVER.convert(
                    soffice, src, out, timeout=SOFFICE_TIMEOUT_S, memory=SOFFICE_MEMORY
                )
            except libreoffice.OfficeFailed as exc:
                raise RuntimeError(str(exc)) from None
            return docx_text(out.read_bytes())
    return _via_soffice_per_file(soffice, body, suffix)


def _via_soffice_per_file(soffice: str, body: bytes, suffix: str) -> tuple[str, list[str]]:
    """A soffice started for this file alone (no python3-uno, or NIANBAO_SOFFICE_SERVER=0)."""
    profile = _profile_dir()
    with (
        tempfile.TemporaryDirectory(prefix="nianbao-doc-") as work,
        open(profile / "lock", "w") as lock,
    ):
        src = Path(work) / f"in{suffix}"
        src.write_bytes(body)
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = run_bounded(
                [
                    soffice,
                    "--headless",
                    "--norestore",
                    "--nolockcheck",
                    f"-env:UserInstallation=file://{profile}/user",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    work,
                    str(src),
                ],
                timeout=SOFFICE_TIMEOUT_S,
                memory=SOFFICE_MEMORY,
                env={**os.environ, "HOME": work},
            )
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
        out = Path(work) / "in.docx"
        if done.returncode != 0 or not out.exists():
            reason = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or [
                "no output"
            ]
            raise RuntimeError(f"soffice exit {done.returncode}: {reason[0]}")
        return docx_text(out.read_bytes())


def via_antiword(body: bytes) -> tuple[str, list[str]]:
    antiword = shutil.which("antiword")
    if antiword is None:
        raise ConverterMissing("antiword")
    with tempfile.NamedTemporaryFile(suffix=".doc") as src:
        src.write(body)
        src.flush()
        done = run_bounded(
            [antiword, "-w", "0", "-m", "UTF-8.txt", src.name],
            timeout=ANTIWORD_TIMEOUT_S,
            memory=ANTIWORD_MEMORY,
        )
    if done.returncode != 0:
        raise RuntimeError(
            f"antiword exit {done.returncode}: "
            f"{done.stderr.decode('utf-8', 'replace').strip()[:200]}"
        )
    lines = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            line = row_line([cell_text(c) for c in stripped[1:-1].split("|")])
        lines.append(line)
    return finish(lines), ["tables_approximate:antiword"]


def legacy_text(body: bytes, suffix: str) -> tuple[str, list[str]]:
    """LibreOffice, else antiword (Word 97–2003 only); the failures become flags."""
    flags: list[str] = []
    try:
        return via_libreoffice(body, suffix)
    except ConverterMissing:
        flags.append("converter_missing:soffice")
    except subprocess.TimeoutExpired:
        flags.append(f"timeout:soffice_{SOFFICE_TIMEOUT_S}s")
    except Exception as exc:  # a file LibreOffice cannot read: antiword may still
        flags.append(f"failed:soffice:{str(exc)[:120]}")
    if suffix == ".rtf":
        return "", flags
    try:
        text, more = via_antiword(body)
        return text, flags + more
    except ConverterMissing:
        flags.append("converter_missing:antiword")
    except subprocess.TimeoutExpired:
        flags.append(f"timeout:antiword_{ANTIWORD_TIMEOUT_S}s")
    except Exception as exc:
        flags.append(f"failed:antiword:{str(exc)[:120]}")
    return "", flags
