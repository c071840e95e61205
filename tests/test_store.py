"""Safe catalog writes: exact TOML, atomic replace, backup, lock, and failures injected everywhere."""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
import signal
import subprocess
import sys
import threading
import time
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

import pytest
import tomli_w
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st

from aicompare import loader, store
from aicompare.catalog import Layer
from aicompare.errors import CatalogError, WriteError

HERE = Path(__file__).parent
SRC = HERE.parent / "src"
BASE = HERE / "data" / "store" / "base.toml"
POSIX = os.name == "posix"

USER_TOML = """\
# my own notes: aicompare does not keep comments when it edits
schema_version = 1

[models.base-chat.prices]
input = 0.90
output = 3.10

[models.my-model]
name = "My model"
provider = "acme"
type = "text"
context_window = 128_000
release_date = 2025-02-28
strengths = ["cheap", "fast"]
as_of = 2026-01-15

[models.my-model.lifecycle]
deprecation_date = 2026-06-01
note = "self-hosted"

[models.my-model.prices]
input = 0.10
cached_input = 0.025
output = 0.40000

[models.my-model.prices.batch]
input = 0.05

[[models.my-model.prices.tiers]]
above_input_tokens = 200_000
input = 0.20

[models.my-image]
provider = "acme"
type = "image"

[models.my-image.image_prices]
low = { "1024x1024" = 0.011, "1024x1536" = 0.016 }
high = { "1024x1024" = 0.167 }
"""


def strict(a: Any, b: Any) -> bool:
    """Equal in value and type; Decimals digit for digit."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(strict(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(strict(x, y) for x, y in zip(a, b))
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    return bool(a == b)


def parse(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


@pytest.fixture(autouse=True)
def base_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(loader.ENV_BASE, str(BASE))


@pytest.fixture
def user_file(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "models.toml"
    path.parent.mkdir()
    path.write_text(USER_TOML, "utf-8")
    return path


def set_price(doc: dict[str, Any]) -> None:
    store.set_fields(doc, "my-model", {"prices.input": Decimal("0.11")})


# --- exact values ----------------------------------------------------------------------------

DECIMALS = [
    "0.90",
    "0.1",
    "1.0",
    "5.0",
    "0.025",
    "1E-7",
    "1.50E-7",
    "0E-8",
    "-0.0",
    "2.5E+3",
    "123456789012345678901234567890.123456789012345678901234567890",
]


@pytest.mark.parametrize("literal", DECIMALS)
def test_decimal_written_digit_for_digit(literal: str) -> None:
    text = store.dump_toml({"models": {"m": {"prices": {"input": Decimal(literal)}}}})
    value = tomllib.loads(text, parse_float=Decimal)["models"]["m"]["prices"]["input"]
    assert type(value) is Decimal
    assert value.as_tuple() == Decimal(literal).as_tuple()


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_any_finite_decimal_round_trips(value: Decimal) -> None:
    text = store.dump_toml({"x": value})
    back = tomllib.loads(text, parse_float=Decimal)["x"]
    assert type(back) is Decimal and back == value
    if value.as_tuple().exponent != 0:  # integral ones gain one ".0" digit, see below
        assert back.as_tuple() == value.as_tuple()


def test_decimal_090_stays_090_in_the_file(user_file: Path) -> None:
    store.edit_layer(
        user_file, lambda d: store.set_fields(d, "my-model", {"prices.output": Decimal("0.90")})
    )
    text = user_file.read_text("utf-8")
    assert "input = 0.90\n" in text and "output = 0.90\n" in text
    assert str(parse(user_file)["models"]["my-model"]["prices"]["output"]) == "0.90"


def test_integral_decimal_stays_a_number_and_integers_stay_integers() -> None:
    text = store.dump_toml({"a": Decimal(5), "b": Decimal(-12), "c": 7})
    doc = tomllib.loads(text, parse_float=Decimal)
    assert doc["a"] == 5 and type(doc["a"]) is Decimal and "a = 5.0" in text
    assert doc["b"] == -12 and type(doc["b"]) is Decimal
    assert doc["c"] == 7 and type(doc["c"]) is int


def test_floats_are_written_as_their_shortest_decimal() -> None:
    doc: dict[str, Any] = {"models": {}}
    store.set_fields(doc, "m", {"prices.input": 0.1, "prices.output": 1.1})
    assert doc["models"]["m"]["prices"] == {"input": Decimal("0.1"), "output": Decimal("1.1")}
    text = store.dump_toml({"x": 0.1})
    assert "x = 0.1\n" in text
    assert strict(tomllib.loads(text, parse_float=Decimal), {"x": Decimal("0.1")})


def test_dates_and_times_round_trip_exactly() -> None:
    values = {
        "d": dt.date(2025, 2, 28),
        "local": dt.datetime(2025, 1, 2, 3, 4, 5, 678900),
        "aware": dt.datetime(
            2025, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
        ),
        "t": dt.time(12, 30, 1),
        "s": "2025-02-28",
    }
    text = store.dump_toml(values)
    assert "d = 2025-02-28\n" in text and 's = "2025-02-28"' in text
    assert strict(tomllib.loads(text, parse_float=Decimal), values)


def test_bundled_catalog_round_trips_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(loader.ENV_BASE)
    doc, _ = loader.read_document(loader.bundled_path())
    text = store.dump_toml(doc)
    assert text.startswith("#") and strict(tomllib.loads(text, parse_float=Decimal), doc)


@pytest.mark.parametrize("value", [None, object(), {1: "x"}])
def test_values_without_a_toml_form_are_write_errors(value: Any) -> None:
    with pytest.raises(WriteError):
        store.dump_toml({"models": {"m": {"notes": value}}})


# --- edits -----------------------------------------------------------------------------------


def test_edit_changes_only_the_target_and_keeps_a_backup(user_file: Path) -> None:
    old_bytes = user_file.read_bytes()
    before = parse(user_file)
    store.edit_layer(user_file, set_price)
    after = parse(user_file)
    assert after["models"]["my-model"]["prices"].pop("input") == Decimal("0.11")
    before["models"]["my-model"]["prices"].pop("input")
    assert strict(after, before)
    assert store.backup_path(user_file).read_bytes() == old_bytes
    checked = loader.validate_layers([Layer("option", str(p), True) for p in (BASE, user_file)])
    assert (checked.models, checked.problems) == (4, [])
    first = user_file.read_bytes()
    store.edit_layer(user_file, lambda d: store.set_fields(d, "my-model", {"notes": "second"}))
    assert store.backup_path(user_file).read_bytes() == first
    assert temps(user_file.parent) == []


def test_missing_folder_and_file_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "models.toml"
    store.edit_layer(
        path, lambda d: store.set_fields(d, "base-chat", {"prices.input": Decimal("2.00")})
    )
    assert strict(
        parse(path),
        {"schema_version": 1, "models": {"base-chat": {"prices": {"input": Decimal("2.00")}}}},
    )
    assert store.lock_path(path).exists() and not store.backup_path(path).exists()


def test_edit_that_changes_nothing_leaves_the_file_alone(user_file: Path, tmp_path: Path) -> None:
    old = user_file.read_bytes()
    result = store.edit_layer(
        user_file, lambda d: store.set_fields(d, "my-model", {"prices.input": Decimal("0.10")})
    )
    assert result is None and user_file.read_bytes() == old
    assert not store.backup_path(user_file).exists()
    missing = tmp_path / "none" / "models.toml"
    assert store.edit_layer(missing, lambda d: 42) == 42 and not missing.exists()


def test_atomic_write_text_alone(tmp_path: Path) -> None:
    path = tmp_path / "new" / "models.toml"
    store.atomic_write_text(path, "a = 1\n")
    assert path.read_text("utf-8") == "a = 1\n" and not store.backup_path(path).exists()
    store.atomic_write_text(path, "a = 2\n", backup=False)
    assert not store.backup_path(path).exists()
    store.atomic_write_text(path, "a = 3\n")
    assert (
        store.backup_path(path).read_text("utf-8") == "a = 2\n"
        and path.read_text("utf-8") == "a = 3\n"
    )
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(WriteError):
        store.atomic_write_text(blocker / "models.toml", "a = 1\n")
    assert temps(path.parent) == []


def test_edit_returns_the_mutators_result(user_file: Path) -> None:
    removed = store.edit_layer(user_file, lambda d: store.remove_model(d, "MY-IMAGE"))
    assert removed["type"] == "image" and "my-image" not in parse(user_file)["models"]


@pytest.mark.skipif(not POSIX, reason="POSIX modes and symlinks")
def test_file_mode_and_symlink_are_kept(user_file: Path, tmp_path: Path) -> None:
    user_file.chmod(0o600)
    link = tmp_path / "link" / "models.toml"
    link.parent.mkdir()
    link.symlink_to(user_file)
    store.edit_layer(link, set_price)
    assert link.is_symlink() and (user_file.stat().st_mode & 0o777) == 0o600
    assert parse(user_file)["models"]["my-model"]["prices"]["input"] == Decimal("0.11")


# --- failures leave the old file -------------------------------------------------------------


def _half_writes(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real_fdopen = os.fdopen

    class HalfWriter:
        """Writes half of what it is given, then fails like a full disk."""

        def __init__(self, real: Any) -> None:
            self.real = real

        def write(self, data: bytes) -> int:
            self.real.write(data[: len(data) // 2])
            self.real.flush()
            assert os.fstat(self.real.fileno()).st_size > 0
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.real, name)

        def __enter__(self) -> Self:
            return self

        def __exit__(self, *exc: object) -> None:
            self.real.close()

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: HalfWriter(real_fdopen(fd, *a, **k)))


def _raise(exc: BaseException) -> Any:
    def fail(*args: object, **kwargs: object) -> Any:
        raise exc

    return fail


def _nth_call_fails(monkeypatch: pytest.MonkeyPatch, name: str, n: int, exc: BaseException) -> None:
    real = getattr(os, name)
    calls = [0]

    def maybe(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == n:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, maybe)


def _replace_main_fails(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if Path(dst) == path:
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def _open_tmp_denied(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real = os.open

    def opener(file: Any, *args: Any, **kwargs: Any) -> int:
        if str(file).endswith(".tmp"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", opener)


ENOSPC = OSError(errno.ENOSPC, "No space left on device")
INJECTIONS = {
    "tomli_w.dumps raises": lambda mp, p: mp.setattr(
        tomli_w, "dumps", _raise(RuntimeError("boom"))
    ),
    "tomli_w.dumps TypeError": lambda mp, p: mp.setattr(tomli_w, "dumps", _raise(TypeError("bad"))),
    "os.replace raises": lambda mp, p: mp.setattr(os, "replace", _raise(OSError(errno.EXDEV, "x"))),
    "replace of the file raises": _replace_main_fails,
    "write fails half-way": _half_writes,
    "fsync ENOSPC": lambda mp, p: mp.setattr(os, "fsync", _raise(ENOSPC)),
    "fsync of the new file ENOSPC": lambda mp, p: _nth_call_fails(mp, "fsync", 3, ENOSPC),
    "temp file cannot be created": _open_tmp_denied,
    "mutate raises": lambda mp, p: mp.setattr(store, "set_fields", _raise(ValueError("bad value"))),
}


@pytest.mark.parametrize("inject", list(INJECTIONS.values()), ids=list(INJECTIONS))
def test_injected_failure_leaves_old_file_and_no_temp(
    inject: Any, user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = user_file.read_bytes()
    with monkeypatch.context() as patched, pytest.raises(WriteError) as info:
        inject(patched, user_file)
        store.edit_layer(user_file, set_price)
    assert user_file.read_bytes() == old
    assert temps(user_file.parent) == []
    assert "previous file is unchanged" in (info.value.hint or "") or "nothing was written" in (
        info.value.hint or ""
    )
    # and the next edit works normally
    store.edit_layer(user_file, set_price)
    assert parse(user_file)["models"]["my-model"]["prices"]["input"] == Decimal("0.11")


def test_interrupt_during_write_cleans_up_and_propagates(
    user_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = user_file.read_bytes()
    monkeypatch.setattr(os, "fsync", _raise(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.edit_layer(user_file, set_price)
    assert user_file.read_bytes() == old and temps(user_file.parent) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"prices.input": Decimal(-1)},
        {"lifecycle.superseded_by": "no-such-model"},
        {"type": "hologram"},
        {"release_date": "2025-02-30"},
    ],
)
def test_invalid_result_is_refused_before_writing(fields: dict[str, Any], user_file: Path) -> None:
    old = user_file.read_bytes()
    with pytest.raises(CatalogError) as info:
        store.edit_layer(user_file, lambda d: store.set_fields(d, "my-model", fields))
    assert str(user_file) in info.value.problems[0]
    assert user_file.read_bytes() == old and temps(user_file.parent) == []
    assert not store.backup_path(user_file).exists()


def test_new_model_missing_required_fields_is_refused(user_file: Path) -> None:
    old = user_file.read_bytes()
    with pytest.raises(CatalogError):
        store.edit_layer(user_file, lambda d: store.set_fields(d, "brand-new", {"prices.input": 1}))
    assert user_file.read_bytes() == old


def test_custom_validator_replaces_the_default(user_file: Path) -> None:
    seen: list[dict[str, Any]] = []
    store.edit_layer(
        user_file, lambda d: store.set_fields(d, "x", {"anything": 1}), validate=seen.append
    )
    assert seen and seen[0]["models"]["x"] == {"anything": 1}

    def refuse(doc: dict[str, Any]) -> None:
        raise ValueError("no")

    old = user_file.read_bytes()
    with pytest.raises(WriteError):
        store.edit_layer(user_file, set_price, validate=refuse)
    assert user_file.read_bytes() == old


def test_unreadable_existing_file_is_never_overwritten(user_file: Path) -> None:
    user_file.write_text("[models.x\nbroken", "utf-8")
    with pytest.raises(CatalogError):
        store.edit_layer(user_file, set_price)
    assert user_file.read_text("utf-8") == "[models.x\nbroken"


# --- lock and concurrency --------------------------------------------------------------------


def test_lock_held_elsewhere_times_out_as_write_error(user_file: Path) -> None:
    held, done = threading.Event(), threading.Event()

    def holder() -> None:
        with FileLock(store.lock_path(user_file)):
            held.set()
            done.wait()  # until the edit below has timed out: the finally sets it in any case

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(60)
        with pytest.raises(WriteError, match="another aicompare process"):
            store.edit_layer(user_file, set_price, timeout=0.2)
    finally:
        done.set()
        thread.join()
    store.edit_layer(user_file, set_price, timeout=5)


def _append(model: str, item: str) -> Any:
    def mutate(doc: dict[str, Any]) -> None:
        items = doc["models"].get(model, {}).get("strengths", [])
        store.set_fields(doc, model, {"strengths": [*items, item]})

    return mutate


def _seed(path: Path, models: list[str]) -> None:
    doc = {"schema_version": 1, "models": {m: {"provider": "acme", "type": "text"} for m in models}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(doc), "utf-8")


def test_threads_do_not_lose_edits(tmp_path: Path) -> None:
    path = tmp_path / "models.toml"
    models = [f"t{i}" for i in range(4)]
    _seed(path, models)

    def work(model: str) -> None:
        for i in range(10):
            store.edit_layer(path, _append(model, f"{model}-{i}"))

    threads = [threading.Thread(target=work, args=(m,)) for m in models]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    doc = parse(path)
    for m in models:
        assert doc["models"][m]["strengths"] == [f"{m}-{i}" for i in range(10)]


WORKER = r"""
import os, sys, time
from decimal import Decimal
from pathlib import Path
from aicompare import store

mode, path = sys.argv[1], Path(sys.argv[2])

def append(model, item):
    def mutate(doc):
        items = doc["models"][model].get("strengths", [])
        store.set_fields(doc, model, {"strengths": items + [item]})
    return mutate

def bump(doc):
    n = doc["models"]["counter"]["context_window"] + 1
    store.set_fields(doc, "counter", {"context_window": n, "prices.input": Decimal("0.01") * n,
                                      "notes": f"v{n}"})

if mode == "append":
    model, count = sys.argv[3], int(sys.argv[4])
    for i in range(count):
        store.edit_layer(path, append(model, f"{model}-{i}"))
elif mode == "bump":
    store.edit_layer(path, bump)
    print("go", flush=True)
    while True:
        store.edit_layer(path, bump)
elif mode == "hang":
    real = os.replace
    def stuck(src, dst):
        if Path(dst) == path:
            print("in-write", flush=True)
            time.sleep(60)
        real(src, dst)
    os.replace = stuck
    store.edit_layer(path, bump)
"""


def _worker(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(SRC))
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, *args], env=env, stdout=subprocess.PIPE, text=True
    )


def test_processes_do_not_lose_edits(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "models.toml"
    _seed(path, ["p0", "p1"])
    workers = [_worker("append", str(path), m, "50") for m in ("p0", "p1")]
    for w in workers:
        assert w.wait(60) == 0
    doc = parse(path)
    for m in ("p0", "p1"):
        assert doc["models"][m]["strengths"] == [f"{m}-{i}" for i in range(50)]
    assert temps(path.parent) == []


def _counter_doc(n: int) -> dict[str, Any]:
    table: dict[str, Any] = {"provider": "acme", "type": "text", "context_window": n}
    if n > 1:
        table |= {"prices": {"input": Decimal("0.01") * n}, "notes": f"v{n}"}
    return {"schema_version": 1, "models": {"counter": table}}


@pytest.mark.skipif(not POSIX, reason="SIGKILL")
def test_sigkill_at_random_moments_leaves_a_written_version(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "models.toml"
    path.parent.mkdir()
    path.write_text(tomli_w.dumps(_counter_doc(1)), "utf-8")
    rng = random.Random(1234)
    last = 1
    stale: list[str] = []
    for _ in range(6):
        proc = _worker("bump", str(path))
        assert proc.stdout is not None and proc.stdout.readline() == "go\n"
        # The worker has written once, so its own first edit removed the previous stale temp.
        assert not set(stale) & set(temps(path.parent))
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        doc = parse(path)
        n = doc["models"]["counter"]["context_window"]
        assert n > last and strict(doc, _counter_doc(n))
        backup = parse(store.backup_path(path))
        assert strict(backup, _counter_doc(n - 1)) or strict(backup, _counter_doc(n))
        stale = temps(path.parent)
        assert len(stale) <= 1 and all(f".{proc.pid}-" in name for name in stale)
        last = n
    store.edit_layer(path, lambda d: store.set_fields(d, "counter", {"notes": "done"}))
    assert temps(path.parent) == []


@pytest.mark.skipif(not POSIX, reason="SIGKILL")
def test_sigkill_mid_write_holding_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "models.toml"
    path.parent.mkdir()
    path.write_text(tomli_w.dumps(_counter_doc(1)), "utf-8")
    old = path.read_bytes()
    proc = _worker("hang", str(path))
    assert proc.stdout is not None and proc.stdout.readline() == "in-write\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert path.read_bytes() == old
    left = temps(path.parent)
    assert len(left) == 1 and left[0].startswith(f"models.toml.{proc.pid}-")
    # the killed writer's lock is gone with it, and the next edit removes its temp
    store.edit_layer(path, lambda d: store.set_fields(d, "counter", {"notes": "after"}), timeout=5)
    assert temps(path.parent) == []
    assert parse(path)["models"]["counter"]["notes"] == "after"


def test_stale_temp_cleanup_rules(tmp_path: Path) -> None:
    path = tmp_path / "models.toml"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    names = {
        "dead": f"models.toml.{dead.pid}-0a1b.tmp",
        "dead_bak": f"models.toml.bak.{dead.pid}-ffff.tmp",
        "live_fresh": f"models.toml.{os.getpid()}-1234.tmp",
        "live_old": f"models.toml.{os.getpid()}-5678.tmp",
        "other_file": f"other.toml.{dead.pid}-0a1b.tmp",
        "not_ours": "models.toml.notes.tmp",
    }
    for name in names.values():
        (tmp_path / name).write_text("x")
    hour_ago = (tmp_path / names["live_old"]).stat().st_mtime - 3600
    os.utime(tmp_path / names["live_old"], (hour_ago, hour_ago))
    removed = {p.name for p in store.remove_stale_temps(path)}
    expected = {names["live_old"]} | ({names["dead"], names["dead_bak"]} if POSIX else set())
    assert removed == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(set(names.values()) - expected)


# --- document helpers ------------------------------------------------------------------------


def test_set_fields_creates_nested_tables_and_unsets() -> None:
    doc: dict[str, Any] = {"models": {"m": {"provider": "acme"}}}
    store.set_fields(
        doc,
        "M",
        {
            "prices.batch.input": Decimal("0.5"),
            "lifecycle.superseded_by": "x",
            "aliases": ("a", "b"),
        },
    )
    assert doc["models"]["m"] == {
        "provider": "acme",
        "prices": {"batch": {"input": Decimal("0.5")}},
        "lifecycle": {"superseded_by": "x"},
        "aliases": ["a", "b"],
    }
    store.set_fields(
        doc, "m", {"prices.batch.input": None, "lifecycle.note": None, "nope.deep": None}
    )
    assert doc["models"]["m"] == {
        "provider": "acme",
        "lifecycle": {"superseded_by": "x"},
        "aliases": ["a", "b"],
    }
    store.set_fields(doc, "m", {"provider": None, "lifecycle.superseded_by": None, "aliases": None})
    assert doc["models"] == {}


@pytest.mark.parametrize("field", ["provider.name", "prices..input", ""])
def test_set_fields_refuses_bad_paths(field: str) -> None:
    doc: dict[str, Any] = {"models": {"m": {"provider": "acme"}}}
    with pytest.raises(WriteError):
        store.set_fields(doc, "m", {field: 1})


def test_add_and_remove_model() -> None:
    doc: dict[str, Any] = {"models": {"m": {"provider": "acme"}}}
    store.add_model(doc, "n", {"provider": "acme", "type": "text", "prices": {"input": 0.5}})
    assert doc["models"]["n"]["prices"]["input"] == Decimal("0.5")
    with pytest.raises(WriteError, match="already"):
        store.add_model(doc, "N", {"provider": "acme"})
    assert store.remove_model(doc, "m") == {"provider": "acme"}
    with pytest.raises(WriteError, match="not in this file"):
        store.remove_model(doc, "m")
    empty: dict[str, Any] = {}
    store.add_model(empty, "x", {})
    assert empty == {"models": {"x": {}}}


def test_merge_models_report() -> None:
    doc: dict[str, Any] = {
        "models": {
            "same": {"provider": "acme", "prices": {"input": Decimal("1.00")}},
            "old": {
                "provider": "acme",
                "notes": "mine",
                "prices": {"input": Decimal("1.00"), "output": Decimal(2)},
            },
        }
    }
    incoming = {
        "same": {"prices": {"input": Decimal("1.00")}},
        "OLD": {"prices": {"input": Decimal("0.80")}, "context_window": 1000},
        "new": {"provider": "acme", "type": "text"},
        "junk": "not a table",
    }
    report = store.merge_models(doc, incoming, only_new=False)
    assert report.added == ["new"] and report.updated == ["old"] and report.unchanged == ["same"]
    assert report.skipped == [("junk", "not a table")] and report.changed
    assert report.changed_fields == {"old": ["prices.input", "context_window"]}
    assert doc["models"]["old"] == {
        "provider": "acme",
        "notes": "mine",
        "context_window": 1000,
        "prices": {"input": Decimal("0.80"), "output": Decimal(2)},
    }
    again = store.merge_models(doc, incoming | {"newer": {"provider": "acme"}}, only_new=True)
    assert again.added == ["newer"] and again.updated == [] and again.unchanged == []
    assert ("old", "already in the file") in again.skipped and (
        "same",
        "already in the file",
    ) in again.skipped


def test_merge_models_through_edit_layer(user_file: Path) -> None:
    report = store.edit_layer(
        user_file,
        lambda d: store.merge_models(
            d,
            {
                "imported": {
                    "provider": "acme",
                    "type": "text",
                    "prices": {"input": Decimal("0.30")},
                }
            },
            only_new=True,
        ),
    )
    assert report.added == ["imported"]
    assert (
        parse(user_file)["models"]["imported"]["prices"]["input"].as_tuple()
        == Decimal("0.30").as_tuple()
    )
