"""The catalog filters `list` and `cost` take (filters.Filters in the domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from aicompare.commands.options import choice
from aicompare.model import CAPABILITIES, MODEL_TYPES

if TYPE_CHECKING:
    from aicompare.filters import Filters

ProviderOpt = Annotated[
    str | None,
    typer.Option("--provider", "-p", metavar="PROVIDER", help="Only this maker (e.g. openai)."),
]
TypeOpt = Annotated[
    str | None,
    typer.Option("--type", "-t", help="Only this kind of model.", click_type=choice(MODEL_TYPES)),
]
# What `cost` (browsing) and `best` offer by default: filters.buyable; each flag lets one group in.
AnyStatusOpt = Annotated[
    bool, typer.Option("--any-status", help="Also rank deprecated and retired models.")
]
IncludePreviewOpt = Annotated[
    bool, typer.Option("--include-preview", help="Also rank preview and experimental models.")
]
IncludeFreeOpt = Annotated[
    bool,
    typer.Option("--include-free", help="Also rank free (every price $0, rate-limited) tiers."),
]
CapabilityOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--capability",
        "-c",
        help="Only models with this capability (repeatable: all must hold).",
        click_type=choice(CAPABILITIES),
    ),
]
CurrentOpt = Annotated[bool, typer.Option("--current", help="Hide deprecated and retired models.")]


def filters(
    provider: str | None, mtype: str | None, capabilities: list[str] | None, current: bool
) -> Filters:
    from aicompare.filters import Filters

    return Filters(provider, mtype, tuple(capabilities or ()), current)
