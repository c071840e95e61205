"""Run the real `aicompare` in a subprocess, with stdout (or stderr) on a pseudo-terminal or a pipe.

Shared by the output-matrix, fault and convention tests. Not a test module.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "data" / "fixture.toml"
REFERENCE = ROOT.parent / "shared" / "reference"
LITELLM = REFERENCE / "litellm" / "model_prices_and_context_window.json"


def aicompare() -> list[str]:
    """The console script next to this interpreter (what a user runs), else `python -m aicompare`."""
    script = Path(sys.executable).with_name("aicompare")
    if script.is_file():
        return [str(script)]
    found = shutil.which("aicompare")
    return [found] if found else [sys.executable, "-m", "aicompare"]


def base_env(**extra: str) -> dict[str, str]:
    """os.environ (already cleaned by conftest) plus the fixture catalog and `extra`."""
    env = dict(os.environ)
    env["AICOMPARE_BASE_CATALOG"] = str(FIXTURE)
    env.update(extra)
    return env


@dataclass
class Ran:
    code: int
    stdout: str
    stderr: str


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _drain(fd: int, sink: list[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: every writer of the terminal has closed it
            return
        if not chunk:
            return
        sink.append(chunk)


def run(
    args: list[str],
    env: dict[str, str],
    *,
    tty: str = "",
    columns: int = 80,
    rows: int = 50,
    timeout: float = 60,
    cwd: str | os.PathLike[str] = "/",
) -> Ran:
    """Run aicompare; tty="stdout" or "stderr" puts that stream on a pseudo-terminal, the other on a pipe.

    Everything the program writes is read and returned as it is (only decoded).
    """
    argv = [*aicompare(), *args]
    if not tty:
        proc = subprocess.run(
            argv, capture_output=True, env=env, timeout=timeout, cwd=cwd, stdin=subprocess.DEVNULL
        )
        return Ran(
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )
    master, slave = pty.openpty()
    _set_size(slave, columns, rows)
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, tty: slave}
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=streams["stdout"],
        stderr=streams["stderr"],
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(slave)
    other = proc.stderr if tty == "stdout" else proc.stdout
    assert other is not None
    piped: list[bytes] = []
    reader = threading.Thread(target=lambda: piped.append(other.read()))
    reader.start()
    seen: list[bytes] = []
    _drain(master, seen, time.monotonic() + timeout)
    os.close(master)
    try:
        code = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    reader.join(timeout)
    other.close()
    on_tty = b"".join(seen).decode("utf-8", "replace")
    on_pipe = b"".join(piped).decode("utf-8", "replace")
    return Ran(code, on_tty, on_pipe) if tty == "stdout" else Ran(code, on_pipe, on_tty)
