"""The `catalog` commands' results: JSON bodies, plain text, and the export's table."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aicompare.render.documents import jsonable, model_full

if TYPE_CHECKING:
    from aicompare.catalog import Catalog, Layer
    from aicompare.importers import Skip
    from aicompare.loader import Validation
    from aicompare.model import Model
    from aicompare.refresh import RefreshReport, Refusal


# ---------------------------------------------------------------- path, validate


def path_document(layers: Sequence[Layer]) -> dict[str, Any]:
    return {
        "layers": [
            {"kind": layer.kind, "path": layer.path, "exists": layer.exists} for layer in layers
        ]
    }


def path_text(layers: Sequence[Layer]) -> str:
    return "".join(
        f"{layer.kind:8} {'exists ' if layer.exists else 'missing'}  {layer.path}\n"
        for layer in layers
    )


def validate_document(result: Validation) -> dict[str, Any]:
    return {
        "valid": not result.problems,
        "layers": list(result.layers),
        "models": result.models,
        "problems": result.problems,
    }


def validate_text(result: Validation) -> str:
    layers = result.layers
    return (
        f"ok: {result.models} models in {len(layers)} layer{'s' if len(layers) != 1 else ''} "
        f"({', '.join(layers)})\n"
    )


# ---------------------------------------------------------------- set, add, remove


def _shown(value: object) -> Any:
    return None if value is None else jsonable(value)


def edit_document(model_id: str, path: Path, fields: Mapping[str, object]) -> dict[str, Any]:
    return {
        "model": model_id,
        "layer": str(path),
        "fields": {key: _shown(value) for key, value in fields.items()},
    }


def _edit_text(action: str, model_id: str, path: Path, fields: Mapping[str, object]) -> str:
    lines = [f"{action}: {model_id} in {path}"]
    lines += [
        f"  {key} = {'(unset)' if value is None else _shown(value)}"
        for key, value in fields.items()
    ]
    return "\n".join(lines) + "\n"


def set_text(model_id: str, path: Path, fields: Mapping[str, object]) -> str:
    return _edit_text("set", model_id, path, fields)


def add_text(model_id: str, path: Path, fields: Mapping[str, object]) -> str:
    return _edit_text("added", model_id, path, fields)


def remove_text(model_id: str, path: Path, fields: Mapping[str, object]) -> str:
    return _edit_text("removed", model_id, path, fields)


# ---------------------------------------------------------------- import


def import_document(
    source: str,
    file: Path,
    path: Path,
    dry_run: bool,
    report: RefreshReport,
    skipped: Sequence[Skip],
    notes: Sequence[object],
) -> dict[str, Any]:
    return {
        "source": source,
        "file": str(file),
        "layer": str(path),
        "dry_run": dry_run,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "not_added": report.not_added,
        "changes": [
            {"model": c.model, "field": c.field, "from": _shown(c.old), "to": _shown(c.new)}
            for c in report.changes
        ],
        "refused": [
            {
                "model": r.model,
                "field": r.field,
                "value": _shown(r.value),
                "reason": _refusal(r),
                "catalog": _shown(r.catalog),
            }
            for r in report.refused
        ],
        "kept": [
            {
                "model": k.model,
                "field": k.field,
                "value": _shown(k.value),
                "source": _shown(k.source),
            }
            for k in report.kept
        ],
        "skipped": [{"key": s.key, "reason": s.reason} for s in skipped],
        "notes": [str(n) for n in notes],
    }


UNKNOWN_SHOWN = 20
# Refusals of models the catalog has are all listed; those of new models up to this many.
NEW_REFUSALS_SHOWN = 20
ADDED_SHOWN = 20


def _value(value: object) -> str:
    """A value as a line of the summary shows it: prices with at least two decimals (2.50)."""
    if value is None:
        return "(none)"
    if isinstance(value, Decimal) and value.is_finite():
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            value = value.quantize(Decimal("0.01"))
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + "}"
    return str(jsonable(value))


def _refusal(refusal: Refusal) -> str:
    if refusal.catalog is None:
        return refusal.reason
    detail = f" {refusal.detail}" if refusal.detail else ""
    return f"{refusal.reason} at {_value(refusal.catalog)}{detail}"


def _by_reason(skipped: Sequence[Skip], limit: int = 12) -> list[str]:
    counts = Counter(s.group for s in skipped).most_common()
    lines = [f"{count:>5}  {reason}" for reason, count in counts[:limit]]
    if len(counts) > limit:
        lines.append(
            f"{sum(c for _, c in counts[limit:]):>5}  other reasons (--json lists every one)"
        )
    return lines


def _more(shown: int, total: int) -> str:
    return f"  and {total - shown} more (--json lists every one)\n" if total > shown else ""


def import_text(
    source: str,
    file: Path,
    path: Path,
    dry_run: bool,
    report: RefreshReport,
    skipped: Sequence[Skip],
    notes: Sequence[Any],
) -> str:
    verb = "would import" if dry_run else "imported"
    refused_models = len({r.model for r in report.refused})
    text = (
        f"{verb} {source} {file} into {path}:\n"
        f"  added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}, refused {len(report.refused)}, "
        f"kept {len(report.kept)}, skipped {len(skipped)}\n"
    )
    if report.refused:
        text += (
            f"refused {len(report.refused)} suspicious prices of {refused_models} models "
            f"({len(report.not_added)} new models not added: every price refused):\n"
        )
        known = set(report.updated) | set(report.unchanged)
        old = [r for r in report.refused if r.model in known]
        new = [r for r in report.refused if r.model not in known]
        shown = old + new[:NEW_REFUSALS_SHOWN]
        text += "".join(
            f"  {r.model} {r.field} {_value(r.value)} refused: {_refusal(r)}\n" for r in shown
        )
        text += _more(len(shown), len(report.refused))
    if report.kept:
        text += f"kept {len(report.kept)} values set by hand (--overwrite replaces them):\n"
        text += "".join(
            f"  {k.model} {k.field} kept {_value(k.value)} (set by hand); "
            f"the source says {_value(k.source)}\n"
            for k in report.kept
        )
    if dry_run and report.changes:
        text += f"would change {len(report.changes)} fields of {len(report.updated)} models:\n"
        text += "".join(
            f"  {c.model} {c.field} {_value(c.old)} -> {_value(c.new)}\n" for c in report.changes
        )
    if dry_run and report.added:
        text += (
            f"would add {len(report.added)} models: "
            f"{', '.join(report.added[:ADDED_SHOWN])}\n" + _more(ADDED_SHOWN, len(report.added))
        )
    if skipped:
        text += "skipped, by reason:\n" + "\n".join(_by_reason(skipped)) + "\n"
    from aicompare.importers import UNKNOWN_MODEL

    unknown = [s.key for s in skipped if s.kind == UNKNOWN_MODEL]
    if unknown:
        shown_names = ", ".join(unknown[:UNKNOWN_SHOWN])
        more = len(unknown) - UNKNOWN_SHOWN
        text += f"not in the catalog: {shown_names}" + (
            f" and {more} more (--json lists every one)\n" if more > 0 else "\n"
        )
    if notes:
        kinds = Counter(n.kind for n in notes)
        text += f"not representable in the catalog ({len(notes)} notes; --json lists them):\n"
        text += "\n".join(f"{c:>5}  {k}" for k, c in kinds.most_common()) + "\n"
    return text


# ---------------------------------------------------------------- build


def build_document(
    out: Path, outcome: str, counts: Mapping[str, int], checked: int, agreeing: int, curated: int
) -> dict[str, Any]:
    return {
        "file": str(out),
        "outcome": outcome,
        **counts,
        "cross_check": {"checked": checked, "agreeing": agreeing, "curated": curated},
    }


# ---------------------------------------------------------------- export


def export_document(catalog: Catalog, today: dt.date, models: Sequence[Model]) -> dict[str, Any]:
    return {"models": [model_full(m, today, catalog) for m in models]}


def export_toml(catalog: Catalog, today: dt.date, models: Sequence[Model]) -> dict[str, Any]:
    from aicompare.export import catalog_document

    return catalog_document(catalog, models)
