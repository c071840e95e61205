"""Frozen value classes written out, for records that `cost` and `best` build on every run.

A `@dataclass(frozen=True, slots=True)` writes and compiles its methods when the module is
imported: about 0.5 ms for a small class and 1.7 ms for the 26 fields of pricing.Workload, paid
by every run (docs/performance.md). A subclass of `Frozen` lists its fields in `__slots__`, in
the dataclass's field order, and sets them in its own `__init__` with `set_field`; comparison,
hashing, repr and the refusal to change a field are the dataclass's, compiled once into the
module's bytecode like any other code.
"""

from __future__ import annotations

from typing import Any, TypeVar

set_field = object.__setattr__


class Frozen:
    """Equal when of the same class with equal fields, hashed and shown by them, read-only."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            assert isinstance(other, Frozen)
            return self._fields() == other._fields()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __getstate__(self) -> tuple[Any, ...]:
        return self._fields()

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(self.__slots__, state, strict=True):
            set_field(self, name, value)


F = TypeVar("F", bound=Frozen)


def replace(record: F, **changes: Any) -> F:
    """A copy of `record` with some fields changed, as dataclasses.replace (every `__init__` of a
    Frozen takes its fields by name)."""
    values = dict(zip(record.__slots__, record._fields(), strict=True))
    values.update(changes)
    return type(record)(**values)
