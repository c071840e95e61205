"""A parse-once cache of the merged catalog: data only, checked before it is trusted.

What is stored: plain builtins only (str, int, bool, None, tuples, dicts and lists of them),
marshalled without code objects. The records (Models, RateCards, Tasks, their prices,
lifecycles, Decimals and dates) are taken apart into typed tables and rebuilt by `codec`, from a
schema read off the records' own field types (`schema`); decoding checks the type of every
value and raises CacheError on anything else, so it calls no constructor a file names and cannot
reach code.

Where it is stored: one file per combination of layers, `catalog-<crc>.marshal`, in the user's
cache folder (paths.cache_dir()), used only when this user alone controls it (`folder`). A folder
that fails the check is never read or written: the run loads the layers, quietly.

How it is checked: the file starts with a magic line and a blake2b digest of everything after
the digest; the digest is verified before anything is decoded, so a flipped byte, a truncation,
extra bytes or a wrong length means "rebuild", never a traceback or a different price. Then the
key: every layer's path, size, mtime, ctime and inode plus the code that reads catalogs, so any
edit, replace or touch of any layer (or an upgrade) rebuilds it.

Layout: the header (the key and each section's offsets), then marshalled sections, each
decoded on first use (`views`): ids; one small record per model (in buckets, so `diff A B`
decodes two); one graph of every model (for commands that read them all); one of
pricing.RateCards (for the ranked scan of `cost`); providers; tasks; the name indexes (in
buckets).
"""

from __future__ import annotations

import marshal
import os
import zlib  # loaded at start-up already (docs/performance.md)
from pathlib import Path
from typing import Any

from aicompare import __version__
from aicompare.cache.codec import CacheError, encode, encode_one
from aicompare.cache.folder import KEEP_BYTES, KEEP_FILES, PREFIX, SUFFIX, open_folder
from aicompare.cache.views import BUCKET, SEP, LazyModels, LazyTasks, NameIndex, Sections, bucket_of
from aicompare.catalog import Catalog, Layer
from aicompare.model import Model

__all__ = [
    "ENV_NO_CACHE",
    "FORMAT",
    "KEEP_BYTES",
    "KEEP_FILES",
    "CacheError",
    "LazyModels",
    "cache_file",
    "enabled",
    "read",
    "signature",
    "write",
]

ENV_NO_CACHE = "AICOMPARE_NO_CACHE"
FORMAT = 6
# Modules whose change alters what a catalog file means, or the records the cache holds.
_READERS = (
    "schema.py",
    "model.py",
    "loader.py",
    "catalog.py",
    "pricing.py",
    "tasks.py",
    "cache/__init__.py",
    "cache/schema.py",
    "cache/codec.py",
    "cache/views.py",
)
_MAGIC = b"aicompare-cache\n"
_DIGEST = 32  # bytes of blake2b digest, after the magic
_BODY = len(_MAGIC) + _DIGEST  # the digest covers everything from here to the end of the file
_LENGTH = 8  # bytes of the header's length, at the start of the body
# Sections are zlib-compressed, so that the digest every run checks reads 4-5 times fewer bytes
# (3.5 MB -> 0.8 MB for LiteLLM's map: 2.6 ms less per run), except the rate cards, which `cost`
# decodes whole on every run (inflating them would cost more than hashing them) and the small ones.
_UNPACKED = frozenset({"cards", "providers", "tasks", "provider_ids", "dated", "period_cards"})


def enabled() -> bool:
    return not os.environ.get(ENV_NO_CACHE)


def signature(layers: tuple[Layer, ...]) -> tuple[Any, ...]:
    """Everything that, when it changes, must rebuild the cache."""
    here = Path(__file__).parent.parent
    code = tuple(os.stat(here / name).st_mtime_ns for name in _READERS)
    files: list[tuple[Any, ...]] = []
    for layer in layers:
        try:
            st = os.stat(layer.path)
            files.append(
                (layer.kind, layer.path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
            )
        except OSError:
            files.append((layer.kind, layer.path, None))
    return (FORMAT, __version__, code, tuple(files))


def _name(layers: tuple[Layer, ...]) -> str:
    # the name only spreads layer combinations over files; the signature inside decides validity
    crc = zlib.crc32(repr([(layer.kind, layer.path) for layer in layers]).encode())
    return f"{PREFIX}{crc:08x}{SUFFIX}"


def cache_file(layers: tuple[Layer, ...]) -> Path:
    from aicompare.paths import cache_dir

    return cache_dir() / _name(layers)


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
        folder = open_folder(create=False)
        if folder is None:
            return None
        try:
            view = folder.read(_name(layers), _BODY + _LENGTH)
        finally:
            folder.close()
        if view is None or view[: len(_MAGIC)] != _MAGIC:
            return None
        body = view[_BODY:]
        if _digest(body) != view[len(_MAGIC) : _BODY]:
            return None  # damaged, cut short or extended: rebuilt from the files
        sections = _open_sections(body, layers)
        if sections is None:
            return None  # another catalog, or code
        return Catalog(
            LazyModels(sections),
            sections.providers(),
            LazyTasks(sections),
            layers,
            exact=NameIndex(sections, "exact"),
            loose=NameIndex(sections, "loose"),
            provider_ids=sections.provider_ids(),
            cards=sections.cards,
            dated=sections.dated(),
            period_cards=sections.period_cards,
        )
    except Exception:
        return None


def _open_sections(body: memoryview, layers: tuple[Layer, ...]) -> Sections | None:
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
    return Sections(body[end:], offsets, buckets, layers)


# --- writing ------------------------------------------------------------------------------------


def write(catalog: Catalog, sig: tuple[Any, ...]) -> None:
    """Store a freshly validated catalog under the signature taken *before* its files were read.

    A layer edited while it was being read then mismatches on the next run, so the cache can hold
    newer content than its key says, never older. Failures (read-only home, full disk, a folder
    that is not this user's own) are ignored: the cache is an optimisation, never an error.
    """
    try:
        folder = open_folder(create=True)
    except Exception:
        return
    if folder is None:
        return
    try:
        folder.write(_name(catalog.layers), _file_bytes(catalog, sig))
    except Exception:
        pass
    finally:
        folder.close()


def _encoded_periods(catalog: Catalog) -> tuple[Any, ...]:
    """((model id, period starts as ordinals) for each dated model, every card encoded at once,
    in that order: one decode for them all)."""
    from aicompare.catalog import period_cards
    from aicompare.pricing import RateCard

    periods = period_cards(catalog)
    index = tuple(
        (model_id, tuple(start.toordinal() for start in starts))
        for model_id, (starts, _) in periods.items()
    )
    cards = [card for _, period_list in periods.values() for card in period_list]
    return (index, encode(cards, RateCard))


def _file_bytes(catalog: Catalog, sig: tuple[Any, ...]) -> bytes:
    from aicompare.pricing import RateCard
    from aicompare.tasks import Task

    models = dict(catalog.models.items())
    # each model as nested rows, marshalled on its own so that a lookup decodes only that one
    per_model = {
        model_id: marshal.dumps(encode_one(model, Model)) for model_id, model in models.items()
    }
    tables: dict[str, dict[str, Any]] = {
        "models": per_model,
        "exact": {k: SEP.join(v) for k, v in catalog.exact_index.items()},
        "loose": {k: SEP.join(v) for k, v in catalog.loose_index.items()},
    }
    sections: dict[str, Any] = {
        "ids": tuple(models),
        "everything": encode(models.values(), Model),
        "cards": encode(catalog.rate_cards(), RateCard),
        "providers": {p.id: (p.name, p.url) for p in catalog.providers.values()},
        "tasks": encode(catalog.tasks.values(), Task),
        "provider_ids": tuple(sorted(catalog.provider_ids)),
        "dated": tuple(sorted(catalog.dated)),
        "period_cards": _encoded_periods(catalog),
    }
    buckets = {name: max(1, len(table) // BUCKET) for name, table in tables.items()}
    for name, table in tables.items():
        parts: list[dict[str, Any]] = [{} for _ in range(buckets[name])]
        for key, value in table.items():
            parts[bucket_of(key, buckets[name])][key] = value
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
