"""The UNO side of the long-lived LibreOffice (libreoffice.py starts this script).

It runs under the Python that LibreOffice's ``uno`` module was built for (Debian's python3 with
``python3-uno``), not the crawl's: so it imports the standard library and ``uno`` only, never the
nianbao packages.  It starts one headless soffice with an address-space limit, connects to it
over a private pipe, then converts one file per job line on stdin into DOCX and answers each
with one JSON line on stdout:

    -> {"src": "/tmp/x/in.doc", "dst": "/tmp/x/in.docx", "cpu": 125}
    <- {"ok": true}  |  {"error": "why", "fatal": false}

During each job a watcher reads soffice's CPU time, and kills it once the job has cost more
than its allowance (a ``fatal`` answer: the instance is gone).  At end of input soffice is
terminated and waited for.

    python3 soffice_bridge.py --soffice PATH --profile DIR --memory BYTES
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from typing import TextIO

import uno  # type: ignore[import-not-found]  # Debian python3-uno
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

#: seconds soffice may take to start and accept the bridge's connection
START_TIMEOUT_S = 90
#: how often soffice's CPU time is read during a conversion
CPU_POLL_S = 0.2


class OverCpu(Exception):
    """soffice spent its CPU allowance on the file and was killed."""


def _prop(name: str, value: object) -> PropertyValue:
    prop = PropertyValue()
    prop.Name, prop.Value = name, value
    return prop


# A hostile file runs no macro and fetches no linked content; nothing is shown.
_LOAD = (
    _prop("Hidden", True),
    _prop("ReadOnly", True),
    _prop("MacroExecutionMode", 0),
    _prop("UpdateDocMode", 0),
)
_STORE = (_prop("FilterName", "MS Word 2007 XML"), _prop("Overwrite", True))


def _answer(out: TextIO, **fields: object) -> None:
    out.write(json.dumps(fields) + "\n")
    out.flush()


def _office_pid(launcher: int) -> int:
    """soffice.bin's pid: ``soffice`` execs oosplash, which runs soffice.bin as its child (again
    after the restart a new profile asks for), or is soffice.bin itself."""
    children: list[int] = []
    try:
        for task in os.listdir(f"/proc/{launcher}/task"):  # oosplash starts it from a thread
            with open(f"/proc/{launcher}/task/{task}/children") as fh:
                children += [int(p) for p in fh.read().split()]
    except OSError:
        pass
    return max(children) if children else launcher


def _cpu_used(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Office:
    def __init__(self, soffice: str, profile: str, memory: int) -> None:
        pipe = f"nianbao{os.getpid()}"
        home = os.path.join(profile, "home")
        os.makedirs(home, exist_ok=True)

        def limit() -> None:
            if memory:
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

        self.proc = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--invisible",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                "--nologo",
                f"-env:UserInstallation=file://{profile}/user",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            preexec_fn=limit,
            env={**os.environ, "HOME": home},
        )
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # not listening yet (NoConnectException)
                if self.proc.poll() is not None:
                    raise RuntimeError(f"soffice exit {self.proc.returncode} at start") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"soffice did not listen within {START_TIMEOUT_S}s"
                    ) from None
                time.sleep(0.05)
        self.desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )

    def convert(self, src: str, dst: str, cpu: int) -> None:
        """One file; soffice is killed when it has spent ``cpu`` seconds on it (a watcher
        thread reads its CPU time: soffice handles SIGXCPU itself, so RLIMIT_CPU would not)."""
        pid = _office_pid(self.proc.pid)
        limit = _cpu_used(pid) + cpu
        done, over = threading.Event(), threading.Event()

        def watch() -> None:
            while not done.wait(CPU_POLL_S):
                try:
                    if _cpu_used(pid) <= limit:
                        continue
                except OSError:  # gone already
                    return
                over.set()
                os.kill(pid, signal.SIGKILL)
                return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            doc = self.desktop.loadComponentFromURL(
                uno.systemPathToFileUrl(src), "_blank", 0, _LOAD
            )
            if doc is None:
                raise ValueError("LibreOffice could not load the file")
            try:
                doc.storeToURL(uno.systemPathToFileUrl(dst), _STORE)
            finally:
                doc.close(True)
        except Exception:
            if over.is_set():
                raise OverCpu(f"cpu_limit_{cpu}s") from None
            raise
        finally:
            done.set()
            watcher.join()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        if self.alive():
            # already going: the bridge's connection closed under it
            with contextlib.suppress(Exception):
                self.desktop.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def _die_with_parent() -> None:
    """If the process that started the bridge dies (a killed worker), soffice goes too: the
    bridge leads its own process group, and soffice is in it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        if os.getpgrp() == os.getpid():  # started as a group leader, as libreoffice.py does
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--memory", type=int, default=0)
    args = parser.parse_args()
    out = sys.stdout
    _die_with_parent()
    try:
        office = Office(args.soffice, args.profile, args.memory)
    except Exception as exc:
        _answer(out, error=str(exc)[:200], fatal=True)
        sys.exit(1)
    _answer(out, ready=True)
    try:
        for line in sys.stdin:
            job = json.loads(line)
            try:
                office.convert(job["src"], job["dst"], int(job["cpu"]))
            except Exception as exc:
                # a lost connection means soffice is gone (crashed, or killed over its CPU)
                # (pyuno names its exception classes in full: com.sun.star.lang.DisposedException)
                fatal = (
                    isinstance(exc, OverCpu)
                    or not office.alive()
                    or type(exc).__name__.endswith("DisposedException")
                )
                why = (
                    str(exc)
                    if isinstance(exc, OverCpu) or not fatal
                    else f"soffice exit {office.proc.poll()}"
                )
                _answer(out, error=f"{why} ({type(exc).__name__})"[:200], fatal=fatal)
                if fatal:
                    break
            else:
                _answer(out, ok=True)
    finally:
        office.close()


if __name__ == "__main__":
    main()
