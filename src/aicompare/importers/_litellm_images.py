"""Fold LiteLLM's per-image keys (`[provider/]<quality>/<W>-x-<H>/<model>`) into a base grid."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from aicompare.importers import Skip
from aicompare.importers._common import money, skip
from aicompare.model import ANY

SIZE_SEGMENT = re.compile(r"^([1-9][0-9]*)-x-([1-9][0-9]*)$")
# Bedrock Stable Diffusion keys put the step count after the size: 1024-x-1024/50-steps/<model>.
STEPS_SEGMENT = re.compile(r"^(?:\d+|max)-steps$")
# Keys without a real quality tier; gpt-image-1.5 repeats its low price under them.
LOW_ALIASES = (None, "standard")


@dataclass(frozen=True)
class Cell:
    """One parsed per-image key."""

    key: str
    base: str
    quality: str | None
    size: str
    usd: Decimal


def is_keyed(key: str) -> bool:
    """True for a key that encodes an image size (`.../1024-x-1536/...`)."""
    return any(SIZE_SEGMENT.match(part) for part in key.split("/"))


def parse(key: str, rec: Mapping[str, Any], models: Mapping[str, Mapping[str, Any]]) -> Cell | str:
    """A per-image key -> its cell of a base model's grid, or the reason it cannot be one."""
    parts = key.split("/")
    index = next(i for i, part in enumerate(parts) if SIZE_SEGMENT.match(part))
    width, height = SIZE_SEGMENT.match(parts[index]).groups()  # type: ignore[union-attr]
    prefix, rest = parts[:index], parts[index + 1 :]
    provider = str(rec["litellm_provider"])
    lead = prefix.pop(0) if len(prefix) == 2 or (prefix and prefix[0] == provider) else None
    if len(prefix) > 1:
        return "unrecognised per-image key"
    quality = prefix[0] if prefix else None
    if rest and STEPS_SEGMENT.match(rest[0]):
        steps = rest.pop(0)
        quality = f"{quality}-{steps}" if quality else steps
    model = "/".join(rest)
    if not model:
        return "unrecognised per-image key"
    # The OpenAI keys keep the per-image price in input_cost_per_image (a LiteLLM quirk).
    field = "output_cost_per_image" if "output_cost_per_image" in rec else "input_cost_per_image"
    usd = money(rec.get(field))
    if usd is None:
        if "input_cost_per_pixel" in rec or "output_cost_per_pixel" in rec:
            return "only a per-pixel price (per-pixel prices are not converted)"
        return "no per-image price"
    candidates = [f"{lead}/{model}"] if lead else []
    candidates += [model, f"{provider}/{model}", model.removeprefix(f"{provider}/")]
    base = next(
        (
            name
            for name in dict.fromkeys(candidates)
            if name in models and models[name].get("provider") == provider
        ),
        None,
    )
    if base is None:
        return f"per-image price without a base model entry ({candidates[0]})"
    return Cell(key, base, quality, f"{int(width)}x{int(height)}", usd)


def fold(
    keyed: Sequence[tuple[str, Mapping[str, Any]]],
    models: dict[str, dict[str, Any]],
    skipped: list[Skip],
) -> None:
    """Merge per-image keys into their base model's `image_prices`; every key lands in skipped."""
    cells: list[Cell] = []
    for key, rec in keyed:
        parsed = parse(key, rec, models)
        if isinstance(parsed, str):
            skipped.append(skip(key, parsed, parsed.split(" (")[0]))
        else:
            cells.append(parsed)
    grids: dict[str, dict[str, dict[str, Decimal]]] = {}
    # Real qualities first, so a "standard" or bare key can be checked against the low row.
    for cell in sorted(cells, key=lambda c: (c.quality in LOW_ALIASES, c.key)):
        grid = grids.setdefault(cell.base, {})
        if cell.quality in LOW_ALIASES and grid.get("low", {}).get(cell.size) == cell.usd:
            skipped.append(
                skip(
                    cell.key,
                    f"duplicates the low-quality price of {cell.base}",
                    "duplicates the low-quality price of its base model",
                )
            )
            continue
        row = grid.setdefault(cell.quality or ANY, {})
        if cell.size in row:
            skipped.append(
                skip(
                    cell.key,
                    f"second price for the same cell of {cell.base}",
                    "second price for the same image cell",
                )
            )
            continue
        row[cell.size] = cell.usd
        skipped.append(
            skip(
                cell.key,
                f"per-image price folded into {cell.base}",
                "per-image price folded into its base model",
            )
        )
    for base, grid in grids.items():
        table = models[base]
        flat = table.get("image_prices", {}).get(ANY, {}).get(ANY)
        merged = {quality: dict(sorted(sizes.items())) for quality, sizes in sorted(grid.items())}
        # A flat price that is one of the cells is the source's default-request fallback.
        if flat is not None and all(flat != usd for row in grid.values() for usd in row.values()):
            merged.setdefault(ANY, {})[ANY] = flat
        if merged:
            table["image_prices"] = merged
