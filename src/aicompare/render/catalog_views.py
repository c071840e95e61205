"""The `catalog` commands' results: JSON bodies, plain text, and the export's table."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aicompare.render.documents import jsonable, model_full

if TYPE_CHECKING:
    from aicompare.catalog import Catalog, Layer
    from aicompare.importers import Skip
    from aicompare.loader import Validation
    from aicompare.model import Model
    from aicompare.store import MergeReport


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
    report: MergeReport,
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
        "skipped": [{"key": s.key, "reason": s.reason} for s in skipped],
        "notes": [str(n) for n in notes],
    }


UNKNOWN_SHOWN = 20


def _by_reason(skipped: Sequence[Skip], limit: int = 12) -> list[str]:
    counts = Counter(s.group for s in skipped).most_common()
    lines = [f"{count:>5}  {reason}" for reason, count in counts[:limit]]
    if len(counts) > limit:
        lines.append(
            f"{sum(c for _, c in counts[limit:]):>5}  other reasons (--json lists every one)"
        )
    return lines


def import_text(
    source: str,
    file: Path,
    path: Path,
    dry_run: bool,
    report: MergeReport,
    skipped: Sequence[Skip],
    notes: Sequence[Any],
) -> str:
    verb = "would import" if dry_run else "imported"
    text = (
        f"{verb} {source} {file} into {path}:\n"
        f"  added {len(report.added)}, updated {len(report.updated)}, "
        f"unchanged {len(report.unchanged)}, skipped {len(skipped)}\n"
    )
    if skipped:
        text += "skipped, by reason:\n" + "\n".join(_by_reason(skipped)) + "\n"
    from aicompare.importers import UNKNOWN_MODEL

    unknown = [s.key for s in skipped if s.kind == UNKNOWN_MODEL]
    if unknown:
        shown = ", ".join(unknown[:UNKNOWN_SHOWN])
        more = len(unknown) - UNKNOWN_SHOWN
        text += f"not in the catalog: {shown}" + (
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
