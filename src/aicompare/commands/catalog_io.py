"""`aicompare catalog import|export`: public data sets into a layer, the merged catalog out."""

from __future__ import annotations

import copy
import datetime as dt
import os
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from aicompare.cli import CatalogOpt, JsonOpt, load
from aicompare.commands.catalog_cmd import catalog_app
from aicompare.commands.catalog_edit import IntoOpt, target_path
from aicompare.importers import FORMATS, Skip
from aicompare.render.plain import write_text



# The --from choices: the importers' registry, read without importing any importer.
Source = Enum("Source", {name: name for name in FORMATS}, type=str)  # type: ignore[misc]


class ExportFormat(str, Enum):
    toml = "toml"
    json = "json"
    csv = "csv"


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
            self.progress = Progress(console=make_console(no_color=False, file=sys.stderr), transient=True)
            self.progress.start()
            self.task = self.progress.add_task("importing", total=total)

    def step(self, text: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, advance=1, description=text)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def drop_clashes(models: dict[str, dict[str, Any]], catalog: Any) -> tuple[dict[str, dict[str, Any]], list[Skip]]:
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
            skipped.append(Skip(model_id, f"the name is already an alias or snapshot of {holder}",
                                "the name is already an alias or snapshot of another model"))
            continue
        table = dict(table)
        for kind in ("aliases", "snapshots"):
            names = table.get(kind)
            if isinstance(names, list):
                table[kind] = [n for n in names if (owner(n) or model_id).casefold() == model_id.casefold()]
                if not table[kind]:
                    del table[kind]
        kept[model_id] = table
    return kept, skipped


def _summary(skipped: list[Skip], limit: int = 12) -> list[str]:
    counts = Counter(s.group for s in skipped).most_common()
    lines = [f"{count:>5}  {reason}" for reason, count in counts[:limit]]
    if len(counts) > limit:
        lines.append(f"{sum(c for _, c in counts[limit:]):>5}  other reasons (--json lists every one)")
    return lines


@catalog_app.command("import")
def import_cmd(
    source: Annotated[Source, typer.Option("--from", help="Format of FILE: litellm, models.dev or genai-prices.",
                                           case_sensitive=False)],
    file: Annotated[Path, typer.Argument(help="The data file (e.g. LiteLLM's model_prices_and_context_window.json).")],
    provider: Annotated[Optional[str], typer.Option("--provider", help="Only this provider's models.")] = None,
    only_new: Annotated[bool, typer.Option("--only-new", help="Add new models; leave existing entries alone.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; write nothing.")] = False,
    into: IntoOpt = None,
    json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Import a public price list into a catalog layer (your file by default).

    \b
    Examples:
      aicompare catalog import --from litellm model_prices_and_context_window.json
      aicompare catalog import --from models.dev catalog.json --provider anthropic --only-new
      aicompare catalog import --from genai-prices data.json --dry-run
    """
    from aicompare import store
    from aicompare.importers import import_file
    from aicompare.loader import read_document

    stages = _Stages(total=4, quiet=json_)
    try:
        stages.step("reading and converting")
        result = import_file(source.value, file, provider=provider, as_of=dt.date.today())
        stages.step("checking names")
        models, clashes = drop_clashes(result.models, load(catalog_paths))
        path = target_path(into)
        stages.step("merging" if not dry_run else "comparing")
        if dry_run:
            doc = read_document(path)[0] if os.path.isfile(path) else store.empty_document()
            report = store.merge_models(copy.deepcopy(doc), models, only_new=only_new)
        else:
            report = store.edit_layer(path, lambda doc: store.merge_models(doc, models, only_new=only_new))
        stages.step("done")
    finally:
        stages.close()
    skipped = result.skipped + clashes + [Skip(key, reason) for key, reason in report.skipped]
    if json_:
        from aicompare.render.plain import write_json

        write_json({"schema_version": 1, "command": "catalog import", "source": source.value, "file": str(file),
                    "layer": str(path), "dry_run": dry_run, "added": report.added, "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped": [{"key": s.key, "reason": s.reason} for s in skipped],
                    "notes": [str(n) for n in result.notes]})
        return
    verb = "would import" if dry_run else "imported"
    write_text(f"{verb} {source.value} {file} into {path}:\n")
    write_text(f"  added {len(report.added)}, updated {len(report.updated)}, unchanged {len(report.unchanged)}, "
               f"skipped {len(skipped)}\n")
    if skipped:
        write_text("skipped, by reason:\n" + "\n".join(_summary(skipped)) + "\n")
    if result.notes:
        kinds = Counter(n.kind for n in result.notes)
        write_text(f"not representable in the catalog ({len(result.notes)} notes; --json lists them):\n")
        write_text("\n".join(f"{c:>5}  {k}" for k, c in kinds.most_common()) + "\n")


@catalog_app.command("export")
def export_cmd(
    format_: Annotated[ExportFormat, typer.Option("--format", "-f", help="toml, json or csv.",
                                                  case_sensitive=False)] = ExportFormat.toml,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Write the merged catalog (every layer applied) as TOML, JSON or CSV.

    \b
    Examples:
      aicompare catalog export > everything.toml
      aicompare catalog export --format csv -o models.csv
      aicompare catalog export --format json | jq '.models | length'
    """
    if output is not None:
        from aicompare.store import writable_target

        writable_target(output)  # a FIFO, a device...: refused before any work, nothing created
    catalog = load(catalog_paths)
    today = dt.date.today()
    if format_ is ExportFormat.toml:
        from aicompare.export import catalog_document
        from aicompare.store import dump_toml

        text = dump_toml(catalog_document(catalog))
    elif format_ is ExportFormat.json:
        import json

        from aicompare.render.documents import envelope, model_full

        text = json.dumps(envelope("catalog export", today, models=[model_full(m, today, catalog) for m in catalog.models.values()]),
                          indent=2, ensure_ascii=False) + "\n"
    else:
        text = _csv(catalog, today)
    if output is None:
        sys.stdout.write(text)
        return
    from aicompare.store import atomic_write_text, unreadable_bits

    # no more readable than the least readable layer it holds (docs/catalog.md)
    deny = unreadable_bits(layer.path for layer in catalog.layers if layer.exists)
    atomic_write_text(output, text, backup=False, deny=deny)
    sys.stderr.write(f"wrote {len(catalog)} models to {output}\n")


def _csv(catalog: Any, today: dt.date) -> str:
    """The merged catalog as CSV. Text columns go through csv_text (a cell that begins like a
    formula gets a ', control characters are shown as escapes); the numeric columns (counts,
    exact prices, dates) are written as they are."""
    import csv
    import io

    from aicompare.fmt import dec
    from aicompare.render.plain import csv_text

    columns = ["id", "name", "provider", "type", "context_window", "max_output_tokens", "input", "cached_input",
               "output", "batch_input", "batch_output", "image_from", "status", "shutdown_date", "superseded_by",
               "source_url", "as_of"]
    text_columns = [name in ("id", "name", "provider", "type", "status", "superseded_by", "source_url")
                    for name in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for m in catalog.models.values():
        def price(key: str, batch: bool = False) -> str:
            value = m.price(key, batch=batch)
            return "" if value is None else dec(value)
        row = [m.id, m.name, m.provider, m.type, m.context_window or "", m.max_output_tokens or "",
               price("input"), price("cached_input"), price("output"), price("input", True),
               price("output", True), "" if m.cheapest_image is None else dec(m.cheapest_image),
               m.status(today).value, m.lifecycle.shutdown_date or "", m.superseded_by or "",
               m.source_url or "", m.as_of or ""]
        writer.writerow([csv_text(str(value)) if text else value for value, text in zip(row, text_columns)])
    return buffer.getvalue()



