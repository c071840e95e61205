"""`aicompare catalog import`: a public data set into a layer.

The module is `import_`, not `import`: a keyword can name no module in an import statement."""

from __future__ import annotations

import copy
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import CatalogOpt, JsonOpt, load, output_format
from aicompare.commands.options.edits import IntoOpt, target_path
from aicompare.importers import FORMATS, Skip
from aicompare.render import View

if TYPE_CHECKING:
    from aicompare.catalog import Catalog

# The --from choices: the importers' registry, read without importing any importer.
Source = Enum("Source", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]

VIEW = View(
    "catalog import",
    document="aicompare.render.catalog_views:import_document",
    text="aicompare.render.catalog_views:import_text",
)


class _Stages:
    """A progress bar on stderr, only when stderr is a terminal and the run is not `--json`
    (quiet: a --json run leaves stderr empty on success); otherwise silent."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.progress: Any = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            from aicompare.render.rich_table import make_console

            # make_console, not Console(): it never lets rich parse COLUMNS/LINES itself (a
            # 5000-digit COLUMNS made rich raise before the import started)
            self.progress = Progress(
                console=make_console(no_color=False, file=sys.stderr), transient=True
            )
            self.progress.start()
            self.task = self.progress.add_task("importing", total=total)

    def step(self, text: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=text)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def drop_clashes(
    models: dict[str, dict[str, Any]], catalog: Catalog
) -> tuple[dict[str, dict[str, Any]], list[Skip]]:
    """Leave out imported names that already belong to another model of the catalog in effect."""

    def owner(name: str) -> str | None:
        # the catalog's own index of ids, aliases and snapshots (no model is built for this)
        ids = catalog.exact_index.get(name.casefold())
        return ids[0] if ids else None

    kept: dict[str, dict[str, Any]] = {}
    skipped: list[Skip] = []
    for model_id, table in models.items():
        holder = owner(model_id)
        if holder is not None and holder.casefold() != model_id.casefold():
            skipped.append(
                Skip(
                    model_id,
                    f"the name is already an alias or snapshot of {holder}",
                    "the name is already an alias or snapshot of another model",
                )
            )
            continue
        table = dict(table)
        for kind in ("aliases", "snapshots"):
            names = table.get(kind)
            if isinstance(names, list):
                table[kind] = [
                    n for n in names if (owner(n) or model_id).casefold() == model_id.casefold()
                ]
                if not table[kind]:
                    del table[kind]
        kept[model_id] = table
    return kept, skipped


def _known_models(
    fmt: str, models: dict[str, dict[str, Any]], catalog: Catalog
) -> tuple[dict[str, dict[str, Any]], list[Skip]]:
    """Benchmark scores (`--from csv`) attach to models the catalog has, by any of their names;
    the others are listed as skipped. Price lists bring whole models and pass as they are."""
    if fmt != "csv":
        return models, []
    from aicompare.importers.benchmarks_csv import attach

    def owner(name: str) -> str | None:
        ids = catalog.exact_index.get(name.casefold())
        return ids[0] if ids else None

    return attach(models, owner)


def _providers(text: str | None) -> list[str]:
    """`--providers a,b` as a list (order kept, duplicates dropped); UsageError when empty."""
    if text is None:
        return []
    names = list(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    if not names:
        from aicompare.errors import UsageError

        raise UsageError(
            f"invalid value for --providers: {text!r}", "name providers separated by commas"
        )
    return names


def command(
    source: Annotated[
        Source,
        typer.Option(
            "--from",
            help="Format of FILE: litellm, models.dev, genai-prices, or csv (benchmark scores: "
            "model,benchmark,score,source).",
            case_sensitive=False,
        ),
    ],
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The data file (e.g. LiteLLM's model_prices_and_context_window.json).",
        ),
    ],
    providers: Annotated[
        str | None,
        typer.Option(
            "--providers",
            "--provider",
            metavar="A,B",
            help="Only these providers' records, as the data set names them (comma-separated).",
        ),
    ] = None,
    update_only: Annotated[
        bool,
        typer.Option(
            "--update-only", help="Only update models the catalog has; add none (others skipped)."
        ),
    ] = False,
    only_new: Annotated[
        bool, typer.Option("--only-new", help="Add new models; leave the catalog's alone.")
    ] = False,
    exclude_resellers: Annotated[
        bool,
        typer.Option(
            "--exclude-resellers",
            help="Leave out records sold by a reseller, not by the model's maker (litellm).",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace values set by hand (catalog set/add) too."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what would change, field by field; write nothing."),
    ] = False,
    into: IntoOpt = None,
    json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Import a public price list into a catalog layer (your file by default), safely.

    A $0 price is refused where the catalog prices the field or the source does not mark the model
    free, and so is a price 10 times off the catalog's; values set by hand (catalog set/add) are
    kept unless --overwrite. Both are listed.

    \b
    Examples:
      aicompare catalog import --from litellm model_prices_and_context_window.json --dry-run
      aicompare catalog import --from litellm model_prices_and_context_window.json --update-only
      aicompare catalog import --from models.dev catalog.json --providers anthropic,openai
      aicompare catalog import --from csv scores.csv
    """
    from aicompare import refresh, store
    from aicompare.errors import UsageError
    from aicompare.loader import layer_list, read_document

    if update_only and only_new:
        raise UsageError(
            "--update-only and --only-new exclude each other", "give one of them, or neither"
        )
    if exclude_resellers and source.value != "litellm":
        raise UsageError(
            f"--exclude-resellers is defined for --from litellm only, not {source.value}",
            "choose the maker's records with --providers",
        )
    names = _providers(providers)
    stages = _Stages(total=4, quiet=json_)
    try:
        stages.step("reading and converting")
        result = refresh.convert(source.value, file, names, as_of=utc_today())
        stages.step("checking names")
        catalog = load(catalog_paths)
        models, unknown = _known_models(source.value, result.models, catalog)
        models, clashes = drop_clashes(models, catalog)
        resold: list[Skip] = []
        if exclude_resellers:
            models, resold = refresh.drop_resellers(source.value, models)
        path = target_path(into)
        paths = [layer.path for layer in layer_list(catalog_paths or []) if layer.exists]
        others = [refresh.models_of(read_document(p)[0]) for p in refresh.other_layers(paths, path)]
        rules = refresh.Rules(
            update_only=update_only, only_new=only_new, overwrite=overwrite, source=source.value
        )
        stages.step("merging" if not dry_run else "comparing")
        if dry_run:
            doc = read_document(path)[0] if os.path.isfile(path) else store.empty_document()
            report = refresh.refresh(copy.deepcopy(doc), models, others, rules)
        else:
            report = store.edit_layer(path, lambda doc: refresh.refresh(doc, models, others, rules))
        stages.step("done")
    finally:
        stages.close()
    skipped = (
        result.skipped
        + unknown
        + clashes
        + resold
        + [Skip(key, reason) for key, reason in report.skipped]
    )
    emit(
        output_format(json_, None),
        VIEW,
        source.value,
        file,
        path,
        dry_run,
        report,
        skipped,
        result.notes,
        as_of=utc_today(),
    )
