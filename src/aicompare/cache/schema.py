"""The cache's schema, read off the records' own field types: no copy of their shapes is kept.

`order(root)` lists the tables a graph of `root` records holds (each record class its fields lead
to, and tuples of them), each after the tables it refers into, and gives every field a kind from
its annotation. model.py, pricing.py and tasks.py do not use `from __future__ import
annotations`, so their annotations are types and reading them costs about 0.05 ms per root; a
record whose annotations are strings is read with get_type_hints, more slowly. So a field added
to a record, or a rate added to pricing.BILLED, changes what is stored with no change to the
cache; a field type with no kind below is a TypeError when the schema is first read (a test
reads every root's).

Field kinds: s str | s? str or None | i int | i? int or None | b bool | ss tuple of str
| pp tuple of (str, str) | d Decimal | d? Decimal or None | t? date or None
| dd dict of str -> Decimal | ds dict of str -> str | >Name a record of table Name
| *Name a tuple of them | *d, *d? a tuple of Decimals (or None).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ForwardRef, get_args, get_origin, get_type_hints

# Field types with a kind of their own; records and tuples of them are read off their classes.
_PLAIN: dict[Any, str] = {
    str: "s",
    str | None: "s?",
    int: "i",
    int | None: "i?",
    bool: "b",
    Decimal: "d",
    Decimal | None: "d?",
    dt.date | None: "t?",
    dt.date: "t",
    tuple[str, ...]: "ss",
    tuple[tuple[str, str], ...]: "pp",
    dict[str, Decimal]: "dd",
    dict[str, str]: "ds",
}
OPTIONAL = frozenset({"d?", "t?"})  # the reference kinds where -1 stands for None

# table name -> (record class, or tuple for a table of tuples; the kind of each field)
TABLES: dict[str, tuple[type, tuple[str, ...]]] = {}
_ORDERS: dict[type, tuple[str, ...]] = {}


def order(root: type) -> tuple[str, ...]:
    """The tables a graph of `root` records holds, each after the tables it refers into."""
    names = _ORDERS.get(root)
    if names is None:
        found: dict[str, None] = {}
        _record(root, found)
        names = _ORDERS[root] = tuple(found)
    return names


def kinds(table: str) -> tuple[str, ...]:
    """The field kinds of a table of `order(...)`."""
    return TABLES[table][1]


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def _record(cls: type, found: dict[str, None]) -> str:
    name = cls.__name__
    if name not in found:
        known = TABLES.get(name)
        if known is not None and known[0] is not cls:
            raise TypeError(f"two records named {name}: {known[0]!r} and {cls!r}")
        hints = cls.__annotations__
        if any(isinstance(hint, (str, ForwardRef)) for hint in hints.values()):
            # a record in a module with `from __future__ import annotations`: slower to read
            hints = get_type_hints(cls)
        names: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        fields = tuple(_kind(hints[field], found) for field in names)
        TABLES[name] = (cls, fields)
        found[name] = None
    return name


def _kind(hint: Any, found: dict[str, None]) -> str:
    kind = _PLAIN.get(hint)
    if kind is not None:
        return kind
    if _is_record(hint):
        return ">" + _record(hint, found)
    args = get_args(hint)
    if get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        if _is_record(args[0]):
            table = "*" + _record(args[0], found)
        elif _PLAIN.get(args[0]) in ("d", "d?"):
            table = "*" + _PLAIN[args[0]]
        else:
            raise TypeError(f"the cache stores no tuples of {args[0]!r}")
        TABLES[table] = (tuple, ())
        found[table] = None
        return table
    raise TypeError(f"the cache has no kind for a field of type {hint!r}")
