"""Writes under fault, through the command line: the catalog file is always the old or the new
version, no edit is lost, no temporary file is left, and the exit code says what happened.

tests/test_store.py covers the write path at the module level (every injected failure, threads,
worker processes, SIGKILL of a worker). Here the same guarantees are checked on the real
commands: failures injected in-process into `catalog set|add|remove|import|export`, the real
`aicompare catalog import --from litellm` of the full LiteLLM file and `aicompare catalog set`
killed with SIGKILL or interrupted with SIGINT at random moments and at exact points (where the
process stops itself, tests/hooks/sitecustomize.py, so no timing is involved), two `catalog set`
processes making 50 edits each, and a closed pipe.
"""

from __future__ import annotations

import errno
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

import pytest
import tomli_w
from stops import Child, stop_env
from terminal import LITELLM, aicompare, base_env

from aicompare import store

SAMPLE = Path(__file__).parent / "data" / "importers" / "litellm.json"
SEED = 20261121
needs_litellm = pytest.mark.skipif(
    not LITELLM.is_file(),
    reason=f"reference data set absent: {LITELLM} "
    "(CI checks out ../shared/reference, so this never skips there)",
)

USER_TOML = """\
schema_version = 1

[models.alpha-mini.prices]
input = 0.90

[models.mine]
provider = "acme"
type = "text"

[models.mine.prices]
input = 0.25
"""


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def user_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = tmp_path / "config" / "aicompare" / "models.toml"
    path.parent.mkdir(parents=True)
    path.write_text(USER_TOML, "utf-8")
    return path


# --- failures injected in-process -------------------------------------------------------------------


def _half_writes(mp: pytest.MonkeyPatch) -> None:
    real = os.fdopen

    class Half:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

    mp.setattr(os, "fdopen", lambda fd, *a, **k: Half(real(fd, *a, **k)))


def _raiser(exc: BaseException) -> Callable[..., Any]:
    def fail(*args: object, **kwargs: object) -> Any:
        raise exc

    return fail


def _replace_of(name: str, exc: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    def inject(mp: pytest.MonkeyPatch) -> None:
        real = os.replace

        def replace(src: Any, dst: Any) -> None:
            if Path(dst).name == name:
                raise exc
            real(src, dst)

        mp.setattr(os, "replace", replace)

    return inject


INJECTIONS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "serialising raises": lambda mp: mp.setattr(tomli_w, "dumps", _raiser(RuntimeError("boom"))),
    "serialising TypeError": lambda mp: mp.setattr(
        tomli_w, "dumps", _raiser(TypeError("no TOML for it"))
    ),
    "write fails half-way": _half_writes,
    "fsync: disk full": lambda mp: mp.setattr(
        os, "fsync", _raiser(OSError(errno.ENOSPC, "No space left"))
    ),
    "rename of the file fails": _replace_of(
        "models.toml", OSError(errno.EIO, "Input/output error")
    ),
    "rename of the backup fails": _replace_of(
        "models.toml.bak", OSError(errno.EROFS, "Read-only file system")
    ),
    "Ctrl-C during the write": lambda mp: mp.setattr(os, "fsync", _raiser(KeyboardInterrupt())),
}
EDITS = {
    "set": ("catalog", "set", "alpha-mini", "--input", "0.5", "--note", "changed"),
    "add": ("catalog", "add", "brand-new", "--provider", "acme", "--type", "text", "--input", "1"),
    "remove": ("catalog", "remove", "mine"),
    "import": ("catalog", "import", "--from", "litellm", str(SAMPLE)),
    "unset": ("catalog", "set", "alpha-mini", "--unset", "prices.input"),
}


@pytest.mark.parametrize("edit", list(EDITS))
@pytest.mark.parametrize("inject", list(INJECTIONS))
def test_failed_write_leaves_the_old_file(
    cli: Callable[..., Any],
    user_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    inject: str,
    edit: str,
) -> None:
    old = user_file.read_bytes()
    store.backup_path(user_file).write_bytes(b"# the previous backup\n")
    with monkeypatch.context() as patched:
        INJECTIONS[inject](patched)
        run = cli(*EDITS[edit])
    interrupted = inject.startswith("Ctrl-C")
    assert run.exit_code == (130 if interrupted else 1), run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    if not interrupted:
        assert run.stderr.startswith("error: ")
        assert "unchanged" in run.stderr or "nothing was written" in run.stderr, run.stderr
    assert user_file.read_bytes() == old
    assert temps(user_file.parent) == []
    # nothing is stuck: the same edit works right after, and writes the new version
    again = cli(*EDITS[edit])
    assert again.exit_code == 0, again.stderr
    assert user_file.read_bytes() != old and store.backup_path(user_file).read_bytes() == old
    assert temps(user_file.parent) == []


def test_failed_export_leaves_the_old_file(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "export.toml"
    out.write_text("# an older export\n", "utf-8")
    for inject in ("write fails half-way", "fsync: disk full"):
        with monkeypatch.context() as patched:
            INJECTIONS[inject](patched)
            run = cli("catalog", "export", "-o", str(out))
        assert run.exit_code == 1 and run.stdout == "" and "Traceback" not in run.stderr, inject
        assert out.read_text("utf-8") == "# an older export\n" and temps(tmp_path) == []


def test_missing_folder_that_cannot_be_made(cli: Callable[..., Any], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    for args in (
        ("catalog", "set", "alpha-mini", "--input", "1", "--into", str(blocker / "models.toml")),
        ("catalog", "export", "-o", str(blocker / "out.toml")),
        ("catalog", "import", "--from", "litellm", str(SAMPLE), "--into", str(blocker / "m.toml")),
    ):
        run = cli(*args)
        assert run.exit_code == 1 and run.stdout == "" and run.stderr.startswith("error: "), args
    assert blocker.read_text() == "not a folder\n"


# --- real processes: SIGKILL ---------------------------------------------------------------------
# Exact points inside a write are reached through tests/hooks/sitecustomize.py: the child stops
# itself there (tests/stops.py), and the test, which waits for that lasting state, kills it.
# Random moments are kept too, with assertions that hold whatever the timing.

TEMP = r"models\.toml\.\d+-[0-9a-f]+\.tmp"
BACKUP_TEMP = r"models\.toml\.bak\.\d+-[0-9a-f]+\.tmp"
# Inside each of the two atomic writes (the backup's, then the file's): just after the temp file
# is created, once it is written and synced but not renamed, and just after the rename.
WRITE_POINTS = [
    f"{when}:{temp}" for temp in (BACKUP_TEMP, TEMP) for when in ("open", "replace", "replaced")
]


def _point_id(point: str) -> str:
    when, _, where = point.partition(":")
    what = "backup" if where == BACKUP_TEMP else "file" if where == TEMP else where
    return {
        "open": f"{what} temp created",
        "replace": f"{what} temp written",
        "replaced": f"{what} renamed",
    }.get(when, point)


def _env(config: Path) -> dict[str, str]:
    return base_env(XDG_CONFIG_HOME=str(config), XDG_CACHE_HOME=str(config.parent / "cache"))


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*aicompare(), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd="/",
    )


def _stopped_at(args: list[str], config: Path, *points: str) -> Child:
    """`aicompare args`, armed to stop at `points`, run until it stands stopped at the first.
    The caller holds it in a `with` block."""
    child = Child(args, stop_env(_env(config), *points))
    try:
        if not child.stopped():
            pytest.fail(f"the run ended without reaching {points[0]}: {child.output()}")
    except BaseException:
        child.close()
        raise
    return child


def _killed_at(args: list[str], config: Path, point: str) -> int:
    """Run `aicompare args` to `point` and SIGKILL it there; its pid."""
    with _stopped_at(args, config, point) as child:
        child.signal(signal.SIGKILL)
        assert child.finish() == -signal.SIGKILL
        return child.pid


def _finish_with_an_edit(config: Path) -> None:
    """The next edit takes the lock (a killed writer's lock is gone with it) and clears its temps."""
    done = subprocess.run(
        [*aicompare(), "catalog", "set", "alpha-mini", "--note", "after"],
        env=_env(config),
        capture_output=True,
        timeout=120,
        cwd="/",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert temps(config / "aicompare") == []


def _user_folder(root: Path) -> tuple[Path, bytes]:
    """A config folder with models.toml = USER_TOML, no backup: the folder, the file's bytes."""
    folder = root / "config" / "aicompare"
    folder.mkdir(parents=True)
    (folder / "models.toml").write_text(USER_TOML, "utf-8")
    return folder, (folder / "models.toml").read_bytes()


@pytest.fixture(scope="module")
def full_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[float, bytes]:
    """The full LiteLLM import run to the end over USER_TOML: how long it takes, what it writes."""
    if not LITELLM.is_file():
        pytest.skip(f"reference data set absent: {LITELLM} (CI has it)")
    folder, _ = _user_folder(tmp_path_factory.mktemp("full-import"))
    started = time.monotonic()
    full = subprocess.run(
        [*aicompare(), "catalog", "import", "--from", "litellm", str(LITELLM)],
        env=_env(folder.parent),
        capture_output=True,
        timeout=300,
        cwd="/",
        check=False,
    )
    duration = time.monotonic() - started
    assert full.returncode == 0, full.stderr
    new = (folder / "models.toml").read_bytes()
    assert len(tomllib.loads(new.decode())["models"]) > 3900
    return duration, new


@needs_litellm
@pytest.mark.parametrize("point", WRITE_POINTS, ids=_point_id)
def test_sigkill_inside_the_write_of_the_full_litellm_import(
    tmp_path: Path, point: str, full_import: tuple[float, bytes]
) -> None:
    """Kill `catalog import --from litellm <full file>` at each point of its two atomic writes:
    the file is the old version until its own rename, the new one from then on, and the backup
    likewise; the one temp file left (the killed writer's) goes with the next edit."""
    _, new = full_import
    folder, old = _user_folder(tmp_path)
    pid = _killed_at(["catalog", "import", "--from", "litellm", str(LITELLM)], folder.parent, point)
    when, _, temp = point.partition(":")
    file_renamed = temp == TEMP and when == "replaced"
    backup_renamed = temp == TEMP or when == "replaced"
    assert (folder / "models.toml").read_bytes() == (new if file_renamed else old)
    backup = folder / "models.toml.bak"
    assert (backup.read_bytes() if backup.exists() else None) == (old if backup_renamed else None)
    left = temps(folder)
    if when == "replaced":
        assert left == []
    else:  # the temp file of that write, the killed writer's
        assert len(left) == 1 and re.fullmatch(temp, left[0]) and f".{pid}-" in left[0], left
    _finish_with_an_edit(folder.parent)


@needs_litellm
def test_sigkill_during_the_full_litellm_import(
    tmp_path: Path, full_import: tuple[float, bytes]
) -> None:
    """Kill `catalog import --from litellm <full file>` at random moments: whenever it lands
    (before, inside or after the write), the file is the old or the new version, never a mix."""
    args = ["catalog", "import", "--from", "litellm", str(LITELLM)]
    duration, new = full_import
    rng = random.Random(SEED)
    for n, moment in enumerate(rng.uniform(0.05, duration) for _ in range(3)):
        folder, old = _user_folder(tmp_path / f"kill-{n}")
        proc = _spawn(args, _env(folder.parent))
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        now = (folder / "models.toml").read_bytes()
        assert now in (old, new), (
            f"killed at {moment}: the file is neither the old nor the new version"
        )
        left = temps(folder)
        assert len(left) <= 1 and all(f".{proc.pid}-" in name for name in left), left
        _finish_with_an_edit(folder.parent)


def test_sigkill_during_catalog_set(tmp_path: Path) -> None:
    """Edits killed at random moments and at each point of the file's write: each is applied whole
    or not at all (at a point: exactly as far as that point); later ones still work."""
    folder, _ = _user_folder(tmp_path)
    config = folder.parent
    path = folder / "models.toml"
    rng = random.Random(SEED)
    applied: set[int] = set()
    for i in range(12):
        args = ["catalog", "set", "pixel-one", "--set", f"image_prices.k.{1000 + i}x1000=0.5"]
        point = WRITE_POINTS[i // 2] if i % 2 else None
        if point is None:
            proc = _spawn(args, _env(config))
            time.sleep(rng.uniform(0.0, 0.3))
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=60)
        else:
            _killed_at(args, config, point)
        cells = (
            tomllib.loads(path.read_text("utf-8"))["models"]
            .get("pixel-one", {})
            .get("image_prices", {})
            .get("k", {})
        )
        sizes = {int(size.split("x")[0]) - 1000 for size in cells}
        if point is None:
            assert sizes in (applied, applied | {i}), (i, sizes, applied)
        else:
            expected = applied | {i} if point == f"replaced:{TEMP}" else applied
            assert sizes == expected, (point, sizes, applied)
        applied = sizes
        assert len(temps(folder)) <= 1
    _finish_with_an_edit(config)


# --- real processes: concurrency -----------------------------------------------------------------


def test_two_processes_fifty_edits_each(tmp_path: Path) -> None:
    """Two writers, 50 `aicompare catalog set` each, while a reader parses the file all along."""
    config = tmp_path / "config"
    folder = config / "aicompare"
    folder.mkdir(parents=True)
    path = folder / "models.toml"
    path.write_text(USER_TOML, "utf-8")
    env = _env(config)
    failures: list[str] = []
    stop = threading.Event()
    reads = {"n": 0}

    def writer(quality: str) -> None:
        for i in range(50):
            ran = subprocess.run(
                [
                    *aicompare(),
                    "catalog",
                    "set",
                    "pixel-one",
                    "--set",
                    f"image_prices.{quality}.{1000 + i}x1000=0.0{i % 9 + 1}",
                ],
                env=env,
                capture_output=True,
                timeout=120,
                cwd="/",
                check=False,
            )
            if ran.returncode != 0:
                failures.append(f"{quality} {i}: {ran.stderr.decode()}")

    def reader() -> None:
        seen = {"qa": 0, "qb": 0}
        while not stop.is_set():
            text = path.read_bytes().decode("utf-8")
            try:
                doc = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                failures.append(f"a reader saw a torn file: {exc}")
                return
            reads["n"] += 1
            grid = doc["models"].get("pixel-one", {}).get("image_prices", {})
            for quality, last in seen.items():
                count = len(grid.get(quality, {}))
                if count < last:
                    failures.append(
                        f"{quality} went from {last} to {count} cells: an edit was lost"
                    )
                seen[quality] = count
            time.sleep(0.001)

    threads = [threading.Thread(target=writer, args=(q,)) for q in ("qa", "qb")]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    watcher.join()
    assert not failures, failures[:5]
    grid = tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)["models"]["pixel-one"][
        "image_prices"
    ]
    for quality in ("qa", "qb"):
        assert sorted(grid[quality]) == sorted(f"{1000 + i}x1000" for i in range(50))
        assert grid[quality]["1000x1000"] == Decimal("0.01")
    assert reads["n"] > 10 and temps(folder) == []


# --- real processes: Ctrl-C ----------------------------------------------------------------------

# The command's own run begins here: the console script imports aicompare.cli inside its Ctrl-C
# guard (_entry.main), long after the interpreter installed its SIGINT handler.
STARTED = "import:aicompare.cli"


def _interrupt(
    args: list[str], config: Path, moment: str | float, *, before: str | None = None
) -> tuple[int, str, str]:
    """Ctrl-C (SIGINT) at `moment`: a stop point (tests/hooks/sitecustomize.py), or that many
    seconds after STARTED. With `before`, a run that gets that far first stops there, and the
    SIGINT lands at that point. The exit code, stdout and stderr."""
    points = [moment] if isinstance(moment, str) else [STARTED, *([before] if before else [])]
    with _stopped_at(args, config, *points) as child:
        if isinstance(moment, float):
            child.signal(signal.SIGCONT)
            time.sleep(moment)
        child.interrupt()
        code = child.finish()
        out, err = child.output()
    return code, out, err


# At the end of the import of modules on the way to the command, at shares of the full import's
# duration after start-up, and at each point of the two atomic writes. At a share of the duration
# the run stops before its first rename if it gets that far: the SIGINT then lands there, so
# whatever the timing it comes before any change.
CTRL_C_MOMENTS: list[str | float] = [
    "import:typer.colors",
    "import:typer._click.core",
    STARTED,
    "import:aicompare.store",
    "import:aicompare.importers",
    0.1,
    0.3,
    0.5,
    *WRITE_POINTS,
]
MOMENT_IDS = [f"{m} of the run" if isinstance(m, float) else _point_id(m) for m in CTRL_C_MOMENTS]


@pytest.mark.parametrize("moment", CTRL_C_MOMENTS, ids=MOMENT_IDS)
def test_ctrl_c_during_import_exits_130_quietly(
    tmp_path: Path, moment: str | float, request: pytest.FixtureRequest
) -> None:
    before = None
    if isinstance(moment, float):
        duration, _ = request.getfixturevalue("full_import")
        moment *= duration
        before = f"replace:{BACKUP_TEMP}"
    source = LITELLM if LITELLM.is_file() else SAMPLE
    folder, old = _user_folder(tmp_path)
    args = ["catalog", "import", "--from", "litellm", str(source)]
    code, out, err = _interrupt(args, folder.parent, moment, before=before)
    assert code == 130, (code, err)
    assert err == "\n", err  # the line break after the terminal's ^C, nothing else
    assert out == ""
    now = (folder / "models.toml").read_bytes()
    if moment == f"replaced:{TEMP}":  # just after the new version took the file's place
        assert now != old and len(tomllib.loads(now.decode())["models"]) > 10
    else:
        assert now == old
    assert temps(folder) == []  # an interrupted write removes its own temp file


def test_ctrl_c_while_waiting_for_the_lock(tmp_path: Path) -> None:
    from filelock import FileLock

    folder, old = _user_folder(tmp_path)
    lock = store.lock_path(folder / "models.toml")
    # Once it has opened the lock file, the edit cannot get past waiting for the lock held here
    # (for store.LOCK_TIMEOUT, 30 s), wherever the SIGINT finds it.
    args = ["catalog", "set", "alpha-mini", "--input", "2"]
    with FileLock(lock), _stopped_at(args, folder.parent, f"open:{re.escape(lock.name)}") as child:
        child.signal(signal.SIGCONT)
        time.sleep(0.5)
        child.interrupt()
        code = child.finish()
        out, err = child.output()
    assert code == 130 and out == "" and err == "\n", (code, out, err)
    assert (folder / "models.toml").read_bytes() == old
    assert temps(folder) == []


# --- closed pipes ----------------------------------------------------------------------------------


CLOSED_PIPE_COMMANDS = [
    "list --catalog @BIG@",
    "list --format csv --catalog @BIG@",
    "list --format markdown --catalog @BIG@",
    "list --json --catalog @BIG@",
    "show alpha-large",
    "diff alpha alpha-mini pixel-one --catalog @BIG@",
    "cost --tokens 5M --all --catalog @BIG@",
    "cost --tokens 5M --all --json --catalog @BIG@",
    "best --for chat --catalog @BIG@",
    "best --list",
    "catalog export --catalog @BIG@",
    "catalog export --format json --catalog @BIG@",
    "catalog export --format csv --catalog @BIG@",
    "catalog path",
    "catalog validate @BIG@",
    "catalog set alpha-mini --input 1 --into @DIR@/mine.toml",
    "--help",
    "--version",
]


@pytest.mark.parametrize("command", CLOSED_PIPE_COMMANDS)
@pytest.mark.parametrize("reader", ["head -1", "head -c 1", "true"])
def test_closed_pipe_prints_no_error(tmp_path: Path, command: str, reader: str) -> None:
    """The convention (docs/reliability.md): a reader that goes away is not an error. Every
    command ends the same way, exit 0 and nothing on stderr, whether the reader left before the
    first byte or after some; tests/test_output_safety.py checks every command with a pipe whose
    reader is gone from the start."""
    big = tmp_path / "big.toml"
    # enough output that the reader is gone long before the writer is done
    big.write_text(
        "".join(
            f'[models.extra-{i}]\nprovider = "acme"\ntype = "text"\nnotes = "{"x" * 200}"\n'
            for i in range(300)
        ),
        "utf-8",
    )
    script = " ".join(aicompare())
    args = command.replace("@BIG@", str(big)).replace("@DIR@", str(tmp_path))
    # pipefail: the pipeline's status is aicompare's (every reader here exits 0)
    proc = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {script} {args} | {reader}"],
        capture_output=True,
        env=base_env(),
        timeout=60,
        cwd="/",
        check=False,
    )
    assert proc.stderr == b"", proc.stderr.decode()
    assert proc.returncode == 0, command


# --- stdout that cannot take the output, and readers slower than the writer -----------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize(
    "command",
    [
        "--version",
        "list",
        "list --json",
        "list --format csv",
        "diff alpha alpha-mini",
        "cost --tokens 5M",
        "catalog export",
    ],
)
def test_a_full_disk_on_stdout_is_an_error_not_a_traceback(command: str) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(
            [*aicompare(), *command.split()],
            stdout=full,
            stderr=subprocess.PIPE,
            env=base_env(),
            timeout=60,
            cwd="/",
            check=False,
        )
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.startswith("error: cannot write the output: No space left on device\n"), err
    assert "Traceback" not in err and err.count("error:") == 1, err


@pytest.mark.parametrize(
    "command", ["catalog export --format json", "list --json", "cost --tokens 5M --all --json"]
)
def test_a_slow_reader_gets_every_byte(tmp_path: Path, command: str) -> None:
    """The process ends without the interpreter's teardown (`_entry.run`): the output must be
    flushed first, also when it is far larger than a pipe holds and the reader takes its time."""
    big = tmp_path / "big.toml"
    big.write_text(
        "".join(
            f'[models.extra-{i}]\nprovider = "acme"\ntype = "text"\nnotes = "{"x" * 200}"\n'
            for i in range(1000)
        ),
        "utf-8",
    )
    argv = [*aicompare(), *command.split(), "--catalog", str(big)]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=base_env(), cwd="/"
    )
    assert proc.stdout is not None and proc.stderr is not None
    time.sleep(0.5)  # the writer fills the pipe and waits
    out = b""
    while chunk := proc.stdout.read(4096):
        out += chunk
        time.sleep(0.001)
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, err.decode()
    assert len(out) > 200_000, len(out)  # several times what a pipe holds
    document = json.loads(out)
    assert len(document.get("models") or document["results"]) >= 1000
