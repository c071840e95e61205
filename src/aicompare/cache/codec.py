"""Records as tables of plain values, and back: the cache's data-only format.

A record graph is marshalled as (decimals, dates, string tuples, string-pair tuples, tables):
decimals as their exact text (so 2.50 stays 2.50), dates as ordinals, and one table per record
type (schema.order), each a tuple of columns. A field refers to a Decimal, date, string tuple or
record by its index in the table that holds it (-1 for None where the field is optional), so
equal values are stored and rebuilt once. The last table holds the roots: the models, rate cards
or tasks themselves, in order. A single record can also be stored as nested rows, its values
inline.

Decoding calls no constructor the data names: our code calls Decimal(text), date.fromordinal(int)
and tuple.__new__(RecordClass, values) for the classes of the schema, after checking the type of
every value at every position; anything else is a CacheError.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import chain, repeat
from typing import Any

from aicompare.cache.schema import OPTIONAL as _OPTIONAL
from aicompare.cache.schema import TABLES as _TABLES
from aicompare.cache.schema import order


class CacheError(ValueError):
    """A cache file, or a part of one, that is not what this code writes."""


_NONE = type(None)
_STR: frozenset[type] = frozenset({str})
_INT: frozenset[type] = frozenset({int})
_TUPLE: frozenset[type] = frozenset({tuple})
_KIND_TYPES: dict[str, frozenset[type]] = {
    "s": _STR,
    "s?": frozenset({str, _NONE}),
    "i": _INT,
    "i?": frozenset({int, _NONE}),
    "b": frozenset({bool}),
}
_new = tuple.__new__  # what a NamedTuple's _make calls, in C


# --- writing --------------------------------------------------------------------------------------


class _Graph:
    """Records taken apart into tables, equal values once; `data` is marshalled."""

    def __init__(self, root: type) -> None:
        self.order = order(root)
        self.root = self.order[-1]
        self.decimals: dict[str, int] = {}
        self.dates: dict[int, int] = {}
        self.strings: dict[str, str] = {}
        self.tuples: dict[str, dict[tuple[Any, ...], int]] = {"ss": {}, "pp": {}}
        self.rows: dict[str, dict[tuple[Any, ...], int]] = {name: {} for name in self.order}
        self.roots: list[tuple[Any, ...]] = []

    def add_root(self, record: tuple[Any, ...]) -> None:
        self.roots.append(self.row(self.root, record))

    def row(self, table: str, record: tuple[Any, ...]) -> tuple[Any, ...]:
        cls, fields = _TABLES[table]
        if type(record) is not cls or len(record) != len(fields):
            raise TypeError(f"not a {table}: {record!r}")
        return tuple(map(self._field, fields, record))

    def _text(self, value: Any) -> str:
        if type(value) is not str:
            raise TypeError(f"not a str: {value!r}")
        return self.strings.setdefault(value, value)  # equal strings once in the file

    def _pairs(self, items: Iterable[tuple[Any, Any]]) -> Any:
        return self.ref("pp", tuple((self._text(a), self._text(b)) for a, b in items))

    def _field(self, kind: str, value: Any) -> Any:
        if kind in ("s", "s?"):
            return None if value is None and kind == "s?" else self._text(value)
        if kind in ("i", "i?", "b"):
            if not (
                type(value) is (bool if kind == "b" else int) or (value is None and kind == "i?")
            ):
                raise TypeError(f"not {kind}: {value!r}")
            return value
        if kind in ("ss", "pp"):
            if type(value) is not tuple:
                raise TypeError(f"not a tuple: {value!r}")
            if kind == "ss":
                return self.ref(kind, tuple(map(self._text, value)))
            return self._pairs(value)
        if kind in ("d", "d?", "t", "t?") and value is None:
            if kind in ("d", "t"):
                raise TypeError(f"a required {'Decimal' if kind == 'd' else 'date'} that is None")
            return self.none()
        if kind in ("d", "d?"):
            if type(value) is not Decimal or not value.is_finite():
                raise TypeError(f"not a finite Decimal: {value!r}")
            return self.ref("d", self._text(str(value)))
        if kind in ("t", "t?"):
            if type(value) is not dt.date:
                raise TypeError(f"not a date: {value!r}")
            return self.ref("t", value.toordinal())
        if kind in ("dd", "ds"):
            if type(value) is not dict:
                raise TypeError(f"not a dict: {value!r}")
            if kind == "ds":
                return self._pairs(value.items())
            return (
                tuple(map(self._text, value)),
                tuple(self._field("d", v) for v in value.values()),
            )
        if kind[0] == ">":
            return self.ref(kind, self.row(kind[1:], value))
        if kind[0] == "*":
            if type(value) is not tuple:
                raise TypeError(f"not a tuple: {value!r}")
            inner = kind[1:]
            item = inner if inner in ("d", "d?") else ">" + inner
            return self.ref(kind, tuple(self._field(item, v) for v in value))
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
        for name in self.order:
            rows: list[Any] = self.roots if name == self.root else list(self.rows[name])
            if name[0] == "*":
                tables.append((tuple(rows),))
            else:
                width = len(_TABLES[name][1])
                tables.append((len(rows), tuple(zip(*rows)) if rows else ((),) * width))
        return (
            tuple(self.decimals),
            tuple(self.dates),
            tuple(self.tuples["ss"]),
            tuple(self.tuples["pp"]),
            tuple(tables),
        )


class _Nested(_Graph):
    """One record as nested rows, its values inline: smaller than a graph for a single record."""

    def none(self) -> Any:
        return None

    def ref(self, kind: str, value: Any) -> Any:
        return value


def encode(records: Iterable[tuple[Any, ...]], root: type) -> tuple[Any, ...]:
    """Records of class `root` as one graph of plain values (TypeError for what the schema does
    not describe)."""
    graph = _Graph(root)
    for record in records:
        graph.add_root(record)
    return graph.data()


def encode_one(record: tuple[Any, ...], root: type) -> tuple[Any, ...]:
    """One record as nested rows of plain values."""
    nested = _Nested(root)
    return nested.row(nested.root, record)


# --- reading --------------------------------------------------------------------------------------


def unmarshal(data: bytes | memoryview) -> Any:
    try:
        return marshal.loads(data)
    except (ValueError, EOFError, TypeError) as error:
        raise CacheError(f"not marshal data: {error}") from None


def strings(value: Any) -> tuple[str, ...]:
    if type(value) is not tuple or not _STR.issuperset(map(type, value)):
        raise CacheError("expected strings")
    return value


def decode_one(row: Any, root: type) -> Any:
    """The record of one nested row (what encode_one gives); CacheError for anything else."""
    try:
        return _from_row(order(root)[-1], row)
    except CacheError:
        raise
    except Exception as error:
        raise CacheError(f"{root.__name__}: {type(error).__name__}") from None


def decode(data: Any, root: type) -> list[Any]:
    """The root records of one unmarshalled graph; CacheError for anything but what encode wrote."""
    try:
        return _rebuild(data, order(root))
    except CacheError:
        raise
    except Exception as error:
        raise CacheError(f"{root.__name__}: {type(error).__name__}") from None


def _from_row(table: str, row: Any) -> Any:
    cls, fields = _TABLES[table]
    return _new(cls, tuple(map(_from_field, fields, _tuple(row, len(fields)))))


def _decimal(text: Any) -> Decimal:
    if type(text) is not str:
        raise CacheError("a number that is not text")
    value = Decimal(text)
    if not value.is_finite():
        raise CacheError("a number that is not finite")
    return value


def _pair_tuple(value: Any) -> tuple[tuple[str, str], ...]:
    pairs = _tuple(value)
    for pair in pairs:
        _types(_tuple(pair, 2), _STR)
    return pairs


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
        return _pair_tuple(value)
    if kind == "ds":
        return dict(_pair_tuple(value))
    if value is None and kind in _OPTIONAL:
        return None
    if kind in ("d", "d?"):
        return _decimal(value)
    if kind in ("t", "t?"):
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
        inner = kind[1:]
        if inner in ("d", "d?"):
            return tuple([_from_field(inner, item) for item in _tuple(value)])
        return tuple([_from_row(inner, item) for item in _tuple(value)])
    raise AssertionError(kind)


def _types(values: Iterable[Any], allowed: frozenset[type]) -> None:
    if not allowed.issuperset(map(type, values)):
        raise CacheError("a value of an unexpected type")


def _tuple(value: Any, length: int | None = None) -> tuple[Any, ...]:
    if type(value) is not tuple or (length is not None and len(value) != length):
        raise CacheError("shape")
    return value


def _refs(column: tuple[Any, ...], table: list[Any], optional: bool = False) -> Iterator[Any]:
    """The items of `table` that `column` indexes (IndexError past the end, TypeError for a
    non-int). An optional field's table ends with None, which -1 selects."""
    if column and min(column) < (-1 if optional else 0):
        raise CacheError("a reference out of range")
    return map(table.__getitem__, column)


def _rebuild(data: Any, names: tuple[str, ...]) -> list[Any]:
    decimals_text, ordinals, string_tuples, pairs, tables = _tuple(data, 5)
    _types(_tuple(decimals_text), _STR)
    _types(_tuple(ordinals), _INT)
    _types(_tuple(string_tuples), _TUPLE)
    _types(chain.from_iterable(string_tuples), _STR)
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
        "d": decimals,
        "d?": [*decimals, None],
        "t": list(map(dt.date.fromordinal, ordinals)),
        "t?": [*map(dt.date.fromordinal, ordinals), None],
        "ss": list(string_tuples),
        "pp": list(pairs),
    }
    for name, table in zip(names, _tuple(tables, len(names))):
        cls, fields = _TABLES[name]
        if name[0] == "*":  # tuples of records or decimals: index tuples into their table
            (column,) = _tuple(table, 1)
            _types(_tuple(column), _TUPLE)
            inner = name[1:]
            lowest = -1 if inner in _OPTIONAL else 0
            if column and min(chain.from_iterable(column), default=0) < lowest:
                raise CacheError("a reference out of range")
            get = built[inner].__getitem__
            built[name] = list(map(tuple, map(map, repeat(get), column)))
        else:
            count, columns = _tuple(table, 2)
            if type(count) is not int:
                raise CacheError("shape")
            values = [
                _column(kind, _tuple(col, count), built)
                for kind, col in zip(fields, _tuple(columns, len(fields)))
            ]
            built[name] = list(map(_new, repeat(cls), zip(*values)))
    return built[names[-1]]


def _column(kind: str, column: tuple[Any, ...], built: dict[str, list[Any]]) -> Iterable[Any]:
    allowed = _KIND_TYPES.get(kind)
    if allowed is not None:
        _types(column, allowed)
        return column
    if kind == "dd":  # per dict: (its keys, the indexes of its decimals)
        _types(column, _TUPLE)
        if not frozenset({2}).issuperset(map(len, column)):
            raise CacheError("shape")
        keys, indexes = (tuple(part) for part in zip(*column)) if column else ((), ())
        _types(keys, _TUPLE)
        _types(indexes, _TUPLE)
        if list(map(len, keys)) != list(map(len, indexes)):
            raise CacheError("shape")
        _types(chain.from_iterable(keys), _STR)
        if indexes and min(chain.from_iterable(indexes), default=0) < 0:
            raise CacheError("a reference out of range")
        get = built["d"].__getitem__
        return map(dict, map(zip, keys, map(map, repeat(get), indexes)))
    if kind == "ds":  # a dict of strings: a string-pair tuple
        return map(dict, _refs(column, built["pp"]))
    # a reference: into a decimal, date or string-tuple table, a record table (>Name) or a table
    # of tuples (*Name); only "d?" and "t?" are optional
    return _refs(column, built[kind[1:] if kind[0] == ">" else kind], kind in _OPTIONAL)
