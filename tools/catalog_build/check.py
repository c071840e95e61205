"""Reference data for the catalog build: read the public data sets through the importers, index
each maker's records, match them to catalog models, and cross-check their figures, field group
by field group (GROUPS).

Pure code, no CLI: `tools.catalog_build.curate` builds the bundled catalog with it, and the
tests use `cross_check` to hold `data/models.toml` against the same data sets.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from aicompare.errors import CatalogError
from aicompare.importers import FORMATS, importer
from aicompare.model import PRICE_KEYS

# The figures held against the data sets, in named groups. A field is named by its path in a
# model table, price paths without their `prices.` head: `input`, `batch.input`, `tiers`,
# `context_window`, `lifecycle.shutdown_date`. A group's fields are names or fnmatch patterns
# (`batch.*`: every batch price). Adding a group of prices is one line here (a field outside
# `prices` also needs its key in TOP_FIELDS). `aicompare catalog audit` counts per group.


@dataclass(frozen=True)
class FieldGroup:
    """A named group of checked fields (names or fnmatch patterns)."""

    name: str
    fields: tuple[str, ...]

    def has(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.fields)


GROUPS: tuple[FieldGroup, ...] = (
    FieldGroup("token prices", ("input", "cached_input", "output")),
    FieldGroup("cache writes", ("cache_write", "cache_write_1h")),
    FieldGroup("batch prices", ("batch.*",)),
    FieldGroup("image tokens", ("image_input", "cached_image_input", "image_output")),
    FieldGroup(
        "audio tokens",
        ("audio_input", "cached_audio_input", "audio_output", "audio_input_per_minute"),
    ),
    FieldGroup("long-context tiers", ("tiers",)),
    FieldGroup("limits", ("context_window", "max_input_tokens", "max_output_tokens")),
    FieldGroup("modalities", ("input_modalities", "output_modalities")),
    FieldGroup("shutdown dates", ("lifecycle.shutdown_date",)),
    FieldGroup("cut-off, release", ("knowledge_cutoff", "release_date")),
    FieldGroup("fees, thinking", ("request_per_1k", "web_search_per_1k", "thinking_output")),
    FieldGroup("service tiers", ("flex.*", "priority.*")),
    FieldGroup("off-peak", ("off_peak.*",)),
)
# Model-table keys that are checked fields (everything else checked lives under prices).
TOP_FIELDS = (
    "context_window",
    "max_input_tokens",
    "max_output_tokens",
    "input_modalities",
    "output_modalities",
    "knowledge_cutoff",
    "release_date",
)
# The figures the curation may set only through [[choices]] (a [models.<id>] override of one is
# refused): token prices, cache writes, context window and max output.
PRICE_FIELDS = ("input", "cached_input", "output", "cache_write", "cache_write_1h")
LIMIT_FIELDS = ("context_window", "max_output_tokens")
CHECKED = PRICE_FIELDS + LIMIT_FIELDS
# A dated name: gpt-4o-2024-08-06, claude-x-20250929, grok-4.20-0309-reasoning, mistral-x-2512,
# gemini-x-preview-09-2025. Folded names that match become snapshots, the rest aliases.
DATED = re.compile(r"(?:^|[-@])(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{2}-\d{4}|\d{4})(?:[-:]|$)")


def group_of(name: str) -> FieldGroup | None:
    """The group a field belongs to, None for a field that is not checked."""
    return next((group for group in GROUPS if group.has(name)), None)


def field_path(name: str) -> tuple[str, ...]:
    """Where a checked field lives in a model table: `batch.input` -> prices, batch, input."""
    return _path(name)


def _path(name: str) -> tuple[str, ...]:
    """Where a field lives in a model table."""
    if name in TOP_FIELDS:
        return (name,)
    if name.startswith("lifecycle."):
        return ("lifecycle", name.removeprefix("lifecycle."))
    return ("prices", *name.removeprefix("prices.").split("."))


def field_name(name: str) -> str:
    """A field as the curation may write it (`prices.batch.input`) -> its checked name."""
    return name.removeprefix("prices.")


def fields_of(table: Mapping[str, Any]) -> dict[str, Any]:
    """Every checked field a model table (or a data set's record) has, by name."""
    out: dict[str, Any] = {}
    for key, value in (table.get("prices") or {}).items():
        if isinstance(value, dict):
            out.update({f"{key}.{sub}": v for sub, v in value.items()})
        else:
            out[key] = value
    out.update({key: table[key] for key in TOP_FIELDS if table.get(key) is not None})
    life = table.get("lifecycle")
    if isinstance(life, dict):
        out.update({f"lifecycle.{k}": v for k, v in life.items()})
    return {name: value for name, value in out.items() if group_of(name) is not None}


class Absent:
    """A value a source or the curation leaves out on purpose (TOML has no null)."""

    def __repr__(self) -> str:
        return "absent"

    def __deepcopy__(self, memo: dict[int, Any]) -> Absent:
        return self  # one of a kind: `value is ABSENT` holds for copies too


ABSENT = Absent()


def is_dated(name: str) -> bool:
    return bool(DATED.search(name))


# A full date in an API name: gpt-4o-2024-05-13, claude-x-20250929, amazon.x-20251202-v1:0.
_NAME_DATE = re.compile(r"(?:^|[-@.])(20\d{2})-?(\d{2})-?(\d{2})(?:[-:]|$)")


def name_date(name: str) -> dt.date | None:
    """The day a dated API name carries (the snapshot's date), None for other names."""
    match = _NAME_DATE.search(name)
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def get_field(table: Mapping[str, Any], name: str) -> Any:
    """A checked field of a model table, or None."""
    node: Any = table
    for key in _path(name):
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def set_field(table: dict[str, Any], name: str, value: Any) -> None:
    """Set (or, for ABSENT, remove) a checked field of a model table; emptied tables go."""
    path = _path(name)
    nodes = [table]
    for key in path[:-1]:
        nodes.append(nodes[-1].setdefault(key, {}))
    if value is ABSENT:
        nodes[-1].pop(path[-1], None)
    else:
        nodes[-1][path[-1]] = value
    for depth in range(len(path) - 1, 0, -1):
        # a price table with no price (off-peak hours alone) is none
        if not nodes[depth] or set(nodes[depth]) == {"hours"}:
            del nodes[depth - 1][path[depth - 1]]
    if isinstance(table.get("prices"), dict):
        table["prices"] = order_prices(table["prices"])


def order_prices(prices: Mapping[str, Any]) -> dict[str, Any]:
    """A prices table in the catalog's key order (docs/catalog.md), batch and tiers last."""

    def keyed(table: Mapping[str, Any], first: tuple[str, ...] = ()) -> dict[str, Any]:
        order = {key: i for i, key in enumerate((*first, *PRICE_KEYS))}
        return {k: table[k] for k in sorted(table, key=lambda k: (order.get(k, len(order)), k))}

    tables = ("batch", "flex", "priority", "off_peak")
    out = keyed({k: v for k, v in prices.items() if k not in (*tables, "tiers")})
    for name in tables:
        if isinstance(prices.get(name), dict):
            out[name] = keyed(prices[name], ("hours",))
    if isinstance(prices.get("tiers"), list):
        out["tiers"] = [keyed(tier, ("above_input_tokens",)) for tier in prices["tiers"]]
    return out


def same(a: Any, b: Any) -> bool:
    """Equal values; Decimals compare by value (1.10 == 1.1), ints and Decimals too; modality
    lists whatever their order."""
    if isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)):
        return Decimal(a) == Decimal(b)
    if isinstance(a, list) and isinstance(b, list) and all(isinstance(x, str) for x in a + b):
        return sorted(a) == sorted(b)
    return bool(a == b)


def distinct(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if not any(same(value, seen) for seen in out):
            out.append(value)
    return out


# --- reading the data sets --------------------------------------------------------------------


def _openai_images(path: Path, provider: str | None) -> dict[str, dict[str, Any]]:
    """openai-image-prices.toml: its [[per_image]] rows as per-image grids, one model each."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError([f"{path}: cannot read: {exc}"]) from None
    if provider not in (None, "openai"):
        return {}
    models: dict[str, dict[str, Any]] = {}
    for row in doc.get("per_image", []):
        table = models.setdefault(row["model"], {"provider": "openai", "type": "image"})
        grid = table.setdefault("image_prices", {})
        grid.setdefault(row["quality"], {})[row["size"]] = row["usd"]
    return {key: models[key] for key in sorted(models)}


# Converted records by (file identity, format, provider, as_of), shared by every build in a
# process: converting the data sets is most of a build's time. Read-only for their users.
_CONVERTED: dict[tuple[Any, ...], dict[str, dict[str, Any]]] = {}


def _identity(path: Path) -> tuple[Any, ...]:
    try:
        st = path.stat()
    except OSError:
        return (str(path),)  # the read reports the error
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ino)


class References:
    """The data sets named in the curation's [sets], read once and converted per provider."""

    def __init__(self, root: Path, sets: Mapping[str, Mapping[str, Any]], as_of: dt.date) -> None:
        self.root = root
        self.sets = sets
        self.as_of = as_of
        self._data: dict[str, Any] = {}
        self._rows: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def label(self, set_name: str) -> str:
        return str(self.sets[set_name].get("label", set_name))

    def path(self, set_name: str) -> Path:
        return self.root / str(self.sets[set_name]["file"])

    def raw(self, set_name: str) -> Any:
        """The parsed file of a JSON data set, read once (the importers' input)."""
        if set_name not in self._data:
            from aicompare.importers._common import read_json

            self._data[set_name] = read_json(self.path(set_name))
        return self._data[set_name]

    def rows(self, set_name: str, provider: str) -> dict[str, dict[str, Any]]:
        """Catalog tables of one provider of one set, keyed by the set's own ids."""
        key = (set_name, provider)
        if key in self._rows:
            return self._rows[key]
        spec = self.sets.get(set_name)
        if spec is None:
            raise CatalogError([f"curation: unknown data set {set_name!r}"])
        fmt, path = str(spec["format"]), self.path(set_name)
        if fmt != "openai-image-prices" and fmt not in FORMATS:
            raise CatalogError([f"curation: set {set_name!r}: unknown format {fmt!r}"])
        cache_key = (_identity(path), fmt, provider, self.as_of)
        if cache_key not in _CONVERTED:
            if fmt == "openai-image-prices":
                rows = _openai_images(path, provider)
            else:
                from aicompare.importers._common import read_json

                if set_name not in self._data:
                    self._data[set_name] = read_json(path)
                convert = importer(fmt).convert
                rows = convert(
                    self._data[set_name], source=str(path), provider=provider, as_of=self.as_of
                ).models
            _CONVERTED[cache_key] = rows
        self._rows[key] = _CONVERTED[cache_key]
        return self._rows[key]


# --- one maker's records ------------------------------------------------------------------------


def _hit(patterns: Iterable[str], source_id: str) -> bool:
    return any(fnmatch.fnmatchcase(source_id, pattern) for pattern in patterns)


def selected(maker: Mapping[str, Any], set_name: str, source_id: str) -> bool:
    """include/exclude: fnmatch patterns on source ids; include_in/exclude_in: for one set only."""
    include = maker.get("include", [])
    if include and not _hit(include, source_id):
        return False
    scoped_in = maker.get("include_in", {}).get(set_name)
    if scoped_in is not None and not _hit(scoped_in, source_id):
        return False
    scoped = maker.get("exclude_in", {}).get(set_name, [])
    return not _hit([*maker.get("exclude", []), *scoped], source_id)


@dataclass
class MakerIndex:
    """A maker's records in each data set, under catalog ids (prefixes stripped, renames done)."""

    maker: str
    sets: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    # catalog id -> (set, source id) of every record, for messages
    sources: dict[tuple[str, str], str] = field(default_factory=dict)

    def match(
        self, set_name: str, model_id: str, table: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """The record of `set_name` that describes this catalog model, if any (ids compared
        case-insensitively, as the catalog does).

        In order: the same id; a record named like one of the model's snapshots; a record that
        lists the model's id among its own snapshots or aliases; one named like a model alias.
        """
        records = {rid.casefold(): rec for rid, rec in sorted(self.sets.get(set_name, {}).items())}
        own = model_id.casefold()
        if own in records:
            return records[own]
        for name in table.get("snapshots", []):
            if name.casefold() in records:
                return records[name.casefold()]
        for rec in records.values():
            names = [n.casefold() for n in (*rec.get("snapshots", []), *rec.get("aliases", []))]
            if own in names:
                return rec
        for name in table.get("aliases", []):
            if name.casefold() in records:
                return records[name.casefold()]
        return None


def map_id(source_id: str, maker: Mapping[str, Any], set_name: str) -> str:
    """A source id as a catalog id: `rename` first, else the first matching `strip` prefix
    (`strip_in` for one set only)."""
    renamed = maker.get("rename", {}).get(source_id)
    if renamed:
        return str(renamed)
    for prefix in (*maker.get("strip_in", {}).get(set_name, []), *maker.get("strip", [])):
        if source_id.startswith(prefix):
            return source_id[len(prefix) :]
    return source_id


def maker_index(refs: References, maker_id: str, maker: Mapping[str, Any]) -> MakerIndex:
    """Every feed of a maker, filtered by include/exclude, ids mapped, duplicates refused."""
    index = MakerIndex(maker_id)
    problems: list[str] = []
    for feed in maker.get("feeds", []):
        set_name, provider = str(feed["set"]), str(feed["provider"])
        bucket = index.sets.setdefault(set_name, {})
        for source_id, table in refs.rows(set_name, provider).items():
            if not selected(maker, set_name, source_id):
                continue
            model_id = map_id(source_id, maker, set_name)
            mapped = _mapped_names(table, maker, set_name)
            if model_id in bucket:
                if _essential(bucket[model_id]) != _essential(mapped):
                    first = index.sources[(set_name, model_id)]
                    problems.append(
                        f"makers.{maker_id}: {set_name} records {first!r} and "
                        f"{source_id!r} both map to {model_id!r} with different "
                        "prices, limits or lifecycle; exclude one"
                    )
                    continue
                _fill(bucket[model_id], mapped)
                continue
            bucket[model_id] = mapped
            index.sources[(set_name, model_id)] = source_id
    if problems:
        raise CatalogError(problems, "fix data/curation.toml")
    return index


def _mapped_names(
    table: Mapping[str, Any], maker: Mapping[str, Any], set_name: str
) -> dict[str, Any]:
    out = dict(table)
    for key in ("snapshots", "aliases"):
        if key in out:
            out[key] = sorted({map_id(name, maker, set_name) for name in out[key]})
    return out


_ESSENTIAL = (
    "type",
    "prices",
    "image_prices",
    "context_window",
    "max_input_tokens",
    "max_output_tokens",
    "lifecycle",
)


def _essential(table: Mapping[str, Any]) -> dict[str, Any]:
    return {k: table.get(k) for k in _ESSENTIAL}


def _fill(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Two records of one model: keep the first, add what only the second has (names merged)."""
    for key, value in extra.items():
        if key in ("snapshots", "aliases", "capabilities", "endpoints"):
            base[key] = sorted(set(base.get(key, [])) | set(value))
        elif key not in base:
            base[key] = value


# --- consensus and the cross-check ---------------------------------------------------------------


def in_force(table: Mapping[str, Any], on: dt.date) -> Mapping[str, Any]:
    """The model table with the prices (and per-image grid) of the period in force on `on` as
    its own; a table without periods as it is."""
    periods = table.get("price_periods")
    if not periods:
        return table
    chosen: Mapping[str, Any] | None = None
    for period in periods:
        if period["from"] <= on:
            chosen = period
    if chosen is None:
        return table
    out = {k: v for k, v in table.items() if k not in ("prices", "image_prices")}
    for key in ("prices", "image_prices"):
        if key in chosen:
            out[key] = chosen[key]
    return out


def reference_values(
    index: MakerIndex, refs: References, model_id: str, table: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """field -> {set name: value} for every checked field a data set has for this model."""
    out: dict[str, dict[str, Any]] = {}
    for set_name in sorted(index.sets):
        if refs.sets[set_name].get("format") == "openai-image-prices":
            continue  # per-image grids only
        record = index.match(set_name, model_id, table)
        if record is None:
            continue
        for name, value in fields_of(record).items():
            out.setdefault(name, {})[set_name] = value
    return out


def curated_fields(over: Mapping[str, Any]) -> set[str]:
    """The checked fields a curated [models.<id>] table sets, or removes with `unset` (a table
    path such as `prices.batch` stands for every field under it)."""
    names = set(fields_of(over))
    names |= {field_name(str(path)) for path in over.get("unset", [])}
    return names


def is_curated(name: str, curated: set[str]) -> bool:
    return name in curated or any(name.startswith(f"{c}.") for c in curated)


@dataclass(frozen=True)
class Choice:
    """What the curation keeps where the data sets disagree (or where they are wrong): a value,
    ABSENT, or the value of one named data set (`prefer`)."""

    value: Any
    source: str
    prefer: str | None = None

    def resolve(self, values: Mapping[str, Any]) -> Any:
        """The chosen value given the sets' values; None when the preferred set has none."""
        return values.get(self.prefer) if self.prefer else self.value


def choices_by_model(curation: Mapping[str, Any]) -> dict[tuple[str, str], Choice]:
    """[[choices]] entries: models, fields (or field), one of value / absent = true / prefer = set,
    and source (why, and where the kept value comes from). Fields are checked names (`input`,
    `batch.output`, `lifecycle.shutdown_date`); price paths may keep their `prices.` head."""
    out: dict[tuple[str, str], Choice] = {}
    problems: list[str] = []
    sets = curation.get("sets", {})
    for i, entry in enumerate(curation.get("choices", [])):
        where = f"choices[{i}]"
        names = [field_name(str(n)) for n in entry.get("fields", [entry.get("field")])]
        bad = [n for n in names if group_of(n) is None]
        if bad:
            groups = "; ".join(f"{g.name}: {', '.join(g.fields)}" for g in GROUPS)
            problems.append(f"{where}: fields {bad!r} are in no checked group ({groups})")
            continue
        if not entry.get("source"):
            problems.append(f"{where}.source: required (why, and where the kept value comes from)")
            continue
        ways = [k for k in ("value", "absent", "prefer") if k in entry]
        if (
            len(ways) != 1
            or entry.get("absent") not in (None, True)
            or ("prefer" in entry and entry["prefer"] not in sets)
        ):
            problems.append(f"{where}: give one of value = ..., absent = true, prefer = <set>")
            continue
        value = ABSENT if entry.get("absent") is True else entry.get("value")
        choice = Choice(value, str(entry["source"]), entry.get("prefer"))
        for model_id in entry.get("models", []):
            for name in names:
                if (model_id, name) in out:
                    problems.append(f"{where}: second choice for {model_id} {name}")
                out[(model_id, name)] = choice
    if problems:
        raise CatalogError(problems, "fix data/curation.toml")
    return out


def decide(values: Mapping[str, Any], choice: Choice | None) -> tuple[str, Any]:
    """(status, value): 'none' (no set has it), 'agree', 'chosen', 'stale' (a choice where the
    sets agree on that very value), or 'unresolved' (they disagree and nothing is chosen)."""
    found = distinct(values.values())
    if choice is not None:
        value = choice.resolve(values)
        if value is None:
            return "unresolved", None
        if len(found) == 1 and same(value, found[0]):
            return "stale", value
        return "chosen", value
    if not found:
        return "none", None
    if len(found) == 1:
        return "agree", found[0]
    return "unresolved", None


@dataclass(frozen=True)
class Figure:
    """One checked figure of one bundled model: the catalog's value, each data set's, and how
    it stands: 'agree' (every set that has it agrees with the catalog), 'chosen' (a [[choices]]
    entry), 'curated' (set by hand in the model's [models.<id>] table, with its source), or
    'unexplained' (`problem` says why)."""

    model: str
    field: str
    group: str
    actual: Any  # ABSENT when the catalog has no value
    values: dict[str, Any]
    status: str
    problem: str | None = None


@dataclass
class CheckReport:
    """Counts of the cross-check, every figure checked, and every problem it found."""

    models_found: int = 0
    checked: int = 0
    agreeing: int = 0
    curated: int = 0
    multi_source: int = 0  # figures found in two or more data sets
    problems: list[str] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


def cross_check(
    doc: Mapping[str, Any], refs: References, curation: Mapping[str, Any]
) -> CheckReport:
    """Hold every model of a catalog document against the data sets its maker is fed from.

    Every field of every group that a data set has for the model is checked, and every field a
    choice names: a figure a set has and the catalog lacks is a disagreement too."""
    report = CheckReport()
    choices = choices_by_model(curation)
    chosen: dict[str, set[str]] = {}
    for model_id, name in choices:
        chosen.setdefault(model_id, set()).add(name)
    used: set[tuple[str, str]] = set()
    indexes: dict[str, MakerIndex] = {}
    makers = curation.get("makers", {})
    curated_models = curation.get("models", {})
    for model_id, dated in doc.get("models", {}).items():
        # the data sets' figures are as of their snapshot: held against the period in force then
        table: Any = in_force(dated, refs.as_of)
        maker_id = table.get("provider")
        if maker_id not in makers:
            report.problems.append(f"{model_id}: provider {maker_id!r} has no [makers] entry")
            continue
        if maker_id not in indexes:
            indexes[maker_id] = maker_index(refs, maker_id, makers[maker_id])
        values = reference_values(indexes[maker_id], refs, model_id, table)
        report.models_found += bool(values)
        by_hand = curated_fields(curated_models.get(model_id, {}))
        for name in sorted(set(values) | chosen.get(model_id, set())):
            group = group_of(name)
            assert group is not None  # fields_of and choices_by_model keep grouped names only
            found = values.get(name, {})
            choice = choices.get((model_id, name))
            report.checked += 1
            report.multi_source += len(found) > 1
            if choice is not None:
                used.add((model_id, name))
            value = get_field(table, name)
            actual = ABSENT if value is None else value
            status, problem = "agree", None
            if choice is None and is_curated(name, by_hand):
                agreed = distinct(found.values())
                if not (len(agreed) == 1 and same(actual, agreed[0])):
                    status = "curated"
            else:
                problem = _judge(f"{model_id}: {name}", found, choice, actual, refs)
                status = "unexplained" if problem else ("agree" if choice is None else "chosen")
            if problem:
                report.problems.append(problem)
            elif status == "agree":
                report.agreeing += 1
            else:
                report.curated += 1
            report.figures.append(
                Figure(model_id, name, group.name, actual, dict(found), status, problem)
            )
    report.problems += [
        f"choice for {model_id} {name} matches no bundled model with data"
        for model_id, name in sorted(set(choices) - used)
    ]
    return report


def _judge(
    what: str, values: Mapping[str, Any], choice: Choice | None, actual: Any, refs: References
) -> str | None:
    """The problem with one figure of one model, or None when it is right."""
    status, expected = decide(values, choice)
    shown = ", ".join(f"{refs.label(set_name)} {value}" for set_name, value in values.items())
    if status == "agree" and not same(actual, expected):
        return f"{what} is {actual}, the data sets agree on {expected} ({shown})"
    if status == "chosen" and not same(actual, expected):
        return f"{what} is {actual}, the curation chose {expected} ({shown or 'no data set'})"
    if status == "stale":
        return f"{what}: the data sets now agree ({shown}); drop the curated choice"
    if status == "unresolved" and choice is not None:
        return f"{what}: the curation prefers {choice.prefer}, which has no value ({shown})"
    if status == "unresolved":
        return f"{what}: the data sets disagree ({shown}) and the curation records no choice"
    return None
