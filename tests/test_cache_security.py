"""The parse-once cache cannot be turned against the user who runs aicompare.

- Another local user who can write the cache folder (a world-writable XDG_CACHE_HOME) plants a
  file with a payload that would create a marker file if it ran: nothing runs, the output is
  right, nothing is printed on stderr. Planted as a second user (setpriv or setuid as root), in
  the format before this change (pickles, which it would have run) and in the current one.
- A perfectly valid cache that says a different price, planted with the wrong owner, mode 0666,
  in a 0777 folder, in a folder of another user, or as a symlink, is ignored (and a folder that
  is not the user's own is never written); the same file planted properly is used, which shows
  it was valid.
- The folder is 0700 and the files 0600 whatever the umask.
- Any damage (every single flipped byte, truncation, extension) means "rebuild".
- Stale files are pruned, oldest first, within a number and a byte cap.

Permission tests run the installed console script in a subprocess (tests/terminal.py).
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import pickle
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from terminal import FIXTURE, aicompare
from typer.testing import CliRunner

from aicompare import cache
from aicompare.cache import codec, schema
from aicompare.cache import folder as cache_folder
from aicompare.catalog import Catalog, Layer
from aicompare.cli import app
from aicompare.loader import layer_list, load_catalog
from aicompare.model import ImagePrice, Lifecycle, PriceSet

NOBODY = 65534
AS_OF = "2026-11-21"
SHOW = ["show", "alpha-mini", "--json", "--as-of", AS_OF]
LIST = ["list", "--json", "--as-of", AS_OF]
TRUE_PRICE, PLANTED_PRICE = "1.1", "0.01"  # alpha-mini's input price in tests/data/fixture.toml


# --- set-up -------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture catalog, an empty user layer folder and a cache folder of our own."""
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("AICOMPARE_NO_CACHE", raising=False)
    return tmp_path


@pytest.fixture
def shared_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A world-writable XDG_CACHE_HOME that another user can reach (pytest's tmp is 0700)."""
    root = Path(tempfile.mkdtemp(prefix="aicompare-shared-"))
    root.chmod(0o755)
    shared = root / "cache"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    yield shared
    shutil.rmtree(root, ignore_errors=True)


def run(
    args: list[str], *, umask: int | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """The console script with this process's environment (conftest cleaned it) plus `extra`."""
    env = dict(os.environ, **extra)
    preexec = None if umask is None else (lambda: os.umask(umask))
    return subprocess.run(
        [*aicompare(), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd="/",
        preexec_fn=preexec,
        check=False,
    )


def uncached(args: list[str]) -> str:
    done = run(args, AICOMPARE_NO_CACHE="1")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


def input_price(stdout: str) -> str:
    return str(json.loads(stdout)["model"]["prices"]["standard"]["input"])


def current_layers() -> tuple[Layer, ...]:
    return tuple(layer_list([], include_user=True))


def folder() -> Path:
    return cache.cache_file(current_layers()).parent


def snapshot(path: Path) -> dict[str, tuple[int, int, bytes | str]]:
    """Every entry under `path`: (mode, owner, content or link target), without following links."""
    found = {}
    for item in sorted(path.rglob("*")):
        st_ = item.lstat()
        if stat.S_ISLNK(st_.st_mode):
            content: bytes | str = os.readlink(item)
        elif stat.S_ISREG(st_.st_mode):
            content = item.read_bytes()
        else:
            content = b""
        found[str(item.relative_to(path))] = (st_.st_mode, st_.st_uid, content)
    return found


def as_second_user(*argv: str) -> None:
    """Run argv as user nobody (setpriv, else setuid in the child); skip when neither can be had."""
    if shutil.which("setpriv") and os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    elif os.geteuid() == 0:

        def drop() -> None:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)

        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=60, preexec_fn=drop, check=False
        )
    else:
        pytest.skip(
            "planting as a second user needs root (setpriv or setuid); the permission-only "
            "tests below plant the same files without it"
        )
    assert done.returncode == 0, done.stderr


# --- hostile payloads ---------------------------------------------------------------------------


class _RunsCommand:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def pickle_payload(marker: Path) -> bytes:
    """A pickle that creates `marker` when it is loaded."""
    return pickle.dumps(_RunsCommand(marker))


def code_payload(marker: Path) -> Any:
    """A code object (marshal can carry one) that creates `marker` when it is executed."""
    return compile(f"open({str(marker)!r}, 'w').close()", "payload", "exec")


def test_the_payloads_are_armed(tmp_path: Path) -> None:
    """What the tests below plant would really run: a control marker appears when loaded."""
    first, second = tmp_path / "pickle-ran", tmp_path / "code-ran"
    pickle.loads(pickle_payload(first))
    exec(marshal.loads(marshal.dumps(code_payload(second))))
    assert first.exists() and second.exists()


def old_format(sig: tuple[Any, ...], ids: list[str], payload: bytes) -> bytes:
    """A file in the layout used before the cache stored only data, every pickle slot a payload.

    That version checked nothing but the key and unpickled `tasks` as soon as a catalog was built.
    """
    sections: dict[str, Any] = {
        "ids": tuple(ids),
        "everything": payload,
        "cards": payload,
        "providers": {},
        "tasks": payload,
        "provider_ids": [],
        "models.0": dict.fromkeys(ids, payload),
        "exact.0": {i: i for i in ids},
        "loose.0": {i.replace("-", ""): i for i in ids},
    }
    blobs, offsets, at = [], {}, 0
    for name, value in sections.items():
        blob = marshal.dumps(value)
        blobs.append(blob)
        offsets[name] = (at, at + len(blob))
        at += len(blob)
    header = marshal.dumps(
        {
            "sig": sig,
            "offsets": offsets,
            "size": at,
            "buckets": {"models": 1, "exact": 1, "loose": 1},
        }
    )
    return b"".join([b"aicompare-cache\n", len(header).to_bytes(8, "little"), header, *blobs])


def current_format(sig: tuple[Any, ...], catalog: Catalog, marker: Path) -> bytes:
    """A file in the current layout, with a correct digest, whose record sections hold payloads
    (the providers and indexes are right, so the output can be compared)."""
    import zlib
    from _blake2 import blake2b

    code = code_payload(marker)
    pickled = pickle_payload(marker)
    ids = list(catalog.models)
    providers = {p.id: (p.name, p.url) for p in catalog.providers.values()}
    sections: dict[str, tuple[Any, bool]] = {
        "ids": (tuple(ids), True),
        "everything": (code, True),
        "cards": (pickled, False),
        "providers": (providers, False),
        "tasks": (code, False),
        "provider_ids": (tuple(sorted(catalog.provider_ids)), False),
        "models.0": (dict.fromkeys(ids, pickled), True),
        "exact.0": ({k: "\x1f".join(v) for k, v in catalog.exact_index.items()}, True),
        "loose.0": ({k: "\x1f".join(v) for k, v in catalog.loose_index.items()}, True),
    }
    blobs, offsets, at = [], {}, 0
    for name, (value, packed) in sections.items():
        blob = marshal.dumps(value)
        blob = zlib.compress(blob) if packed else blob
        blobs.append(blob)
        offsets[name] = (at, at + len(blob), packed)
        at += len(blob)
    header = marshal.dumps(
        {
            "sig": sig,
            "offsets": offsets,
            "size": at,
            "buckets": {"models": 1, "exact": 1, "loose": 1},
        }
    )
    body = b"".join([len(header).to_bytes(8, "little"), header, *blobs])
    return b"".join([b"aicompare-cache\n", blake2b(body, digest_size=32).digest(), body])


def hostile_file(kind: str, marker: Path) -> bytes:
    layers = current_layers()
    fresh = load_catalog_uncached()
    if kind == "old format":
        return old_format(cache.signature(layers), list(fresh.models), pickle_payload(marker))
    return current_format(cache.signature(layers), fresh, marker)


def load_catalog_uncached() -> Catalog:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AICOMPARE_NO_CACHE", "1")
        return load_catalog()


# --- planted by another user --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["old format", "current format"])
@pytest.mark.parametrize("where", ["their own folder", "our folder left 0777"])
def test_a_file_planted_by_another_user_never_runs(
    home: Path, shared_cache: Path, kind: str, where: str
) -> None:
    expected_show, expected_list = uncached(SHOW), uncached(LIST)
    marker = shared_cache.parent / "marker"
    target = cache.cache_file(current_layers())
    staged = shared_cache.parent / "staged"
    staged.write_bytes(hostile_file(kind, marker))
    staged.chmod(0o644)
    if where == "our folder left 0777":
        target.parent.mkdir(mode=0o777)
        target.parent.chmod(0o777)  # a mis-set permission on the user's own folder
    as_second_user("/bin/sh", "-c", f'mkdir -p "{target.parent}" && cp "{staged}" "{target}"')
    assert target.stat().st_uid == NOBODY
    before = snapshot(shared_cache)

    for args, expected in ((SHOW, expected_show), (LIST, expected_list)):
        done = run(args)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == expected
        assert input_price(expected_show) == TRUE_PRICE
    assert not marker.exists(), "the planted payload ran"
    assert snapshot(shared_cache) == before, "a folder that is not the user's own was written"


# --- a valid cache, planted where it must not be trusted ----------------------------------------


def planted_cache(staging: Path) -> bytes:
    """A valid cache file for the current layers that says alpha-mini's input costs 0.01."""
    fresh = load_catalog_uncached()
    models = dict(fresh.models)
    mini = models["alpha-mini"]
    prices = mini.prices._replace(
        standard=PriceSet({**mini.prices.standard.values, "input": Decimal(PLANTED_PRICE)})
    )
    models["alpha-mini"] = mini._replace(prices=prices)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(staging))
        cache.write(
            Catalog(models, fresh.providers, fresh.tasks, fresh.layers),
            cache.signature(fresh.layers),
        )
        (written,) = (staging / "aicompare").iterdir()
    return written.read_bytes()


def _as_is(target: Path, data: bytes) -> None:
    target.parent.mkdir(mode=0o700, parents=True)
    target.write_bytes(data)
    target.chmod(0o600)


def _foreign_owner(target: Path, data: bytes) -> None:
    _as_is(target, data)
    os.chown(target, NOBODY, NOBODY)


def _mode_0666(target: Path, data: bytes) -> None:
    _as_is(target, data)
    target.chmod(0o666)


def _group_writable(target: Path, data: bytes) -> None:
    _as_is(target, data)
    target.chmod(0o620)


def _folder_0777(target: Path, data: bytes) -> None:
    _as_is(target, data)
    target.parent.chmod(0o777)


def _folder_of_another_user(target: Path, data: bytes) -> None:
    _as_is(target, data)
    target.parent.chmod(0o755)
    os.chown(target.parent, NOBODY, NOBODY)


def _symlinked_file(target: Path, data: bytes) -> None:
    elsewhere = target.parent.parent / "elsewhere.marshal"
    target.parent.mkdir(mode=0o700, parents=True)
    elsewhere.write_bytes(data)
    elsewhere.chmod(0o600)
    target.symlink_to(elsewhere)


def _symlinked_folder(target: Path, data: bytes) -> None:
    real = target.parent.parent / "real-folder"
    real.mkdir(mode=0o700, parents=True)
    (real / target.name).write_bytes(data)
    (real / target.name).chmod(0o600)
    target.parent.symlink_to(real, target_is_directory=True)


needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another user needs root")
DISTRUSTED: list[Any] = [
    pytest.param(_foreign_owner, True, id="file of another user", marks=needs_root),
    pytest.param(_mode_0666, True, id="file mode 0666"),
    pytest.param(_group_writable, True, id="file group-writable"),
    pytest.param(_symlinked_file, True, id="file is a symlink"),
    pytest.param(_folder_0777, False, id="folder 0777"),
    pytest.param(_folder_of_another_user, False, id="folder of another user", marks=needs_root),
    pytest.param(_symlinked_folder, False, id="folder is a symlink"),
]


def test_the_planted_cache_is_valid_and_used_when_planted_properly(home: Path) -> None:
    """The control for the cases below: the same file, the user's own and 0600, is believed."""
    _as_is(cache.cache_file(current_layers()), planted_cache(home / "staging"))
    done = run(SHOW)
    assert (done.returncode, done.stderr) == (0, "")
    assert input_price(done.stdout) == PLANTED_PRICE


@pytest.mark.parametrize(("plant", "folder_is_ours"), DISTRUSTED)
def test_a_valid_cache_planted_where_it_cannot_be_trusted_is_ignored(
    home: Path, plant: Callable[[Path, bytes], None], folder_is_ours: bool
) -> None:
    expected = uncached(SHOW)
    target = cache.cache_file(current_layers())
    data = planted_cache(home / "staging")
    plant(target, data)
    before = snapshot(home / "cache")

    done = run(SHOW)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected and input_price(done.stdout) == TRUE_PRICE

    if folder_is_ours:  # the distrusted file is replaced by the user's own, which is then used
        st_ = target.lstat()
        assert stat.S_ISREG(st_.st_mode) and st_.st_uid == os.geteuid()
        assert stat.S_IMODE(st_.st_mode) == 0o600
        assert cache.read(current_layers()) is not None
        assert run(SHOW).stdout == expected
    else:  # a folder that is not the user's own alone is never written
        assert snapshot(home / "cache") == before
    if plant is _symlinked_file:  # the link was replaced, what it pointed to is untouched
        assert (home / "cache" / "elsewhere.marshal").read_bytes() == data


def test_a_payload_in_the_users_own_valid_file_is_rejected_not_run(home: Path) -> None:
    """A file with a right digest but sections that are not what the writer stores (here: a
    pickle and code objects): decoding rejects them and the command loads the layers instead."""
    marker = home / "marker"
    expected_show, expected_list = uncached(SHOW), uncached(LIST)
    hostile = current_format(cache.signature(current_layers()), load_catalog_uncached(), marker)
    _as_is(cache.cache_file(current_layers()), hostile)
    for args, expected in (
        (SHOW, expected_show),
        (LIST, expected_list),
        (["cost", "--tokens", "5M", "--json", "--as-of", AS_OF], None),
    ):
        done = run(args)
        assert (done.returncode, done.stderr) == (0, "")
        if expected is not None:
            assert done.stdout == expected
    assert not marker.exists()


def test_decoding_rejects_a_code_object_and_unexpected_types() -> None:
    from aicompare.model import Model
    from aicompare.tasks import Requirements, Task

    good = codec.encode_one(Model("a", "acme", "text", "A"), Model)
    task = Task("t", "T", None, Requirements(), ("cost",), (), {"tokens": "1M"})
    tasks = codec.encode([task], Task)
    assert codec.decode(tasks, Task) == [task]
    for bad in (compile("1", "x", "eval"), b"bytes", 1.5, [1], {"a": 1}, None):
        with pytest.raises(codec.CacheError):
            codec.decode_one(bad, Model)
        with pytest.raises(codec.CacheError):
            codec.decode_one(good[:4] + (bad,) + good[5:], Model)  # aliases
        with pytest.raises(codec.CacheError):
            codec.decode(bad, Model)
        with pytest.raises(codec.CacheError):  # a task's workload, a dict of strings
            codec.decode((*tasks[:3], (("tokens", bad),), tasks[4]), Task)
    assert codec.decode_one(good, Model) == Model("a", "acme", "text", "A")


def _changed(data: tuple[Any, ...], table: int, column: int, value: Any) -> tuple[Any, ...]:
    """A graph with one field of the first row of a table replaced."""
    tables = list(data[4])
    if len(tables[table]) == 1:  # a table of tuples: one column of index tuples
        (column,) = tables[table]
        tables[table] = ((value, *column[1:]),)
    else:
        count, columns = tables[table]
        tables[table] = (count, columns[:column] + ((value,),) + columns[column + 1 :])
    return (*data[:4], tuple(tables))


def test_decoding_rejects_references_out_of_range() -> None:
    """A graph refers to records by index: -1 only where None is allowed, nothing past the end."""
    from aicompare.model import ImagePrice, Model

    record = Model(
        "a", "acme", "text", "A", image_prices=(ImagePrice("low", "any", Decimal("1.25")),)
    )
    data = codec.encode([record], Model)
    assert codec.decode(data, Model) == [record]
    model_table = schema.order(Model).index("Model")
    image_table = schema.order(Model).index("ImagePrice")

    for bad in (
        _changed(data, model_table, 20, -1),  # a lifecycle that is None
        _changed(data, model_table, 20, 5),  # past the end of the lifecycle table
        _changed(data, model_table, 20, "0"),
        _changed(data, image_table, 2, -1),  # a required Decimal that is None
        _changed(data, image_table, 2, 1),
    ):
        with pytest.raises(codec.CacheError):
            codec.decode(bad, Model)
    release = _changed(data, model_table, 15, -1)  # an optional date: -1 is None
    assert codec.decode(release, Model)[0].release_date is None


def test_decoding_rejects_rates_out_of_range() -> None:
    """A rate card's rates are a tuple of optional Decimals: indexes into the decimals, -1 None."""
    from aicompare.model import Lifecycle
    from aicompare.pricing import RateCard

    card = RateCard(
        id="a",
        provider="acme",
        type="text",
        capabilities=(),
        lifecycle=Lifecycle(),
        availability="general",
        free=False,
        takes_tokens=True,
        makes_images=False,
        token_limit=None,
        standard=(Decimal("2.50"), None, Decimal(10)),
        batch=(None, None, None),
        tiers=(),
        image_prices=(),
    )
    data = codec.encode([card], RateCard)
    assert repr(codec.decode(data, RateCard)) == repr([card])
    rates = schema.order(RateCard).index("*d?")
    assert codec.decode(_changed(data, rates, 0, (-1, -1)), RateCard)[0].standard == (None, None)
    for bad in ((-2, 0), (0, 5), ("0",), (0.0,)):
        with pytest.raises(codec.CacheError):
            codec.decode(_changed(data, rates, 0, bad), RateCard)


# --- modes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_folder_0700_and_files_0600_whatever_the_umask(home: Path, umask: int) -> None:
    """Even with umask 000 a private layer is not copied into a readable cache (and 0277, which
    would leave a folder its owner cannot write, still gives a working cache)."""
    layer = home / "config" / "aicompare" / "models.toml"
    layer.parent.mkdir(parents=True)
    layer.write_text("[models.alpha-mini.prices]\ninput = 0.77\n")
    layer.chmod(0o600)
    cache_home = home / "cache" / "deeper"  # missing parents are made too
    done = run(SHOW, umask=umask, XDG_CACHE_HOME=str(cache_home))
    assert (done.returncode, done.stderr) == (0, "") and input_price(done.stdout) == "0.77"
    made = cache_home / "aicompare"
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    assert stat.S_IMODE(cache_home.stat().st_mode) & 0o077 == 0
    (only,) = made.iterdir()
    assert stat.S_IMODE(only.stat().st_mode) == 0o600
    assert run(SHOW, umask=umask, XDG_CACHE_HOME=str(cache_home)).stdout == done.stdout


def test_an_older_0755_folder_of_the_user_is_tightened_on_write(home: Path) -> None:
    made = home / "cache" / "aicompare"
    made.mkdir(parents=True)
    made.chmod(0o755)
    (made / "catalog-00000000.marshal").write_bytes(b"an older format")
    assert run(SHOW).returncode == 0
    assert stat.S_IMODE(made.stat().st_mode) == 0o700


# --- damage ---------------------------------------------------------------------------------------


@pytest.fixture
def written(home: Path) -> Path:
    load_catalog()
    path = cache.cache_file(current_layers())
    assert path.is_file() and cache.read(current_layers()) is not None
    return path


def test_every_single_flipped_byte_means_rebuild(written: Path) -> None:
    """Exhaustive over the whole file of the fixture catalog, two different flips per byte."""
    layers = current_layers()
    size = written.stat().st_size
    assert size > 1000
    with open(written, "r+b") as handle:
        for offset in range(size):
            original = os.pread(handle.fileno(), 1, offset)
            for flip in (0x01, 0xFF):
                os.pwrite(handle.fileno(), bytes([original[0] ^ flip]), offset)
                assert cache.read(layers) is None, (offset, flip)
            os.pwrite(handle.fileno(), original, offset)
    assert cache.read(layers) is not None


def test_every_truncation_and_extension_means_rebuild(written: Path) -> None:
    layers = current_layers()
    data = written.read_bytes()
    for length in range(len(data)):
        os.truncate(written, length)
        assert cache.read(layers) is None, length
    for extra in (b"\0", b"x" * 7, data[-100:], data):
        written.write_bytes(data + extra)
        assert cache.read(layers) is None, len(extra)
    written.write_bytes(data)
    assert cache.read(layers) is not None


def _invoke(args: list[str]) -> tuple[int, str, str]:
    done = CliRunner().invoke(app, args, catch_exceptions=False)
    return done.exit_code, done.stdout, done.stderr


damage = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**9), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(0, 10**9), st.just(0)),
    st.tuples(st.just("extend"), st.integers(1, 64), st.integers(0, 255)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(change=damage)
def test_damaged_cache_gives_the_uncached_output_and_is_rebuilt(
    written: Path, change: tuple[str, int, int]
) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AICOMPARE_NO_CACHE", "1")
        expected = [_invoke(args) for args in (SHOW, LIST)]
    good = written.read_bytes()
    kind, at, value = change
    if kind == "flip":
        at %= len(good)
        bad = good[:at] + bytes([good[at] ^ value]) + good[at + 1 :]
    elif kind == "cut":
        bad = good[: at % len(good)]
    else:
        bad = good + bytes([value]) * at
    written.write_bytes(bad)
    assert [_invoke(SHOW), _invoke(LIST)] == expected
    assert cache.read(current_layers()) is not None  # rebuilt by the first of them
    assert json.loads(expected[0][1])["model"]["prices"]["standard"]["input"] == TRUE_PRICE


# --- pruning --------------------------------------------------------------------------------------


def _layer(home: Path, index: int) -> str:
    """An extra layer, written once (rewriting it would change the cache key)."""
    path = home / f"extra-{index}.toml"
    if not path.exists():
        path.write_text(f"[models.alpha-mini.prices]\ninput = 0.{index + 10}\n")
    return str(path)


def _cache_files(where: Path) -> list[str]:
    return sorted(p.name for p in where.iterdir() if p.name.endswith(".marshal"))


def test_stale_files_are_pruned_oldest_first(home: Path) -> None:
    """Every distinct --catalog used to leave a file forever; now the most recently used stay."""
    names = []
    for index in range(cache.KEEP_FILES + 4):
        catalog = load_catalog([_layer(home, index)])
        name = cache.cache_file(catalog.layers)
        names.append(name.name)
        os.utime(name, (1_000_000 + index, 1_000_000 + index))  # in this order, a second apart
    where = home / "cache" / "aicompare"
    assert _cache_files(where) == sorted(names[-cache.KEEP_FILES :])
    # reading an old file marks it used: it survives the next prune, the oldest other goes
    assert isinstance(load_catalog([_layer(home, 4)]).models, cache.LazyModels)  # read, not rebuilt
    load_catalog([_layer(home, 99)])
    assert names[4] in _cache_files(where) and names[5] not in _cache_files(where)
    assert len(_cache_files(where)) == cache.KEEP_FILES


def test_the_byte_cap_keeps_the_newest(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalog([_layer(home, 1)])
    one = cache.cache_file(load_catalog([_layer(home, 1)]).layers)
    monkeypatch.setattr(cache_folder, "KEEP_BYTES", one.stat().st_size * 2 + 10)
    for index in range(2, 6):
        load_catalog([_layer(home, index)])
        os.utime(
            cache.cache_file(load_catalog([_layer(home, index)]).layers),
            (2_000_000 + index, 2_000_000 + index),
        )
    monkeypatch.setattr(
        cache_folder, "KEEP_BYTES", 1
    )  # less than one file: the newest is still kept
    newest = load_catalog([_layer(home, 6)])
    assert _cache_files(home / "cache" / "aicompare") == [cache.cache_file(newest.layers).name]


def test_pruning_leaves_everything_else_alone(home: Path) -> None:
    where = home / "cache" / "aicompare"
    load_catalog()
    outside = home / "outside.marshal"
    outside.write_bytes(b"not ours to delete")
    (where / "catalog-0000000a.marshal").symlink_to(outside)  # a link named like ours
    (where / "notes.txt").write_text("the user's")
    stale_temp = where / "catalog-0000000b.marshal.123.0badcafe.tmp"
    fresh_temp = where / "catalog-0000000c.marshal.124.0badcafe.tmp"
    for path in (stale_temp, fresh_temp):
        path.write_bytes(b"half")
    os.utime(stale_temp, (1_000_000, 1_000_000))
    (where / "catalog-0000000d.marshal").mkdir()
    for index in range(cache.KEEP_FILES + 2):
        load_catalog([_layer(home, index)])
    left = sorted(p.name for p in where.iterdir())
    assert "catalog-0000000a.marshal" in left and outside.read_bytes() == b"not ours to delete"
    assert "notes.txt" in left and "catalog-0000000d.marshal" in left
    assert fresh_temp.name in left and stale_temp.name not in left  # a live writer's temp stays
    assert (
        len(
            [
                n
                for n in left
                if n.endswith(".marshal") and (where / n).is_file() and not (where / n).is_symlink()
            ]
        )
        == cache.KEEP_FILES
    )


def test_a_run_leaves_no_temporary_file(home: Path) -> None:
    load_catalog()
    assert [p.name for p in (home / "cache" / "aicompare").iterdir()] == [
        cache.cache_file(current_layers()).name
    ]


def _reachable(root: type) -> list[type]:
    """Every record class a root's fields lead to (NamedTuples, alone or in tuples)."""
    import typing

    found: list[type] = []
    todo = [root]
    while todo:
        cls = todo.pop()
        if cls in found:
            continue
        found.append(cls)
        for hint in typing.get_type_hints(cls).values():
            for item in (hint, *typing.get_args(hint)):
                if isinstance(item, type) and hasattr(item, "_fields"):
                    todo.append(item)
    return found


@pytest.mark.parametrize("root", ["Model", "RateCard", "Task"])
def test_the_schema_is_read_off_the_records(root: str) -> None:
    """The cache keeps no copy of the records' shapes: each table is a record class reachable
    from the root, after the tables it refers into, with one kind per field of its type."""
    import datetime as dt
    import typing

    from aicompare import model, pricing, tasks

    cls = {"Model": model.Model, "RateCard": pricing.RateCard, "Task": tasks.Task}[root]
    names = schema.order(cls)
    assert names[-1] == root
    assert {c.__name__ for c in _reachable(cls)} == {n for n in names if n[0] != "*"}

    def kind(hint: Any) -> str:
        args = typing.get_args(hint)
        optional = type(None) in args
        if optional:
            (hint,) = [a for a in args if a is not type(None)]
        base = {str: "s", int: "i", bool: "b", Decimal: "d", dt.date: "t"}.get(hint)
        if base is not None:
            return base + ("?" if optional else "")
        origin, inner = typing.get_origin(hint), typing.get_args(hint)
        if origin is tuple and inner[-1:] == (Ellipsis,):
            (item,) = inner[:-1]
            if item is str:
                return "ss"
            if typing.get_origin(item) is tuple:
                return "pp"
            return "*" + (item.__name__ if hasattr(item, "_fields") else kind(item))
        if origin is dict:
            return {Decimal: "dd", str: "ds"}[inner[1]]
        return ">" + hint.__name__

    for name in names:
        if name[0] == "*":
            assert name[1:] in names or name[1:] in ("d", "d?"), name
            continue
        record = next(c for c in _reachable(cls) if c.__name__ == name)
        hints = typing.get_type_hints(record)
        expected = tuple(kind(hints[field]) for field in record._fields)  # type: ignore[attr-defined]
        assert schema.kinds(name) == expected, name
        for field in expected:  # what a field refers into comes first
            if field[0] in ">*":
                target = field[1:] if field[0] == ">" else field
                assert target in ("d", "d?") or names.index(target) < names.index(name), field


class _Every(NamedTuple):
    """A record with a field of every kind the cache stores (defined in a module with
    `from __future__ import annotations`: its field types are read with get_type_hints)."""

    s: str
    so: str | None
    i: int
    io: int | None
    b: bool
    d: Decimal
    do: Decimal | None
    t: dt.date | None
    ss: tuple[str, ...]
    pp: tuple[tuple[str, str], ...]
    dd: dict[str, Decimal]
    ds: dict[str, str]
    one: Lifecycle
    many: tuple[ImagePrice, ...]
    decimals: tuple[Decimal, ...]
    rates: tuple[Decimal | None, ...]


class _Floaty(NamedTuple):
    price: float


class _Listy(NamedTuple):
    names: list[str]


def test_a_record_of_every_field_kind_round_trips() -> None:
    """A field added to a record with any of these types is stored with no change to the cache,
    in a graph and as nested rows, digits and None kept."""
    first = _Every(
        "a",
        None,
        1,
        None,
        True,
        Decimal("2.50"),
        None,
        None,
        ("x", "y"),
        (("k", "v"),),
        {"input": Decimal("1E+1")},
        {"tokens": "5M"},
        Lifecycle(note="n"),
        (ImagePrice("low", "any", Decimal("0.010")),),
        (Decimal("-0"),),
        (Decimal("1.10"), None),
    )
    second = first._replace(so="b", io=0, do=Decimal(0), t=dt.date(2026, 1, 2), rates=())
    data = marshal.loads(marshal.dumps(codec.encode([first, second], _Every)))
    assert repr(codec.decode(data, _Every)) == repr([first, second])
    for record in (first, second):
        row = marshal.loads(marshal.dumps(codec.encode_one(record, _Every)))
        assert repr(codec.decode_one(row, _Every)) == repr(record)


@pytest.mark.parametrize("cls", [_Floaty, _Listy])
def test_a_field_the_cache_cannot_store_is_refused_before_anything_is_written(cls: type) -> None:
    with pytest.raises(TypeError, match="the cache has no kind"):
        schema.order(cls)


def test_a_new_billed_kind_needs_no_change_to_the_cache() -> None:
    """A rate card holds one rate per pricing.BILLED kind: a card with one more rate (what a new
    kind gives) is stored and rebuilt as it is."""
    from aicompare.pricing import BILLED, RateCard

    rates = (Decimal("2.50"), None, *(Decimal(10),) * (len(BILLED) - 2), Decimal("3.75"))
    assert len(rates) == len(BILLED) + 1
    card = RateCard(
        id="a",
        provider="acme",
        type="text",
        capabilities=("batch",),
        lifecycle=Lifecycle(),
        availability="preview",
        free=True,
        takes_tokens=True,
        makes_images=False,
        token_limit=128_000,
        standard=rates,
        batch=(None,) * len(rates),
        tiers=(),
        image_prices=(),
    )
    assert repr(codec.decode(codec.encode([card], RateCard), RateCard)) == repr([card])


def test_a_cached_run_imports_no_pickle_and_no_hashlib(written: Path) -> None:
    """The digest comes from _blake2 directly (hashlib would load OpenSSL); nothing unpickles."""
    script = (
        "import sys; from aicompare.loader import load_catalog; c = load_catalog(); "
        "c.resolve('alpha-mini'); c.rate_cards(); list(c.models.values()); dict(c.tasks); "
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
        check=False,
    )
    loaded = set(done.stdout.split())
    assert "aicompare.cache" in loaded and "_blake2" in loaded
    assert not loaded & {
        "pickle",
        "_pickle",
        "hashlib",
        "_hashlib",
        "rich",
        "tomllib",
        "aicompare.schema",
    }, loaded  # tasks come built, not validated again


def test_a_cached_lookup_decodes_no_tasks_and_no_cards(written: Path) -> None:
    """What a command does not read is not decoded: resolving names imports neither the task
    records nor pricing (the start-up budget of `diff --json`, docs/performance.md)."""
    script = (
        "import sys; from aicompare.loader import load_catalog; c = load_catalog(); "
        "c.resolve('alpha-mini'); print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
        check=False,
    )
    loaded = set(done.stdout.split())
    assert "aicompare.cache" in loaded
    assert not loaded & {"aicompare.tasks", "aicompare.pricing", "aicompare.schema"}, loaded
