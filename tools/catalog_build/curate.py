"""Build the bundled catalog from the public data sets and the hand-kept curation file.

`build(reference_dir, curation_path)` reads each maker's records through aicompare's importers
(the feeds named in `data/curation.toml`), maps their ids to the makers' API ids, folds dated
snapshots and curated aliases into their model, applies the hand-kept fields, settles every
checked figure (the field groups of `check.GROUPS`: prices, batch, tiers, limits, modalities,
dates) against every data set (the value they agree on, the curated choice, or the value set by
hand), validates the result as a catalog and cross-checks it.
Pure and deterministic: the same inputs give the same document, sorted by provider then id.
The format of the curation file is in docs/catalog-sources.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aicompare.catalog import Layer
from aicompare.errors import CatalogError
from aicompare.importers.litellm import SNAPSHOT
from aicompare.loader import build_catalog, read_document
from aicompare.schema import BY_HAND, LIFECYCLE_KEYS, MODALITY_CAPABILITIES, MODEL_KEYS

from .check import (
    ABSENT,
    CHECKED,
    PRICE_FIELDS,
    CheckReport,
    MakerIndex,
    References,
    choices_by_model,
    cross_check,
    curated_fields,
    decide,
    field_path,
    get_field,
    is_curated,
    is_dated,
    maker_index,
    name_date,
    order_prices,
    reference_values,
    same,
    set_field,
)
from .offers import fill_offers, seller_problems
from .periods import SET, add_periods, history

HEADER = (
    "# GENERATED FILE: do not edit by hand. Regenerate with `aicompare catalog build`\n"
    "# from the public data sets and data/curation.toml (see docs/catalog-sources.md).\n"
    "# Format: docs/catalog.md. Prices in USD (per 1M tokens, or per image).\n"
)
# Sets whose records become rows where the maker's primary sets have no record of the model
# (`new_rows`, per maker or in [meta]); earlier sets win field by field.
NEW_ROWS = ("genai-prices", "models.dev")
# The lifecycle note the importers give a record its data set marks deprecated (no date).
DEPRECATED_NOTES = ("deprecated in genai-prices", "deprecated on models.dev")
# Keys of an [[exclusions]] entry: models (fnmatch patterns on catalog ids), why, where from.
EXCLUSION_KEYS = ("models", "reason", "source", "checked")
# Keys of a curated [models.<id>] table that steer the build and are not catalog keys.
# `source` and `checked` record where a curated entry comes from and when it was checked.
STEERING = ("fold", "keep", "unset", "source", "checked")
# What a curated lifecycle without a successor says: the catalog states it, the tool shows it.
NO_SUCCESSOR = "No successor is named"
# Per-field fill from secondary data sets, when the primary records leave the field out.
FILLABLE = (
    "name",
    "knowledge_cutoff",
    "release_date",
    "input_modalities",
    "output_modalities",
    "max_input_tokens",
    "description",
    # a price table's keys the primary record lacks, where the set's standard price of the key
    # is the primary's (so the figure is the same list price's batch price)
    "prices.batch",
)
# Fields that only a [[choices]] entry may set, so the cross-check sees every curated value.
_CHOICE_ONLY = tuple(f for f in CHECKED if f not in PRICE_FIELDS)


@dataclass
class Build:
    """The generated document, its text, the cross-check, and what was left out and why."""

    doc: dict[str, Any]
    text: str
    check: CheckReport
    skipped: list[str] = field(default_factory=list)
    # "<id>: <field> <value> from <sets>": checked figures the primary records left out
    filled: list[str] = field(default_factory=list)
    # "<maker> <id>: <reason>": priced records an [[exclusions]] entry keeps out
    excluded: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, Any]:
        models = self.doc["models"].values()
        types: dict[str, int] = {}
        for table in models:
            types[table["type"]] = types.get(table["type"], 0) + 1
        return {
            "models": len(self.doc["models"]),
            "makers": len({t["provider"] for t in models}),
            "image_models_with_grids": sum(
                1 for t in models if t["type"] == "image" and t.get("image_prices")
            ),
            "types": dict(sorted(types.items())),
        }


def default_paths(start: Path | None = None) -> tuple[Path, Path | None, Path]:
    """(curation, reference dir or None, output) of the source checkout this module is in."""
    repo = (start or Path(__file__)).resolve().parents[2]
    reference = repo.parent / "shared" / "reference"
    return (
        repo / "data" / "curation.toml",
        reference if reference.is_dir() else None,
        repo / "data" / "models.toml",
    )


def load_curation(path: Path) -> dict[str, Any]:
    doc, _ = read_document(path)
    missing = [key for key in ("meta", "sets", "makers") if key not in doc]
    if missing:
        raise CatalogError(
            [f"{path}: missing [{key}]" for key in missing], "see docs/catalog-sources.md"
        )
    return doc


def _provenance(where: str, entry: Mapping[str, Any]) -> list[str]:
    """`source` (a URL, or the data set and record it quotes) and `checked` (a TOML date)."""
    out = []
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        out.append(f"{where}.source: required (a URL, or the data set and record it quotes)")
    checked = entry.get("checked")
    if not isinstance(checked, dt.date) or isinstance(checked, dt.datetime):
        out.append(f"{where}.checked: required, the date it was checked (checked = 2026-11-26)")
    return out


def provenance_problems(cur: Mapping[str, Any]) -> list[str]:
    """Every [[choices]] entry and [models.<id>] override says where it comes from and when it
    was checked; a curated lifecycle names its successor with the source that names it, or says
    that no successor is named, with what was checked."""
    problems: list[str] = []
    for i, entry in enumerate(cur.get("choices", [])):
        problems += _provenance(f"curation choices[{i}]", entry)
    for mid, over in cur.get("models", {}).items():
        where = f"curation models.{mid}"
        problems += _provenance(where, over)
        life = over.get("lifecycle")
        if not isinstance(life, Mapping):
            continue
        note = str(life.get("note", ""))
        if life.get("superseded_by") and not life.get("source"):
            problems.append(f"{where}.lifecycle.source: required with superseded_by (who named it)")
        elif not life.get("superseded_by") and life.get("source") and NO_SUCCESSOR not in note:
            problems.append(
                f"{where}.lifecycle.note: without superseded_by, the note says "
                f"'{NO_SUCCESSOR}' (and the source says what was checked)"
            )
    return problems


def build(reference: Path, curation_path: Path) -> Build:
    """Generate the catalog document; CatalogError lists every problem that stops it."""
    cur = load_curation(curation_path)
    meta = cur["meta"]
    as_of = meta["as_of"]
    refs = References(reference, cur["sets"], as_of)
    choices = choices_by_model(cur)
    curated: dict[str, dict[str, Any]] = cur.get("models", {})
    problems: list[str] = []
    skipped: list[str] = []
    filled: list[str] = []
    models: dict[str, dict[str, Any]] = {}
    for set_name, names in meta.get("fill", {}).items():
        problems += [
            f"curation meta.fill.{set_name}: {name!r} cannot be filled (one of "
            f"{', '.join(FILLABLE)})"
            for name in names
            if name not in FILLABLE
        ]
    problems += provenance_problems(cur)
    for mid, over in curated.items():
        for key in (*_CHOICE_ONLY, *(f"prices.{f}" for f in PRICE_FIELDS)):
            head, _, leaf = key.partition(".")
            if (leaf and leaf in over.get(head, {})) or (not leaf and head in over):
                problems.append(
                    f"curation models.{mid}.{key}: set checked figures through "
                    "[[choices]], so the cross-check sees them"
                )
    exclusions = _exclusions(cur, problems)
    excluded: list[str] = []
    used: set[int] = set()
    for maker_id in sorted(cur["makers"]):
        maker = cur["makers"][maker_id]
        index = maker_index(refs, maker_id, maker)
        rows = _primary_rows(index, maker)
        _new_rows(rows, index, maker, meta, curated, skipped)
        excluded += _exclude(rows, maker_id, exclusions, used, index)
        _curated_folds(rows, curated, problems)
        _auto_fold(rows, skipped)
        for mid in sorted(rows):
            table = rows[mid]
            if (
                not table.get("prices")
                and not table.get("image_prices")
                and not curated.get(mid, {}).get("keep")
            ):
                skipped.append(
                    f"{maker_id} {index.sources.get(('', mid), mid)}: no price in the "
                    "reference data"
                )
                continue
            if mid in models:
                problems.append(f"{mid}: made by both {models[mid]['provider']} and {maker_id}")
                continue
            table["provider"] = maker_id
            _apply_curated(table, curated.get(mid, {}))
            _finish(mid, table, index, refs, maker, cur, choices, filled)
            problems += _release_date(mid, table, curated.get(mid, {}), filled)
            periods, url = history(index, refs, maker, mid, table)
            label = refs.label(SET)
            problems += [
                f"curation models.{mid}.{problem}"
                for problem in add_periods(
                    table,
                    periods,
                    as_of,
                    f"{label}: {url}" if url else label,
                    curated.get(mid, {}).get("price_periods", ()),
                )
            ]
            models[mid] = table
    for mid in sorted(set(curated) - set(models)):
        owner = next(
            (m for m, t in models.items() if mid in t.get("snapshots", []) + t.get("aliases", [])),
            None,
        )
        problems.append(
            f"curation models.{mid}: "
            + (
                f"folded into {owner}; curate that model"
                if owner
                else "no such model in the reference data"
            )
        )
    problems += [
        f"curation exclusions[{i}]: {', '.join(entry['models'])} excludes no model (drop it)"
        for i, entry in enumerate(exclusions)
        if entry and i not in used
    ]
    if problems:
        raise CatalogError(problems, "fix data/curation.toml (see docs/catalog-sources.md)")
    problems += seller_problems(cur)
    if problems:
        raise CatalogError(problems, "fix data/curation.toml (see docs/catalog-sources.md)")
    doc = _document(cur, models)
    # the models as other sellers sell them, found by the catalog's own names
    fill_offers(
        doc,
        build_catalog([(Layer("bundled", "generated catalog", True), doc, "")]),
        refs,
        cur,
        skipped,
    )
    if meta.get("tasks"):
        # the bundled `aicompare best` tasks (docs/tasks.md), kept in their own file
        tasks, _ = read_document(curation_path.parent / str(meta["tasks"]))
        doc["tasks"] = tasks.get("tasks", {})
    catalog = build_catalog([(Layer("bundled", "generated catalog", True), doc, "")])
    for mid, table in doc["models"].items():
        life = table.get("lifecycle")
        if life and "superseded_by" in life:
            # the successor as its id, however the curation names it (a snapshot, another case)
            life["superseded_by"] = catalog.models[mid].superseded_by
    return Build(
        doc, render(doc), cross_check(doc, refs, cur), sorted(skipped), filled, sorted(excluded)
    )


def coverage_gaps(doc: Mapping[str, Any], refs: References, cur: Mapping[str, Any]) -> list[str]:
    """The bar of the catalog's coverage: every current model a maker sells directly that a data
    set prices is a model of the catalog (by id, snapshot or alias) or an [[exclusions]] entry
    names it. One "<maker> <set> <source id>" line for each record that is neither.

    A record counts when it is selected by its maker's feeds and filters, priced above 0, not
    shut down on the curation's `as_of`, and no set marks it deprecated under any of its names
    (a model two sets name differently is one model). Problems with the [[exclusions]] entries
    come first."""
    names: set[str] = set()
    for mid, table in doc.get("models", {}).items():
        names |= _names(table, mid)
    problems: list[str] = []
    exclusions = [e for e in _exclusions(cur, problems) if e]
    as_of = cur["meta"]["as_of"]
    gaps: list[str] = []
    for maker_id in sorted(cur["makers"]):
        index = maker_index(refs, maker_id, cur["makers"][maker_id])
        records = [
            (set_name, rid, record)
            for set_name in sorted(index.sets)
            for rid, record in sorted(index.sets[set_name].items())
        ]
        # a model one set marks deprecated or an exclusion names, under any of its names
        gone: set[str] = set()
        for _, rid, record in records:
            if deprecated(record) or _excluded(rid, maker_id, exclusions) is not None:
                gone |= _names(record, rid)
        for set_name, rid, record in records:
            shutdown = record.get("lifecycle", {}).get("shutdown_date")
            if not priced(record) or (shutdown and shutdown <= as_of):
                continue
            if _names(record, rid) & (names | gone):
                continue
            gaps.append(f"{maker_id} {set_name} {index.sources.get((set_name, rid), rid)}")
    return problems + gaps


def _excluded(mid: str, maker_id: str, exclusions: Iterable[Mapping[str, Any]]) -> int | None:
    """The index (in `exclusions`) of the first entry that names this model, or None."""
    for i, entry in enumerate(exclusions):
        if not entry or entry.get("provider", maker_id) != maker_id:
            continue
        if any(fnmatch.fnmatchcase(mid.casefold(), str(p).casefold()) for p in entry["models"]):
            return i
    return None


def render(doc: Mapping[str, Any]) -> str:
    """The file text: the generated-file header, then exact TOML."""
    from aicompare.store import HEADER as STORE_HEADER
    from aicompare.store import dump_toml

    return HEADER + dump_toml(doc).removeprefix(STORE_HEADER)


# --- steps ------------------------------------------------------------------------------------


def _merge_missing(base: dict[str, Any], extra: Mapping[str, Any]) -> None:
    """Fill what `base` lacks from `extra`, recursively; `base` wins where both have a value."""
    for key, value in extra.items():
        if key not in base:
            base[key] = copy.deepcopy(value)
        elif isinstance(base[key], dict) and isinstance(value, dict):
            _merge_missing(base[key], value)


def _primary_rows(index: MakerIndex, maker: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Catalog rows from the maker's primary sets, merged in order (earlier sets win)."""
    rows: dict[str, dict[str, Any]] = {}
    for set_name in maker.get("primary", ["litellm"]):
        for mid, table in index.sets.get(set_name, {}).items():
            if mid in rows:
                _merge_missing(rows[mid], table)
            else:
                rows[mid] = copy.deepcopy(table)
                index.sources[("", mid)] = index.sources.get((set_name, mid), mid)
    return rows


def _names(table: Mapping[str, Any], own: str) -> set[str]:
    """A row's id, snapshots and aliases, case-folded (the catalog compares ids that way)."""
    return {n.casefold() for n in (own, *table.get("snapshots", []), *table.get("aliases", []))}


def deprecated(table: Mapping[str, Any]) -> bool:
    """A record its data set marks deprecated (genai-prices `deprecated`, models.dev `status`)."""
    note = str(table.get("lifecycle", {}).get("note", ""))
    return note.startswith(DEPRECATED_NOTES)


def priced(table: Mapping[str, Any]) -> bool:
    """A record with a price above 0 (a set's 0 for every figure is no list price)."""

    def values(item: Any) -> Iterable[Any]:
        if isinstance(item, dict):
            for value in item.values():
                yield from values(value)
        elif isinstance(item, list):
            for value in item:
                yield from values(value)
        elif isinstance(item, (int, Decimal)) and not isinstance(item, bool):
            yield item

    return any(v != 0 for v in values([table.get("prices", {}), table.get("image_prices", {})]))


def _new_rows(
    rows: dict[str, dict[str, Any]],
    index: MakerIndex,
    maker: Mapping[str, Any],
    meta: Mapping[str, Any],
    curated: Mapping[str, Any],
    skipped: list[str],
) -> None:
    """Rows from the `new_rows` sets for the models the primary sets have no record of.

    A record describes a primary row when one of its names (id, snapshots, aliases) is one of the
    row's, or a name a curated `fold` gives the row. Records of the new-row sets that share a name
    (case-insensitively) are one model, the earlier set winning field by field. A model that one
    of those sets marks deprecated, or that no set prices above 0, is left out (listed in
    `skipped`): without a primary record it has no shutdown date, and would look current."""
    primary = list(maker.get("primary", ["litellm"]))
    known: set[str] = set()
    for mid, table in rows.items():
        known |= _names(table, mid)
        known |= {n.casefold() for n in curated.get(mid, {}).get("fold", [])}
    for cid, over in curated.items():
        if any(n in rows for n in over.get("fold", [])):
            known |= {cid.casefold(), *(n.casefold() for n in over["fold"])}
    found: dict[str, tuple[str, dict[str, Any], list[str]]] = {}
    owner: dict[str, str] = {}  # a case-folded name -> the key of the model in `found`
    sets = maker.get("new_rows", meta.get("new_rows", list(NEW_ROWS)))
    for set_name in sets:
        if set_name in primary:
            continue
        for rid, table in sorted(index.sets.get(set_name, {}).items()):
            if _names(table, rid) & known:
                continue
            names = _names(table, rid)
            key = next((owner[n] for n in sorted(names) if n in owner), rid.casefold())
            if key in found:
                _merge_missing(found[key][1], table)
                own = [rid, *table.get("snapshots", []), *table.get("aliases", [])]
                _add_names(found[key][1], found[key][0], [n for n in own if n.casefold() != key])
                found[key][2].append(set_name)
            else:
                found[key] = (rid, copy.deepcopy(table), [set_name])
            owner.update(dict.fromkeys(names, key))
            if deprecated(table):
                found[key][1]["lifecycle"] = dict(table["lifecycle"])
    for rid, table, where in found.values():
        source = index.sources.get((where[0], rid), rid)
        if deprecated(table):
            skipped.append(
                f"{index.maker} {source}: marked deprecated in {', '.join(where)}, and no "
                f"primary set has it (exclude or curate it to keep it)"
            )
            continue
        if not priced(table):
            skipped.append(f"{index.maker} {source}: priced 0 in {', '.join(where)}: no list price")
            continue
        rows[rid] = table
        index.sources[("", rid)] = source


def _exclusions(cur: Mapping[str, Any], problems: list[str]) -> list[dict[str, Any]]:
    """[[exclusions]] entries, validated: `models` (fnmatch patterns on catalog ids), `reason`,
    `source`, `checked` (a date), optional `provider`. A bad entry is a problem (and {})."""
    out: list[dict[str, Any]] = []
    for i, entry in enumerate(cur.get("exclusions", [])):
        where = f"curation exclusions[{i}]"
        missing = [k for k in EXCLUSION_KEYS if not entry.get(k)]
        unknown = sorted(set(entry) - {*EXCLUSION_KEYS, "provider"})
        bad = (
            missing
            or unknown
            or not isinstance(entry["models"], list)
            or not all(isinstance(m, str) for m in entry["models"])
            or not isinstance(entry["checked"], dt.date)
            or ("provider" in entry and entry["provider"] not in cur["makers"])
        )
        if bad:
            problems.append(
                f"{where}: needs models = [patterns], reason, source and checked = <date>"
                + (f" (missing {', '.join(missing)})" if missing else "")
                + (f" (unknown keys {', '.join(unknown)})" if unknown else "")
                + (
                    " (provider is not a maker)"
                    if entry.get("provider", "") not in ("", *cur["makers"])
                    else ""
                )
            )
            out.append({})
            continue
        out.append(dict(entry))
    return out


def _exclude(
    rows: dict[str, dict[str, Any]],
    maker_id: str,
    exclusions: list[dict[str, Any]],
    used: set[int],
    index: MakerIndex,
) -> list[str]:
    """Remove the rows an [[exclusions]] entry names; "<maker> <id>: <reason>" for each."""
    out: list[str] = []
    for mid in sorted(rows):
        i = _excluded(mid, maker_id, exclusions)
        if i is None:
            continue
        used.add(i)
        if priced(rows[mid]):
            out.append(f"{maker_id} {index.sources.get(('', mid), mid)}: {exclusions[i]['reason']}")
        del rows[mid]
    return out


def _add_names(target: dict[str, Any], target_id: str, names: list[str]) -> None:
    for name in names:
        if name == target_id:
            continue
        key = "snapshots" if is_dated(name) else "aliases"
        target[key] = sorted(set(target.get(key, [])) | {name})


def _compatible(a: Any, b: Any) -> bool:
    """No value that both state differs (either may leave keys out; tiers pair up in order)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return all(_compatible(a[key], b[key]) for key in a.keys() & b.keys())
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_compatible(x, y) for x, y in zip(a, b))
    return same(a, b)


def _fold(rows: dict[str, dict[str, Any]], name: str, into: str) -> str | None:
    """Move row `name` into row `into` as a snapshot or alias; a reason when it cannot be.

    It can when its type is the same, no price it states differs from the target's (prices only
    it states, e.g. batch, are kept), and it has no lifecycle of its own (a snapshot retired on
    another day stays a model of its own)."""
    row, target = rows[name], rows[into]
    if row.get("type") != target.get("type"):
        return f"its type differs from {into}'s"
    for key in ("prices", "image_prices"):
        if not _compatible(row.get(key, {}), target.get(key, {})):
            return f"its {key.replace('_', ' ')} differ from {into}'s"
    if row.get("lifecycle") not in (None, target.get("lifecycle")):
        return f"its lifecycle differs from {into}'s"
    for key in ("prices", "image_prices"):
        if key in row:
            _merge_missing(target.setdefault(key, {}), row[key])
    _add_names(target, into, [name, *row.get("snapshots", []), *row.get("aliases", [])])
    del rows[name]
    return None


def _curated_folds(
    rows: dict[str, dict[str, Any]], curated: Mapping[str, Any], problems: list[str]
) -> None:
    """`fold = [...]` of a curated model: those rows become its snapshots and aliases.

    When the model itself is not a row, the first folded row becomes it (a maker's undated
    API name for dated records, e.g. gpt-4o-audio-preview)."""
    for mid in sorted(curated):
        names = curated[mid].get("fold", [])
        if not names or not (mid in rows or any(n in rows for n in names)):
            continue
        for name in names:
            if name not in rows:
                problems.append(f"curation models.{mid}.fold: no record {name!r}")
                continue
            if mid not in rows:
                rows[mid] = rows.pop(name)
                for key in ("snapshots", "aliases"):
                    if mid in rows[mid].get(key, []):
                        rows[mid][key] = [n for n in rows[mid][key] if n != mid]
                        if not rows[mid][key]:
                            del rows[mid][key]
                _add_names(rows[mid], mid, [name])
                continue
            reason = _fold(rows, name, mid)
            if reason:
                problems.append(f"curation models.{mid}.fold: cannot fold {name!r}: {reason}")


def _auto_fold(rows: dict[str, dict[str, Any]], skipped: list[str]) -> None:
    """A dated id whose undated base is a row with the same prices becomes its snapshot."""
    for mid in sorted(rows):
        match = SNAPSHOT.match(mid)
        base = match.group("base") if match else None
        if base is None or base not in rows or mid not in rows:
            continue
        reason = _fold(rows, mid, base)
        if reason:
            skipped.append(f"{mid}: kept as its own model: {reason}")


def _apply_curated(table: dict[str, Any], over: Mapping[str, Any]) -> None:
    """The hand-kept fields, merged over the imported ones (lists and scalars replace)."""
    for path in over.get("unset", []):
        head, _, leaf = str(path).partition(".")
        if leaf:
            table.get(head, {}).pop(leaf, None)
            if head in table and not table[head]:
                del table[head]
        else:
            table.pop(head, None)
    for key, value in over.items():
        if key in STEERING:
            continue
        if key == "lifecycle":
            life = dict(table.get("lifecycle", {}))
            life.update({k: v for k, v in value.items() if k != "source"})
            if "source" in value and life.get("superseded_by"):
                note = life.get("note")
                life["note"] = (
                    f"{note}; successor named in: {value['source']}"
                    if note
                    else f"Successor named in: {value['source']}"
                )
            elif "source" in value:
                # provenance_problems holds the note to NO_SUCCESSOR
                life["note"] = f"{life.get('note', NO_SUCCESSOR)}; checked: {value['source']}"
            table["lifecycle"] = life
        elif isinstance(value, dict) and isinstance(table.get(key), dict) and key != "image_prices":
            merged = dict(table[key])
            merged.update(copy.deepcopy(value))
            table[key] = merged
        else:
            table[key] = copy.deepcopy(value)


def _source_url(table: Mapping[str, Any], maker: Mapping[str, Any]) -> str:
    """The record's own source when it is on one of the maker's domains, else the maker's page."""
    url = table.get("source_url")
    domains = maker.get("domains", [])
    if isinstance(url, str) and (
        maker.get("reseller") or any((urlparse(url).hostname or "").endswith(d) for d in domains)
    ):
        return url
    return str(maker.get("source_url", maker["url"]))


def _finish(
    mid: str,
    table: dict[str, Any],
    index: MakerIndex,
    refs: References,
    maker: Mapping[str, Any],
    cur: Mapping[str, Any],
    choices: Mapping[Any, Any],
    filled: list[str],
) -> None:
    """Fill from the secondary sets, settle the checked figures, stamp source and date."""
    over = cur.get("models", {}).get(mid, {})
    blocked = set(over) | set(over.get("unset", []))
    for set_name, fields in cur["meta"].get("fill", {}).items():
        record = index.match(set_name, mid, table)
        if record is None:
            continue
        for name in fields:
            if name.startswith("prices."):
                continue  # after the checked figures are settled, below
            if name not in table and name not in blocked and record.get(name):
                table[name] = copy.deepcopy(record[name])
                if name.endswith("_modalities") and "capabilities" not in blocked:
                    _implied_capabilities(table, name)
    values = reference_values(index, refs, mid, table)
    by_hand = curated_fields(over)
    names = set(values) | {name for model_id, name in choices if model_id == mid}
    chosen: list[str] = []
    for name in sorted(names):
        choice = choices.get((mid, name))
        if choice is None and is_curated(name, by_hand):
            continue  # set by hand in [models.<id>]: the curated value stays
        found = values.get(name, {})
        status, value = decide(found, choice)
        if status == "chosen" and value is not ABSENT:
            chosen.append(".".join(field_path(name)))
        if status in ("agree", "chosen", "stale"):
            if get_field(table, name) is None and value is not ABSENT:
                filled.append(f"{mid}: {name} {value} from {', '.join(sorted(found))}")
            set_field(table, name, copy.deepcopy(value))
            if name.endswith("_modalities") and "capabilities" not in blocked:
                _implied_capabilities(table, name)
        # 'unresolved' keeps the primary value; the cross-check reports it
    for set_name, fields in cur["meta"].get("fill", {}).items():
        record = index.match(set_name, mid, table)
        for name in fields if record is not None and "prices" not in blocked else ():
            if name.startswith("prices."):
                _fill_prices(mid, table, record, name, set_name, filled)  # type: ignore[arg-type]
                if table.get("prices", {}).get("batch") and "capabilities" not in blocked:
                    table["capabilities"] = sorted({*table.get("capabilities", []), "batch"})
    if "source_url" not in over:
        table["source_url"] = _source_url(table, maker)
    if maker.get("reseller") and "notes" not in over:
        table["notes"] = str(maker["reseller"])
    table["as_of"] = cur["meta"]["as_of"]
    life = table.get("lifecycle")
    if life is not None:
        table["lifecycle"] = {k: life[k] for k in LIFECYCLE_KEYS if k in life}
    hand = _curated_paths(table, over, chosen)
    if hand:
        table[BY_HAND] = hand


def _curated_paths(
    table: Mapping[str, Any], over: Mapping[str, Any], chosen: list[str]
) -> list[str]:
    """The fields the curation decided for this model, as `set_by_hand` paths: a value a
    [[choices]] entry keeps, and each value its [models.<id>] table sets (tables to their leaves,
    a list whole). An import into a user layer keeps them unless --overwrite, as it keeps a
    user's own `catalog set` values: a refresh cannot undo a recorded choice in silence."""

    def leaves(node: Mapping[str, Any], head: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
        for key, value in node.items():
            if isinstance(value, Mapping):
                yield from leaves(value, (*head, str(key)))
            else:
                yield (*head, str(key))

    def present(path: tuple[str, ...]) -> bool:
        node: Any = table
        for key in path:
            if not isinstance(node, Mapping) or key not in node:
                return False
            node = node[key]
        return True

    curated = [p for p in leaves(over, ()) if p[0] not in STEERING and present(p)]
    return sorted({*chosen, *(".".join(p) for p in curated)})


def _fill_prices(
    mid: str,
    table: dict[str, Any],
    record: Mapping[str, Any],
    name: str,
    set_name: str,
    filled: list[str],
) -> None:
    """Fill `prices.<table>` keys the primary lacks from the record, each only where the
    record's standard price of that key is the primary's."""
    sub = name.partition(".")[2]
    theirs = record.get("prices", {})
    ours = table.get("prices", {})
    extra = theirs.get(sub) if isinstance(theirs, dict) else None
    if not isinstance(extra, dict) or not isinstance(ours, dict):
        return
    for key, value in sorted(extra.items()):
        mine = key
        if key == "output" and table.get("type") == "image" and "output" not in ours:
            # genai-prices writes an image model's image-output price as its output price
            mine = "image_output"
        if (
            mine in ours.get(sub, {})
            or ours.get(mine) is None
            or not same(ours[mine], theirs.get(key))
        ):
            continue
        ours.setdefault(sub, {})[mine] = value
        filled.append(f"{mid}: {name}.{mine} {value} from {set_name}")
    if ours:
        table["prices"] = order_prices(ours)


# A snapshot's API name carries the day it was cut, a little before its release: a release date
# this long after a model's earliest dated name contradicts it.
RELEASE_AFTER_NAME = dt.timedelta(days=31)


def _release_date(
    mid: str, table: dict[str, Any], over: Mapping[str, Any], filled: list[str]
) -> list[str]:
    """A model whose own id is dated and that no data set dates is released on that day; a
    release date long after the model's earliest dated API name is a problem, unless curated."""
    named = sorted(d for n in (mid, *table.get("snapshots", [])) if (d := name_date(n)))
    release = table.get("release_date")
    own = name_date(mid)
    if release is None and own is not None and "release_date" not in over.get("unset", []):
        table["release_date"] = own
        filled.append(f"{mid}: release_date {own} from its dated id")
        return []
    if (
        named
        and release is not None
        and "release_date" not in over
        and release > named[0] + RELEASE_AFTER_NAME
    ):
        return [
            f"{mid}: release_date {release} is more than {RELEASE_AFTER_NAME.days} days "
            f"after its dated API name ({named[0]}); set release_date in the curation"
        ]
    return []


def _implied_capabilities(table: dict[str, Any], key: str) -> None:
    """The capabilities a filled modality list states (image input: vision, ...), added to the
    primary record's, so that the two facts agree as the catalog validation requires."""
    side = key.removesuffix("_modalities")
    listed = table.get(key, [])
    caps = set(table.get("capabilities", []))
    for capability, where, modality in MODALITY_CAPABILITIES:
        if where != side or modality not in listed:
            continue
        if capability == "image_generation" and table.get("type") != "image":
            continue  # image output on a text model is a hosted image tool
        caps.add(capability)
    if caps:
        table["capabilities"] = sorted(caps)


def _ordered(table: Mapping[str, Any]) -> dict[str, Any]:
    """Keys in the order docs/catalog.md lists them, so the file reads the same for every model."""
    out = {key: table[key] for key in (*MODEL_KEYS, BY_HAND) if key in table}
    if "prices" in out:
        out["prices"] = order_prices(out["prices"])
    return out


def _document(cur: Mapping[str, Any], models: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    makers = cur["makers"]
    used = sorted({t["provider"] for t in models.values()})
    return {
        "schema_version": 1,
        "generated": str(cur["meta"]["generated"]),
        "providers": {
            pid: {"name": str(makers[pid]["name"]), "url": str(makers[pid]["url"])} for pid in used
        },
        "models": {
            mid: _ordered(models[mid])
            for mid in sorted(models, key=lambda m: (models[m]["provider"], m))
        },
    }


__all__ = [
    "HEADER",
    "NO_SUCCESSOR",
    "Build",
    "build",
    "coverage_gaps",
    "default_paths",
    "deprecated",
    "load_curation",
    "priced",
    "provenance_problems",
    "render",
]
