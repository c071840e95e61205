"""`aicompare catalog ...`: validate and inspect the catalog layers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from aicompare.cli import AicompareGroup, CatalogOpt, JsonOpt, app
from aicompare.errors import CatalogError
from aicompare.render.plain import write_text

catalog_app = typer.Typer(
    cls=AicompareGroup,
    help=("Validate, inspect, edit, import and export the catalog.\n\n\b\nExamples:\n"
          "  aicompare catalog path\n"
          "  aicompare catalog validate ~/.config/aicompare/models.toml\n"
          "  aicompare catalog set gpt-4.1-mini --input 0.90 --note \"negotiated\"\n"
          "  aicompare catalog import --from litellm model_prices_and_context_window.json"),
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("validate")
def validate(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Catalog files to check as layers over the bundled catalog; default: every layer in effect.",
        metavar="[PATH...]")] = None,
    json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Check catalog files and report every problem at once (exit 1 if any).

    \b
    Examples:
      aicompare catalog validate
      aicompare catalog validate ~/.config/aicompare/models.toml
      aicompare catalog validate data/models.toml --json
    """
    from aicompare.catalog import Layer
    from aicompare.loader import build_catalog, bundled_path, layer_list, read_document

    if paths:
        bundled = bundled_path()
        # os.path.isfile, not Path.is_file: a name the OS refuses (too long) is "no file" here,
        # and reading it then reports the error like any other unreadable path
        chosen = [Layer("option", str(p), os.path.isfile(p)) for p in paths]
        same = any(os.path.isfile(p) and p.resolve() == bundled.resolve() for p in paths)
        layers = chosen if same else [Layer("bundled", str(bundled), bundled.is_file()), *chosen]
    else:
        layers = [layer for layer in layer_list(catalog_paths or ()) if layer.exists or layer.kind != "user"]
    problems: list[str] = []
    documents = []
    for layer in layers:
        try:
            doc, text = read_document(layer.path)
        except CatalogError as exc:
            problems.extend(exc.problems)
            continue
        documents.append((layer, doc, text))
    count = 0
    if not problems:
        try:
            count = len(build_catalog(documents, tuple(layers)))
        except CatalogError as exc:
            problems.extend(exc.problems)
    checked = [layer.path for layer in layers]
    if json_:
        from aicompare.render.plain import write_json

        write_json({"schema_version": 1, "command": "catalog validate", "valid": not problems,
                    "layers": checked, "models": count, "problems": problems})
        if problems:
            raise typer.Exit(1)
        return
    if problems:
        raise CatalogError(problems, "fix these entries; the format is in docs/catalog.md")
    write_text(f"ok: {count} models in {len(checked)} layer{'s' if len(checked) != 1 else ''} "
                     f"({', '.join(checked)})\n")
