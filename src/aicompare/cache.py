"""A parse-once cache of the merged catalog, safe against staleness.

The validated records are pickled (NamedTuples of builtins, Decimals and dates) in three forms:
one blob per model, for commands that touch a few (`diff A B` unpickles two); one blob of all of
them, for commands that read every record; and one blob of pricing.RateCards, for the ranked scan
of `cost`. Equal values are shared before pickling, so a blob holds each string, price and date
once. The blobs and the name indexes are marshalled as separate sections of one file under the
user cache directory (the user's own, so unpickling it trusts nothing another user could write),
and a section is decoded only when a command asks for it.

The cache is keyed by every layer's path, size, mtime, ctime and inode plus the code that reads
catalogs, so any edit, replace or touch of any layer (or an upgrade) rebuilds it; a cache that
cannot be read or written is ignored.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from aicompare import __version__
from aicompare.catalog import Catalog, Layer
from aicompare.model import Model, Provider

ENV_NO_CACHE = "AICOMPARE_NO_CACHE"
_PROTOCOL = 5
FORMAT = 3
# Modules whose change alters what a catalog file means, or the records the cache holds.
_READERS = ("schema.py", "model.py", "loader.py", "catalog.py", "cache.py", "pricing.py")
_MAGIC = b"aicompare-cache\n"
_LENGTH = 8  # bytes of the header's length, after the magic


def _loads(blob: bytes | memoryview) -> Any:
    # pickle.py is a large module; its C half is all that loading needs
    try:
        from _pickle import loads
    except ImportError:  # an interpreter without the accelerator
        from pickle import loads
    return loads(blob)


def enabled() -> bool:
    return not os.environ.get(ENV_NO_CACHE)


def signature(layers: tuple[Layer, ...]) -> tuple[Any, ...]:
    """Everything that, when it changes, must rebuild the cache."""
    here = Path(__file__).parent
    code = tuple(os.stat(here / name).st_mtime_ns for name in _READERS)
    files = []
    for layer in layers:
        try:
            st = os.stat(layer.path)
            files.append((layer.kind, layer.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        except OSError:
            files.append((layer.kind, layer.path, None))
    return (FORMAT, __version__, code, tuple(files))


def cache_file(layers: tuple[Layer, ...]) -> Path:
    from zlib import crc32

    from aicompare.paths import cache_dir

    # the name only spreads layer combinations over files; the signature inside decides validity
    key = format(crc32(repr([(l.kind, l.path) for l in layers]).encode()), "08x")
    return cache_dir() / f"catalog-{key}.marshal"


_SEP = "\x1f"
_BUCKET = 64  # entries per bucket of a large table: a lookup decodes one bucket, not the table


def _bucket_of(key: str, buckets: int) -> int:
    from zlib import crc32  # zlib is loaded at start-up already; binascii would be one more

    return crc32(key.encode("utf-8", "surrogatepass")) % buckets


class _Sections:
    """The file's sections, each decoded from the mapped file on first use."""

    def __init__(self, view: memoryview, offsets: dict[str, tuple[int, int]],
                 buckets: dict[str, int]) -> None:
        self._view = view
        self._offsets = offsets
        self._buckets = buckets
        self._decoded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._decoded:
            start, end = self._offsets[name]
            self._decoded[name] = marshal.loads(self._view[start:end])
        return self._decoded[name]

    def lookup(self, table: str, key: str) -> Any:
        """table[key] (KeyError when absent), decoding only the bucket that holds `key`."""
        return self[f"{table}.{_bucket_of(key, self._buckets[table])}"][key]

    def whole(self, table: str) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for index in range(self._buckets[table]):
            merged.update(self[f"{table}.{index}"])
        return merged


class _Index(Mapping[str, list[str]]):
    """name -> ids of a bucketed table, each stored as one joined string (fewer objects)."""

    def __init__(self, sections: _Sections, table: str) -> None:
        self._sections = sections
        self._table = table
        self._all: dict[str, str] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __getitem__(self, key: str) -> list[str]:
        return str(self._sections.lookup(self._table, key)).split(_SEP)

    def __iter__(self) -> Iterator[str]:
        if self._all is None:
            self._all = self._sections.whole(self._table)
        return iter(self._all)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class LazyModels(Mapping[str, Model]):
    """Model records unpickled on first access; a full scan unpickles them all at once."""

    def __init__(self, sections: _Sections) -> None:
        self._sections = sections
        self._id_set: frozenset[str] | None = None
        self._built: dict[str, Model] = {}
        self._complete = False

    @property
    def _ids(self) -> tuple[str, ...]:
        return self._sections["ids"]  # type: ignore[no-any-return]

    def __getitem__(self, model_id: str) -> Model:
        model = self._built.get(model_id)
        if model is None:
            if self._complete or not isinstance(model_id, str):
                raise KeyError(model_id)
            model = self._built[model_id] = _loads(self._sections.lookup("models", model_id))
        return model

    def _all(self) -> dict[str, Model]:
        if not self._complete:
            self._built = _loads(self._sections["everything"])
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


def _mapped(path: Path) -> memoryview:
    """The file's bytes, mapped: only the pages a command touches are read."""
    import mmap

    with open(path, "rb") as file:
        return memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))


def read(layers: tuple[Layer, ...]) -> Catalog | None:
    """The cached catalog for these layers if it is still exact; None otherwise."""
    try:
        view = _mapped(cache_file(layers))
        if view[:len(_MAGIC)] != _MAGIC:
            return None
        start = len(_MAGIC) + _LENGTH
        end = start + int.from_bytes(view[len(_MAGIC):start], "little")
        header = marshal.loads(view[start:end])
        if header["sig"] != signature(layers) or len(view) != end + header["size"]:
            return None  # another catalog, or a file cut short
        sections = _Sections(view[end:], header["offsets"], header["buckets"])
        providers = {pid: Provider(pid, name, url) for pid, (name, url) in sections["providers"].items()}
        return Catalog(LazyModels(sections), providers, _LazyTasks(sections), layers,
                       exact=_Index(sections, "exact"), loose=_Index(sections, "loose"),
                       provider_ids=frozenset(sections["provider_ids"]),
                       cards=lambda: _cards(_loads(sections["cards"])))
    except Exception:  # noqa: BLE001 - any unreadable or foreign cache just means a full load
        return None


def _cards(rows: list[tuple[Any, ...]]) -> list[Any]:
    """The cached rows as pricing.RateCards, made in C (tuple.__new__ is what RateCard._make calls)."""
    from itertools import repeat

    from aicompare.pricing import RateCard

    if any(len(row) != len(RateCard._fields) for row in rows[:1]):
        raise ValueError("cards of another shape")  # Catalog.rate_cards builds them afresh
    return list(map(tuple.__new__, repeat(RateCard, len(rows)), rows))


class _LazyTasks(Mapping[str, Any]):
    """The catalog's task tables, unpickled when a command reads them."""

    def __init__(self, sections: _Sections) -> None:
        self._sections = sections
        self._tasks: dict[str, Any] | None = None

    @property
    def _data(self) -> dict[str, Any]:
        if self._tasks is None:
            self._tasks = _loads(self._sections["tasks"])
        return self._tasks

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def shared(value: Any, pool: dict[tuple[Any, ...], Any]) -> Any:
    """`value` with every equal string, Decimal, date and immutable tuple replaced by one object.

    Pickle writes an object it has seen once and refers back to it after, so a blob of shared
    values is smaller and much faster to load. Decimals are matched by their text, so 2.50 stays
    2.50; dicts are copied, never shared. The pool keeps every object it keys by identity alive.
    """
    kind = type(value)
    if value is None or kind is bool or kind is int:
        return value
    if kind is str or kind is Decimal or kind is dt.date:
        return pool.setdefault((kind, str(value)), value)
    if kind is dict:
        return {shared(k, pool): shared(v, pool) for k, v in value.items()}
    if isinstance(value, tuple):
        items = tuple(shared(v, pool) for v in value)
        built = items if kind is tuple else kind(*items)
        # Matched by the identity of the (already shared) items, not by equality: equal tuples
        # may differ in digits (2.50 == 2.5) or type (True == 1), and those must stay apart.
        return pool.setdefault((kind, *map(id, items)), built)
    return value


def write(catalog: Catalog, sig: tuple[Any, ...]) -> None:
    """Store a freshly validated catalog under the signature taken *before* its files were read.

    A layer edited while it was being read then mismatches on the next run, so the cache can hold
    newer content than its key says, never older. Failures (read-only home, full disk) are ignored.
    """
    import pickle

    temp: Path | None = None
    try:
        path = cache_file(catalog.layers)
        pool: dict[tuple[Any, ...], Any] = {}
        models = {shared(k, pool): shared(v, pool) for k, v in catalog.models.items()}
        # plain tuples: unpickling thousands of NamedTuples calls a Python __new__ for each
        cards = [tuple(shared(card, pool)) for card in catalog.rate_cards()]
        tables = {
            "models": {k: pickle.dumps(v, _PROTOCOL) for k, v in models.items()},
            "exact": {k: _SEP.join(v) for k, v in catalog.exact_index.items()},
            "loose": {k: _SEP.join(v) for k, v in catalog.loose_index.items()},
        }
        sections: dict[str, Any] = {
            "ids": tuple(models),
            "everything": pickle.dumps(models, _PROTOCOL),
            "cards": pickle.dumps(cards, _PROTOCOL),
            "providers": {p.id: (p.name, p.url) for p in catalog.providers.values()},
            "tasks": pickle.dumps(dict(catalog.tasks), _PROTOCOL),
            "provider_ids": sorted(catalog.provider_ids),
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
            blobs.append(blob)
            offsets[name] = (at, at + len(blob))  # from the end of the header
            at += len(blob)
        header = marshal.dumps({"sig": sig, "offsets": offsets, "buckets": buckets, "size": at})
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temp.write_bytes(b"".join([_MAGIC, len(header).to_bytes(_LENGTH, "little"), header, *blobs]))
        os.replace(temp, path)
    except Exception:  # noqa: BLE001 - the cache is an optimisation, never an error
        if temp is not None:
            temp.unlink(missing_ok=True)
