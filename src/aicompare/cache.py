"""A parse-once cache of the merged catalog: data only, checked before it is trusted.

What is stored: plain builtins only (str, int, bool, None, tuples, dicts and lists of them),
marshalled without code objects. The records (Models, RateCards, their prices, lifecycles,
Decimals and dates) are taken apart into typed tables by `_Graph` and rebuilt by `_decode`,
which checks the type of every decoded value against a fixed schema and raises CacheError on
anything else, so decoding calls no constructor a file names and cannot reach code.

Where it is stored: one file per combination of layers, `catalog-<crc>.marshal`, in the user's
cache folder (paths.cache_dir()). The folder is created 0700 and the files 0600 whatever the
umask. On POSIX a folder or file is used only when it is owned by the effective user, is not
writable by group or others, and is not a symlink; ownership and mode are read with fstat from
the descriptor that is then used (O_NOFOLLOW, no check-then-open race), and every file is opened
relative to the verified folder's descriptor. A folder that fails the check is never read or
written: the run loads the layers, quietly.

How it is checked: the file starts with a magic line and a blake2b digest of everything after
the digest; the digest is verified before anything is decoded, so a flipped byte, a truncation,
extra bytes or a wrong length means "rebuild", never a traceback or a different price. Then the
key: every layer's path, size, mtime, ctime and inode plus the code that reads catalogs, so any
edit, replace or touch of any layer (or an upgrade) rebuilds it.

Layout: the header (the key and each section's offsets), then marshalled sections, each
decoded on first use: ids; one small record graph per model (in buckets, so `diff A B` decodes
two); one graph of every model (for commands that read them all); one of pricing.RateCards (for
the ranked scan of `cost`); providers; tasks; the name indexes (in buckets).

At most KEEP_FILES files and KEEP_BYTES bytes are kept, the most recently used first; a file in
use is touched at most once an hour so that its mtime says when it was last used.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import stat
import zlib  # loaded at start-up already (docs/performance.md)
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from aicompare import __version__
from aicompare.catalog import Catalog, Layer
from aicompare.model import (
    Benchmark,
    ImagePrice,
    Lifecycle,
    Model,
    Prices,
    PriceSet,
    PriceTier,
    Provider,
)

ENV_NO_CACHE = "AICOMPARE_NO_CACHE"
FORMAT = 4
# Modules whose change alters what a catalog file means, or the records the cache holds.
_READERS = ("schema.py", "model.py", "loader.py", "catalog.py", "cache.py", "pricing.py")
_MAGIC = b"aicompare-cache\n"
_DIGEST = 32  # bytes of blake2b digest, after the magic
_BODY = len(_MAGIC) + _DIGEST  # the digest covers everything from here to the end of the file
_LENGTH = 8  # bytes of the header's length, at the start of the body
_PREFIX = "catalog-"
_SUFFIX = ".marshal"
KEEP_FILES = 8
KEEP_BYTES = 64 * 1024 * 1024
_TOUCH_AFTER = 3600  # seconds: how stale a used file's mtime may get before it is refreshed
_STALE_TEMP = 3600  # seconds: a temporary file this old was left by a run that died

_POSIX = hasattr(os, "geteuid")
_AT = _POSIX and os.open in os.supports_dir_fd and os.scandir in os.supports_fd
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class CacheError(ValueError):
    """A cache file, or a part of one, that is not what this code writes."""


def enabled() -> bool:
    return not os.environ.get(ENV_NO_CACHE)


def signature(layers: tuple[Layer, ...]) -> tuple[Any, ...]:
    """Everything that, when it changes, must rebuild the cache."""
    here = Path(__file__).parent
    code = tuple(os.stat(here / name).st_mtime_ns for name in _READERS)
    files: list[tuple[Any, ...]] = []
    for layer in layers:
        try:
            st = os.stat(layer.path)
            files.append((layer.kind, layer.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                          st.st_ino))
        except OSError:
            files.append((layer.kind, layer.path, None))
    return (FORMAT, __version__, code, tuple(files))


def _name(layers: tuple[Layer, ...]) -> str:
    # the name only spreads layer combinations over files; the signature inside decides validity
    return f"{_PREFIX}{zlib.crc32(repr([(l.kind, l.path) for l in layers]).encode()):08x}{_SUFFIX}"


def cache_file(layers: tuple[Layer, ...]) -> Path:
    from aicompare.paths import cache_dir

    return cache_dir() / _name(layers)


# --- the folder and its files ---------------------------------------------------------------------


def _trusted(st: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no uids)."""
    return not _POSIX or (st.st_uid == os.geteuid() and not st.st_mode & 0o022)


class _Folder:
    """The cache folder, verified once, then used through its descriptor (by path without *at)."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self.fd is not None:
            return os.open(name, flags | _NOFOLLOW, mode, dir_fd=self.fd)
        return os.open(self.path / name, flags | _NOFOLLOW, mode)

    def replace(self, source: str, target: str) -> None:
        if self.fd is not None:
            os.replace(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        else:
            os.replace(self.path / source, self.path / target)

    def unlink(self, name: str) -> None:
        if self.fd is not None:
            os.unlink(name, dir_fd=self.fd)
        else:
            os.unlink(self.path / name)

    def entries(self) -> list[tuple[str, os.stat_result]]:
        """(name, lstat) of every entry; symlinks are reported as such, never followed."""
        found = []
        with os.scandir(self.fd if self.fd is not None else self.path) as scan:
            for entry in scan:
                try:
                    found.append((entry.name, entry.stat(follow_symlinks=False)))
                except OSError:
                    continue  # removed meanwhile
        return found


def _folder(create: bool) -> _Folder | None:
    """The cache folder if this user alone controls it, created (0700) when `create`; else None."""
    from aicompare.paths import cache_dir

    path = cache_dir()
    if not _AT:  # no descriptor-relative calls (Windows): by path, checked where there are uids
        try:
            if create:
                path.mkdir(mode=0o700, parents=True, exist_ok=True)
            st = os.lstat(path)
        except OSError:
            return None
        return _Folder(path, None) if stat.S_ISDIR(st.st_mode) and _trusted(st) else None
    flags = os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | os.O_CLOEXEC
    created = False
    try:
        try:
            fd = os.open(path, flags)
        except FileNotFoundError:
            if not create:
                return None
            _make_parents(path.parent)
            try:
                os.mkdir(path, 0o700)
                created = True
            except FileExistsError:
                pass  # another run made it first: checked below like any other
            fd = os.open(path, flags)
    except OSError:  # a symlink (ELOOP), not a folder, no access, ...
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISDIR(st.st_mode) or not _trusted(st):
            os.close(fd)
            return None
        mode = stat.S_IMODE(st.st_mode)
        if create and (mode != 0o700 if created else mode & 0o077):
            # exactly 0700 when made here (the umask may have taken more or less); an existing
            # folder (an older version made it 0755) only loses what group and others had
            os.fchmod(fd, 0o700 if created else mode & 0o700)
    except OSError:
        os.close(fd)
        return None
    return _Folder(path, fd)


def _make_parents(path: Path) -> None:
    """Create the missing folders above the cache folder, 0700 whatever the umask (the XDG rule
    for base folders)."""
    missing = []
    while not os.path.lexists(path) and path.parent != path:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: left as it is
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fchmod(fd, 0o700)
        finally:
            os.close(fd)


def _read_file(folder: _Folder, name: str) -> memoryview | None:
    """The file's bytes if it is a regular file this user alone controls; the fd is never reused."""
    import mmap

    try:
        fd = folder.open(name, _OPEN | getattr(os, "O_NONBLOCK", 0))
    except OSError:  # absent, a symlink (ELOOP), ...
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _trusted(st) or st.st_size < _BODY + _LENGTH:
            return None
        view = memoryview(mmap.mmap(fd, 0, access=mmap.ACCESS_READ))
        if _POSIX and st.st_mtime < _now() - _TOUCH_AFTER:
            try:
                os.utime(fd)  # mark it used, for pruning
            except OSError:
                pass
        return view
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def _now() -> float:
    from time import time

    return time()


def _digest(body: memoryview | bytes) -> bytes:
    try:
        from _blake2 import blake2b  # what hashlib.blake2b is, without hashlib's OpenSSL import
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(body, digest_size=_DIGEST).digest()


# --- reading ------------------------------------------------------------------------------------


def read(layers: tuple[Layer, ...]) -> Catalog | None:
    """The cached catalog for these layers if it is intact and still exact; None otherwise."""
    try:
        folder = _folder(create=False)
        if folder is None:
            return None
        try:
            view = _read_file(folder, _name(layers))
        finally:
            folder.close()
        if view is None or view[:len(_MAGIC)] != _MAGIC:
            return None
        body = view[_BODY:]
        if _digest(body) != view[len(_MAGIC):_BODY]:
            return None  # damaged, cut short or extended: rebuilt from the files
        sections = _open_sections(body, layers)
        if sections is None:
            return None  # another catalog, or code
        providers = _providers(sections["providers"])
        provider_ids = _strings(sections["provider_ids"])
        return Catalog(LazyModels(sections), providers, _LazyTasks(sections), layers,
                       exact=_Index(sections, "exact"), loose=_Index(sections, "loose"),
                       provider_ids=frozenset(provider_ids), cards=sections.cards)
    except Exception:  # noqa: BLE001 - any unreadable or foreign cache just means a full load
        return None


def _open_sections(body: memoryview, layers: tuple[Layer, ...]) -> _Sections | None:
    end = _LENGTH + int.from_bytes(body[:_LENGTH], "little")
    header = marshal.loads(body[_LENGTH:end])
    if type(header) is not dict or header.get("sig") != signature(layers):
        return None
    offsets, buckets = header["offsets"], header["buckets"]
    if type(offsets) is not dict or type(buckets) is not dict or header["size"] != len(body) - end:
        raise CacheError("header")
    for table in ("models", "exact", "loose"):
        count = buckets.get(table)
        if type(count) is not int or count < 1:
            raise CacheError("bucket count")
    return _Sections(body[end:], offsets, buckets, layers)


_SEP = "\x1f"
# Sections are zlib-compressed, so that the digest every run checks reads 4-5 times fewer bytes
# (3.5 MB -> 0.8 MB for LiteLLM's map: 2.6 ms less per run), except the rate cards, which `cost`
# decodes whole on every run (inflating them would cost more than hashing them) and the small ones.
_UNPACKED = frozenset({"cards", "providers", "tasks", "provider_ids"})
_BUCKET = 64  # entries per bucket of a large table: a lookup decodes one bucket, not the table


def _bucket_of(key: str, buckets: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % buckets


class _Sections:
    """The file's sections, each decoded from the (verified) body on first use."""

    def __init__(self, view: memoryview, offsets: dict[str, tuple[int, int, bool]],
                 buckets: dict[str, int], layers: tuple[Layer, ...]) -> None:
        self._view = view
        self._offsets = offsets
        self._buckets = buckets
        self._layers = layers
        self._decoded: dict[str, Any] = {}
        self._fresh: Catalog | None = None

    def fresh(self) -> Catalog:
        """The catalog loaded from its layers, for a section found broken after the file was
        opened (its digest was right, so only this user or a bug could have written it)."""
        if self._fresh is None:
            from aicompare.loader import build_catalog, read_document

            documents = [(layer, *read_document(layer.path))
                         for layer in self._layers if layer.exists]
            self._fresh = build_catalog(documents, self._layers)
        return self._fresh

    def __getitem__(self, name: str) -> Any:
        if name not in self._decoded:
            span = self._offsets.get(name)
            if (type(span) is not tuple or len(span) != 3 or type(span[0]) is not int
                    or type(span[1]) is not int or not 0 <= span[0] <= span[1] <= len(self._view)):
                raise CacheError(f"the span of {name}")
            start, end, packed = span
            data: bytes | memoryview = self._view[start:end]
            try:
                data = zlib.decompress(data) if packed else data
            except zlib.error:
                raise CacheError(f"{name}: not deflated data") from None
            self._decoded[name] = _unmarshal(data)
        return self._decoded[name]

    def lookup(self, table: str, key: str) -> Any:
        """table[key] (KeyError when absent), decoding only the bucket that holds `key`."""
        part = self[f"{table}.{_bucket_of(key, self._buckets[table])}"]
        if type(part) is not dict:
            raise CacheError(table)
        return part[key]

    def whole(self, table: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for index in range(self._buckets[table]):
            part = self[f"{table}.{index}"]
            if type(part) is not dict:
                raise CacheError(table)
            merged.update(part)
        return merged

    def cards(self) -> list[Any]:
        from aicompare.pricing import RateCard

        try:
            return _decode(self["cards"], "RateCard", RateCard)
        except CacheError:
            return self.fresh().rate_cards()


def _unmarshal(data: bytes | memoryview) -> Any:
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError) as error:
        raise CacheError(f"not marshal data: {error}") from None


def _strings(value: Any) -> tuple[str, ...]:
    if type(value) is not tuple or not _STR.issuperset(map(type, value)):
        raise CacheError("expected strings")
    return value


def _providers(value: Any) -> dict[str, Provider]:
    if type(value) is not dict:
        raise CacheError("providers")
    providers = {}
    for pid, row in value.items():
        if (type(pid) is not str or type(row) is not tuple or len(row) != 2
                or type(row[0]) is not str or not (row[1] is None or type(row[1]) is str)):
            raise CacheError("providers")
        providers[pid] = Provider(pid, *row)
    return providers


class _Index(Mapping[str, list[str]]):
    """name -> ids of a bucketed table, each stored as one joined string (fewer objects)."""

    def __init__(self, sections: _Sections, table: str) -> None:
        self._sections = sections
        self._table = table
        self._all: dict[str, Any] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def _fresh(self) -> Mapping[str, list[str]]:
        fresh = self._sections.fresh()
        return fresh.exact_index if self._table == "exact" else fresh.loose_index

    def __getitem__(self, key: str) -> list[str]:
        try:
            value = self._sections.lookup(self._table, key)
            if type(value) is not str:
                raise CacheError(self._table)
        except CacheError:
            return self._fresh()[key]
        return value.split(_SEP)

    def __iter__(self) -> Iterator[str]:
        if self._all is None:
            try:
                merged = self._sections.whole(self._table)
                if not _STR.issuperset(map(type, chain(merged, merged.values()))):
                    raise CacheError(self._table)
            except CacheError:
                merged = dict(self._fresh())
            self._all = merged
        return iter(self._all)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LazyModels(Mapping[str, Model]):
    """Model records rebuilt on first access; a full scan rebuilds them all at once."""

    def __init__(self, sections: _Sections) -> None:
        self._sections = sections
        self._id_tuple: tuple[str, ...] | None = None
        self._id_set: frozenset[str] | None = None
        self._built: dict[str, Model] = {}
        self._complete = False

    @property
    def _ids(self) -> tuple[str, ...]:
        if self._id_tuple is None:
            try:
                self._id_tuple = _strings(self._sections["ids"])
            except CacheError:
                self._id_tuple = tuple(self._sections.fresh().models)
        return self._id_tuple

    def __getitem__(self, model_id: str) -> Model:
        model = self._built.get(model_id)
        if model is None:
            if self._complete or not isinstance(model_id, str):
                raise KeyError(model_id)
            try:
                blob = self._sections.lookup("models", model_id)
                if type(blob) is not bytes:
                    raise CacheError("models")
                model = _decode_one(_unmarshal(blob), "Model", Model)
                if model.id != model_id:
                    raise CacheError("a record under another id")
            except CacheError:
                model = self._sections.fresh().models[model_id]
            self._built[model_id] = model
        return model

    def _all(self) -> dict[str, Model]:
        if not self._complete:
            try:
                models = _decode(self._sections["everything"], "Model", Model)
                ids = self._ids
                if len(models) != len(ids):
                    raise CacheError("record count")
                self._built = dict(zip(ids, models))
            except CacheError:
                self._built = dict(self._sections.fresh().models)
            self._complete = True
        return self._built

    def values(self):  # type: ignore[override]
        return self._all().values()

    def items(self):  # type: ignore[override]
        return self._all().items()

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, model_id: object) -> bool:
        if self._id_set is None:
            self._id_set = frozenset(self._ids)
        return model_id in self._id_set


class _LazyTasks(Mapping[str, Any]):
    """The catalog's task tables (raw TOML values), rebuilt when a command reads them."""

    def __init__(self, sections: _Sections) -> None:
        self._sections = sections
        self._tasks: dict[str, Any] | None = None

    @property
    def _data(self) -> dict[str, Any]:
        if self._tasks is None:
            try:
                tasks = _untag(self._sections["tasks"], 0)
                if type(tasks) is not dict:
                    raise CacheError("tasks")
            except CacheError:
                tasks = dict(self._sections.fresh().tasks)
            self._tasks = tasks
        return self._tasks

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


# --- records as tables of plain values ------------------------------------------------------------
#
# A record graph is marshalled as (decimals, dates, string tuples, string-pair tuples, tables):
# decimals as their exact text (so 2.50 stays 2.50), dates as ordinals, and one table per record
# type below, in this order, each a tuple of columns. A field refers to a Decimal, date, string
# tuple or record by its index in the table that holds it (-1 for None where the field is
# optional), so equal values are stored and rebuilt once. The last tables are the roots: the
# models or rate cards themselves, in order.
#
# Field kinds: s str | s? str or None | i int | i? int or None | b bool | ss tuple of str
# | pp tuple of (str, str) | d Decimal | d? Decimal or None | t? date or None
# | dd dict of str -> Decimal | >Name a record of table Name | *Name a tuple of them.

_SCHEMA: dict[str, tuple[type | None, tuple[str, ...]]] = {
    "PriceSet": (PriceSet, ("dd",)),
    "PriceTier": (PriceTier, ("i", ">PriceSet")),
    "*PriceTier": (None, ()),
    "Prices": (Prices, (">PriceSet", ">PriceSet", "*PriceTier")),
    "Lifecycle": (Lifecycle, ("t?", "t?", "s?", "s?")),
    "ImagePrice": (ImagePrice, ("s", "s", "d")),
    "*ImagePrice": (None, ()),
    "Benchmark": (Benchmark, ("s", "d", "s")),
    "*Benchmark": (None, ()),
    "Rates": (tuple, ("d?", "d?", "d?")),  # a rate card's (input, cached input, output)
    "Model": (Model, ("s", "s", "s", "s", "ss", "s?", "i?", "i?", "i?", "ss", "ss", "ss", "ss",
                      "ss",
                      "s?", "t?", "ss", "s?", "s?", "t?", ">Lifecycle", ">Prices", "*ImagePrice",
                      "*Benchmark", "pp")),
    "RateCard": (None, ("s", "s", "s", "ss", ">Lifecycle", "b", "b", "i?", ">Rates", ">Rates",
                        "*PriceTier", "*ImagePrice")),  # pricing.RateCard, imported when used
}
_ROOTS = ("Model", "RateCard")
_ORDER = tuple(_SCHEMA)
_new = tuple.__new__  # what a NamedTuple's _make calls, in C
_NONE = type(None)
_STR: frozenset[type] = frozenset({str})
_INT: frozenset[type] = frozenset({int})
_TUPLE: frozenset[type] = frozenset({tuple})
_KIND_TYPES: dict[str, frozenset[type]] = {
    "s": _STR, "s?": frozenset({str, _NONE}), "i": _INT, "i?": frozenset({int, _NONE}),
    "b": frozenset({bool})}


class _Graph:
    """Records taken apart into the tables above, equal values once; `data` is marshalled."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.decimals: dict[str, int] = {}
        self.dates: dict[int, int] = {}
        self.strings: dict[str, str] = {}
        self.tuples: dict[str, dict[tuple[Any, ...], int]] = {"ss": {}, "pp": {}}
        self.rows: dict[str, dict[tuple[Any, ...], int]] = {name: {} for name in _ORDER}
        self.roots: list[tuple[Any, ...]] = []

    def add_root(self, record: tuple[Any, ...]) -> None:
        self.roots.append(self.row(self.root, record))

    def row(self, table: str, record: tuple[Any, ...]) -> tuple[Any, ...]:
        cls, kinds = _SCHEMA[table]
        if table == "RateCard":
            from aicompare.pricing import RateCard

            cls = RateCard
        if type(record) is not cls or len(record) != len(kinds):
            raise TypeError(f"not a {table}: {record!r}")
        return tuple(map(self._field, kinds, record))

    def _text(self, value: Any) -> str:
        if type(value) is not str:
            raise TypeError(f"not a str: {value!r}")
        return self.strings.setdefault(value, value)  # equal strings once in the file

    def _field(self, kind: str, value: Any) -> Any:
        if kind in ("s", "s?"):
            return None if value is None and kind == "s?" else self._text(value)
        if kind in ("i", "i?", "b"):
            if not (type(value) is (bool if kind == "b" else int)
                    or value is None and kind == "i?"):
                raise TypeError(f"not {kind}: {value!r}")
            return value
        if kind in ("ss", "pp"):
            if type(value) is not tuple:
                raise TypeError(f"not a tuple: {value!r}")
            if kind == "ss":
                return self.ref(kind, tuple(map(self._text, value)))
            return self.ref(kind, tuple((self._text(a), self._text(b)) for a, b in value))
        if kind in ("d", "d?", "t?") and value is None:
            if kind == "d":
                raise TypeError("a Decimal that is None")
            return self.none()
        if kind in ("d", "d?"):
            if type(value) is not Decimal or not value.is_finite():
                raise TypeError(f"not a finite Decimal: {value!r}")
            return self.ref("d", self._text(str(value)))
        if kind == "t?":
            if type(value) is not dt.date:
                raise TypeError(f"not a date: {value!r}")
            return self.ref("t", value.toordinal())
        if kind == "dd":
            if type(value) is not dict:
                raise TypeError(f"not a dict: {value!r}")
            return (tuple(map(self._text, value)),
                    tuple(self._field("d", v) for v in value.values()))
        if kind[0] == ">":
            return self.ref(kind, self.row(kind[1:], value))
        if kind[0] == "*":
            if type(value) is not tuple:
                raise TypeError(f"not a tuple: {value!r}")
            item = ">" + kind[1:]
            return self.ref(kind, tuple(self.ref(item, self.row(kind[1:], v)) for v in value))
        raise AssertionError(kind)

    def none(self) -> Any:
        return -1

    def ref(self, kind: str, value: Any) -> Any:
        """How a field holds `value` (a decimal's text, a date's ordinal, a tuple, a record's row):
        here, its index in the table that holds each one once."""
        if kind == "d":
            table: dict[Any, int] = self.decimals
        elif kind == "t":
            table = self.dates
        elif kind in self.tuples:
            table = self.tuples[kind]
        else:
            table = self.rows[kind[1:] if kind[0] == ">" else kind]
        return table.setdefault(value, len(table))

    def data(self) -> tuple[Any, ...]:
        tables: list[tuple[Any, ...]] = []
        for name in _ORDER:
            rows: list[Any] = self.roots if name == self.root else list(self.rows[name])
            kinds = _SCHEMA[name][1]
            if name[0] == "*":
                tables.append((tuple(rows),))
            elif name == "PriceSet":
                tables.append((tuple(row[0][0] for row in rows), tuple(row[0][1] for row in rows)))
            else:
                tables.append((len(rows), tuple(zip(*rows)) if rows else ((),) * len(kinds)))
        return (tuple(self.decimals), tuple(self.dates), tuple(self.tuples["ss"]),
                tuple(self.tuples["pp"]), tuple(tables))


class _Nested(_Graph):
    """One record as nested rows, its values inline: smaller than a graph for a single record."""

    def none(self) -> Any:
        return None

    def ref(self, kind: str, value: Any) -> Any:
        return value


def _encode(records: Iterable[tuple[Any, ...]], root: str) -> tuple[Any, ...]:
    graph = _Graph(root)
    for record in records:
        graph.add_root(record)
    return graph.data()


def _encode_one(record: tuple[Any, ...], root: str) -> tuple[Any, ...]:
    return _Nested(root).row(root, record)


def _decode_one(row: Any, root: str, cls: type) -> Any:
    """The record of one nested row (what _encode_one gives); CacheError for anything else."""
    try:
        return _from_row(root, row, cls)
    except CacheError:
        raise
    except Exception as error:  # noqa: BLE001 - a wrong shape shows as one of many exceptions
        raise CacheError(f"{root}: {type(error).__name__}") from None


def _from_row(table: str, row: Any, cls: type | None = None) -> Any:
    kind_cls, kinds = _SCHEMA[table]
    make: Any = cls or kind_cls
    values = tuple(map(_from_field, kinds, _tuple(row, len(kinds))))
    return values if make is tuple else _new(make, values)


def _decimal(text: Any) -> Decimal:
    if type(text) is not str:
        raise CacheError("a number that is not text")
    value = Decimal(text)
    if not value.is_finite():
        raise CacheError("a number that is not finite")
    return value


def _from_field(kind: str, value: Any) -> Any:
    allowed = _KIND_TYPES.get(kind)
    if allowed is not None:
        if type(value) not in allowed:
            raise CacheError("a value of an unexpected type")
        return value
    if kind == "ss":
        _types(_tuple(value), _STR)
        return value
    if kind == "pp":
        for pair in _tuple(value):
            _types(_tuple(pair, 2), _STR)
        return value
    if value is None and kind in ("d?", "t?"):
        return None
    if kind in ("d", "d?"):
        return _decimal(value)
    if kind == "t?":
        if type(value) is not int:
            raise CacheError("a date that is not an ordinal")
        return dt.date.fromordinal(value)
    if kind == "dd":
        keys, texts = _tuple(value, 2)
        _types(_tuple(keys), _STR)
        if len(_tuple(texts)) != len(keys):
            raise CacheError("shape")
        return dict(zip(keys, map(_decimal, texts)))
    if kind[0] == ">":
        return _from_row(kind[1:], value)
    if kind[0] == "*":
        return tuple([_from_row(kind[1:], item) for item in _tuple(value)])
    raise AssertionError(kind)


def _decode(data: Any, root: str, cls: type) -> list[Any]:
    """The root records of one unmarshalled graph; CacheError for anything but what _Graph wrote."""
    try:
        return _rebuild(data, root, cls)
    except CacheError:
        raise
    except Exception as error:  # noqa: BLE001 - a wrong shape shows as one of many exceptions
        raise CacheError(f"{root}: {type(error).__name__}") from None


def _types(values: Iterable[Any], allowed: frozenset[type]) -> None:
    if not allowed.issuperset(map(type, values)):
        raise CacheError("a value of an unexpected type")


def _tuple(value: Any, length: int | None = None) -> tuple[Any, ...]:
    if type(value) is not tuple or length is not None and len(value) != length:
        raise CacheError("shape")
    return value


def _refs(column: tuple[Any, ...], table: list[Any], optional: bool = False) -> Iterator[Any]:
    """The items of `table` that `column` indexes (IndexError past the end, TypeError for a
    non-int). An optional field's table ends with None, which -1 selects."""
    if column and min(column) < (-1 if optional else 0):
        raise CacheError("a reference out of range")
    return map(table.__getitem__, column)


def _rebuild(data: Any, root: str, cls: type) -> list[Any]:
    decimals_text, ordinals, strings, pairs, tables = _tuple(data, 5)
    _types(_tuple(decimals_text), _STR)
    _types(_tuple(ordinals), _INT)
    _types(_tuple(strings), _TUPLE)
    _types(chain.from_iterable(strings), _STR)
    _types(_tuple(pairs), _TUPLE)
    flat_pairs = list(chain.from_iterable(pairs))
    _types(flat_pairs, _TUPLE)
    if not frozenset({2}).issuperset(map(len, flat_pairs)):
        raise CacheError("shape")
    _types(chain.from_iterable(flat_pairs), _STR)
    decimals: list[Any] = list(map(Decimal, decimals_text))
    if not all(map(Decimal.is_finite, decimals)):
        raise CacheError("a number that is not finite")
    # the tables a field refers into; "d?" and "t?" end with None (index -1), the others do not
    built: dict[str, list[Any]] = {
        "d": decimals, "d?": [*decimals, None], "t?": [*map(dt.date.fromordinal, ordinals), None],
        "ss": list(strings), "pp": list(pairs)}
    for name, table in zip(_ORDER, _tuple(tables, len(_ORDER))):
        kind_cls, kinds = _SCHEMA[name]
        if name[0] == "*":  # tuples of records: index tuples into that record's table
            (column,) = _tuple(table, 1)
            _types(_tuple(column), _TUPLE)
            get = built[name[1:]].__getitem__
            if column and min(chain.from_iterable(column), default=0) < 0:
                raise CacheError("a reference out of range")
            built[name] = list(map(tuple, map(map, repeat(get), column)))
        elif name == "PriceSet":  # dicts of str -> Decimal: key tuples and decimal index tuples
            keys, indexes = _tuple(table, 2)
            _types(_tuple(keys), _TUPLE)
            _types(_tuple(indexes, len(keys)), _TUPLE)
            if list(map(len, keys)) != list(map(len, indexes)):
                raise CacheError("shape")
            _types(chain.from_iterable(keys), _STR)
            if indexes and min(chain.from_iterable(indexes), default=0) < 0:
                raise CacheError("a reference out of range")
            values = map(dict, map(zip, keys, map(map, repeat(decimals.__getitem__), indexes)))
            built[name] = list(map(_new, repeat(PriceSet), zip(values)))
        else:
            count, columns = _tuple(table, 2)
            if type(count) is not int:
                raise CacheError("shape")
            fields = [_column(kind, _tuple(col, count), built)
                      for kind, col in zip(kinds, _tuple(columns, len(kinds)))]
            rows = zip(*fields)
            make: Any = cls if name == root else kind_cls
            built[name] = list(rows) if make is tuple else list(map(_new, repeat(make), rows))
            if name == root:
                return built[name]
    raise AssertionError(root)


def _column(kind: str, column: tuple[Any, ...], built: dict[str, list[Any]]) -> Iterable[Any]:
    allowed = _KIND_TYPES.get(kind)
    if allowed is not None:
        _types(column, allowed)
        return column
    # a reference: into a decimal, date or string-tuple table, a record table (>Name) or a table
    # of record tuples (*Name); only "d?" and "t?" are optional
    return _refs(column, built[kind[1:] if kind[0] == ">" else kind], kind in ("d?", "t?"))


# Task tables are raw TOML values: str, int, bool, Decimal, dates and times, lists and dicts. The
# ones marshal has no type for become tagged tuples (TOML has no tuples, so a tuple is a tag).
_TAGS: dict[str, Callable[[str], Any]] = {
    "decimal": Decimal, "date": dt.date.fromisoformat, "datetime": dt.datetime.fromisoformat,
    "time": dt.time.fromisoformat,
}


def _tag(value: Any) -> Any:
    kind = type(value)
    if kind in (str, int, bool):
        return value
    if kind is list:
        return [_tag(v) for v in value]
    if kind is dict:
        if not all(type(k) is str for k in value):
            raise TypeError("a table key that is not a str")
        return {k: _tag(v) for k, v in value.items()}
    name = {Decimal: "decimal", dt.date: "date", dt.datetime: "datetime", dt.time: "time"}.get(kind)
    if name is None:
        raise TypeError(f"not a TOML value: {value!r}")
    return (name, value.isoformat() if name != "decimal" else str(value))


def _untag(value: Any, depth: int) -> Any:
    kind = type(value)
    if depth > 100:
        raise CacheError("nesting")
    if kind in (str, int, bool):
        return value
    if kind is list:
        return [_untag(v, depth + 1) for v in value]
    if kind is dict:
        _types(value, _STR)
        return {k: _untag(v, depth + 1) for k, v in value.items()}
    if kind is tuple and len(value) == 2 and type(value[1]) is str and value[0] in _TAGS:
        try:
            return _TAGS[value[0]](value[1])
        except Exception:  # noqa: BLE001
            raise CacheError("tasks") from None
    raise CacheError("a value of an unexpected type")


# --- writing ------------------------------------------------------------------------------------


def write(catalog: Catalog, sig: tuple[Any, ...]) -> None:
    """Store a freshly validated catalog under the signature taken *before* its files were read.

    A layer edited while it was being read then mismatches on the next run, so the cache can hold
    newer content than its key says, never older. Failures (read-only home, full disk, a folder
    that is not this user's own) are ignored: the cache is an optimisation, never an error.
    """
    try:
        folder = _folder(create=True)
    except Exception:  # noqa: BLE001
        return
    if folder is None:
        return
    temp: str | None = None
    try:
        name = _name(catalog.layers)
        data = _file_bytes(catalog, sig)
        temp = f"{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        fd = folder.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
                         | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if _POSIX:
                os.fchmod(fd, 0o600)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        folder.replace(temp, name)
        temp = None
        _prune(folder, name)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never an error
        if temp is not None:
            try:
                folder.unlink(temp)
            except OSError:
                pass
    finally:
        folder.close()


def _file_bytes(catalog: Catalog, sig: tuple[Any, ...]) -> bytes:
    models = dict(catalog.models.items())
    # each model as nested rows, marshalled on its own so that a lookup decodes only that one
    per_model = {model_id: marshal.dumps(_encode_one(model, "Model"))
                 for model_id, model in models.items()}
    tables: dict[str, dict[str, Any]] = {
        "models": per_model,
        "exact": {k: _SEP.join(v) for k, v in catalog.exact_index.items()},
        "loose": {k: _SEP.join(v) for k, v in catalog.loose_index.items()},
    }
    sections: dict[str, Any] = {
        "ids": tuple(models),
        "everything": _encode(models.values(), "Model"),
        "cards": _encode(catalog.rate_cards(), "RateCard"),
        "providers": {p.id: (p.name, p.url) for p in catalog.providers.values()},
        "tasks": _tag(dict(catalog.tasks)),
        "provider_ids": tuple(sorted(catalog.provider_ids)),
    }
    buckets = {name: max(1, len(table) // _BUCKET) for name, table in tables.items()}
    for name, table in tables.items():
        parts: list[dict[str, Any]] = [{} for _ in range(buckets[name])]
        for key, value in table.items():
            parts[_bucket_of(key, buckets[name])][key] = value
        sections.update({f"{name}.{index}": part for index, part in enumerate(parts)})
    blobs, offsets, at = [], {}, 0
    for name, value in sections.items():
        blob = marshal.dumps(value)
        packed = name not in _UNPACKED
        if packed:
            blob = zlib.compress(blob)
        blobs.append(blob)
        offsets[name] = (at, at + len(blob), packed)  # from the end of the header
        at += len(blob)
    header = marshal.dumps({"sig": sig, "offsets": offsets, "buckets": buckets, "size": at})
    body = b"".join([len(header).to_bytes(_LENGTH, "little"), header, *blobs])
    return b"".join([_MAGIC, _digest(body), body])


def _prune(folder: _Folder, keep: str) -> None:
    """Keep the KEEP_FILES most recently used cache files within KEEP_BYTES (`keep` always);
    remove the rest, and temporary files a killed run left. Only our own regular files, by name."""
    import re

    files, now = [], _now()
    for name, st in folder.entries():
        if not stat.S_ISREG(st.st_mode) or not _trusted(st):
            continue  # symlinks, folders and anything not ours are left alone
        if re.fullmatch(r"catalog-[0-9a-f]{8}\.marshal", name):
            files.append((name != keep, -st.st_mtime, name, st.st_size))
        elif (re.fullmatch(r"catalog-[0-9a-f]{8}\.marshal\.\d+\.[0-9a-f]{8}\.tmp", name)
              and st.st_mtime < now - _STALE_TEMP):
            files.append((True, float("inf"), name, KEEP_BYTES + 1))  # always removed
    total = 0
    for count, (_, _, name, size) in enumerate(sorted(files)):
        total += size
        if name != keep and (count >= KEEP_FILES or total > KEEP_BYTES):
            try:
                folder.unlink(name)
            except OSError:
                pass
