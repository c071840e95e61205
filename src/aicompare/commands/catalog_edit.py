"""`aicompare catalog path|set|add|remove`: the layers in effect and safe edits of a layer."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from aicompare.cli import CatalogOpt, JsonOpt, complete_model, load
from aicompare.commands.catalog_cmd import catalog_app
from aicompare.errors import AicompareError, UsageError
from aicompare.fields import parse_assignment, parse_field, parse_price
from aicompare.render.plain import write_text

IntoOpt = Annotated[Optional[Path], typer.Option(
    "--into", metavar="PATH", help="The layer file to write; default: your file in the config directory.")]
SetOpt = Annotated[Optional[list[str]], typer.Option(
    "--set", metavar="FIELD=VALUE", help="Any field, e.g. prices.image_output=30 or image_prices.medium.1024x1024=0.04 (repeatable).")]
UnsetOpt = Annotated[Optional[list[str]], typer.Option(
    "--unset", metavar="FIELD", help="Remove a field from the layer, so the value below shows again (repeatable).")]
PriceOpt = Optional[str]


def target_path(into: Path | None) -> Path:
    """The layer file to edit: --into, else the user's file. A directory, FIFO, socket or device
    (also behind a symbolic link) is refused here, before anything is read or created."""
    from aicompare import store
    from aicompare.loader import user_path

    path = into if into is not None else user_path()
    store.writable_target(path)
    return path


def collect_fields(*, input_: PriceOpt, cached_input: PriceOpt, output: PriceOpt, batch_input: PriceOpt,
                   batch_output: PriceOpt, context_window: Optional[str], max_output: Optional[str],
                   name: Optional[str], note: Optional[str], superseded_by: Optional[str],
                   shutdown_date: Optional[str], assignments: list[str], unsets: list[str]) -> dict[str, Any]:
    """Named options and --set/--unset as one dict of dotted field -> typed value (None unsets)."""
    fields: dict[str, Any] = {}
    for option, path, text in (("--input", "prices.input", input_), ("--cached-input", "prices.cached_input", cached_input),
                               ("--output", "prices.output", output), ("--batch-input", "prices.batch.input", batch_input),
                               ("--batch-output", "prices.batch.output", batch_output)):
        if text is not None:
            fields[path] = parse_price(text, option)
    for option, path, text in (("--context-window", "context_window", context_window),
                               ("--max-output", "max_output_tokens", max_output),
                               ("--shutdown-date", "lifecycle.shutdown_date", shutdown_date)):
        if text is not None:
            fields[path] = parse_field(path, text, option)
    for path, value in (("name", name), ("notes", note), ("lifecycle.superseded_by", superseded_by)):
        if value is not None:
            fields[path] = value
    for item in assignments:
        path, value = parse_assignment(item)
        fields[path] = value
    for path in unsets:
        fields[path.strip()] = None
    return fields


def _shown(value: Any) -> Any:
    from aicompare.render.documents import jsonable

    return None if value is None else jsonable(value)


def _finish(action: str, model_id: str, path: Path, fields: dict[str, Any], json_: bool) -> None:
    if json_:
        from aicompare.render.plain import write_json

        write_json({"schema_version": 1, "command": f"catalog {action}", "model": model_id, "layer": str(path),
                    "fields": {k: _shown(v) for k, v in fields.items()}})
        return
    write_text(f"{action}: {model_id} in {path}\n")
    for key, value in fields.items():
        write_text(f"  {key} = {'(unset)' if value is None else _shown(value)}\n")


# Shared field options of `set` and `add`, defined once.
InputOpt = Annotated[PriceOpt, typer.Option("--input", help="USD per 1M input tokens.")]
CachedOpt = Annotated[PriceOpt, typer.Option("--cached-input", help="USD per 1M cached input tokens.")]
OutputOpt = Annotated[PriceOpt, typer.Option("--output", help="USD per 1M output tokens.")]
BatchInOpt = Annotated[PriceOpt, typer.Option("--batch-input", help="Batch API USD per 1M input tokens.")]
BatchOutOpt = Annotated[PriceOpt, typer.Option("--batch-output", help="Batch API USD per 1M output tokens.")]
ContextOpt = Annotated[Optional[str], typer.Option("--context-window", help="Context window in tokens.")]
MaxOutOpt = Annotated[Optional[str], typer.Option("--max-output", help="Max output tokens.")]
NameOpt = Annotated[Optional[str], typer.Option("--name", help="Display name.")]
NoteOpt = Annotated[Optional[str], typer.Option("--note", help="Free text, e.g. 'negotiated 2026-11'.")]
SuccessorOpt = Annotated[Optional[str], typer.Option("--superseded-by", help="Id of the successor model.")]
ShutdownOpt = Annotated[Optional[str], typer.Option("--shutdown-date", help="YYYY-MM-DD the API stops serving it.")]


@catalog_app.command("path")
def path_cmd(json_: JsonOpt = False, catalog_paths: CatalogOpt = None) -> None:
    """List the catalog layers in effect, lowest first, and whether each exists.

    \b
    Examples:
      aicompare catalog path
      AICOMPARE_CATALOG=team.toml aicompare catalog path --json
    """
    from aicompare.loader import layer_list

    layers = layer_list(catalog_paths or ())
    if json_:
        from aicompare.render.plain import write_json

        write_json({"schema_version": 1, "command": "catalog path",
                    "layers": [{"kind": l.kind, "path": l.path, "exists": l.exists} for l in layers]})
        return
    for layer in layers:
        write_text(f"{layer.kind:8} {'exists ' if layer.exists else 'missing'}  {layer.path}\n")


@catalog_app.command("set")
def set_cmd(
    model: Annotated[str, typer.Argument(help="Model id or name.", autocompletion=complete_model)],
    input_: InputOpt = None, cached_input: CachedOpt = None, output: OutputOpt = None,
    batch_input: BatchInOpt = None, batch_output: BatchOutOpt = None, context_window: ContextOpt = None,
    max_output: MaxOutOpt = None, name: NameOpt = None, note: NoteOpt = None,
    superseded_by: SuccessorOpt = None, shutdown_date: ShutdownOpt = None,
    assignments: SetOpt = None, unsets: UnsetOpt = None, into: IntoOpt = None,
    json_: JsonOpt = False, catalog_paths: CatalogOpt = None,
) -> None:
    """Override fields of a model in your layer (a negotiated price, a note).

    \b
    Examples:
      aicompare catalog set gpt-4.1-mini --input 0.90 --output 3.60 --note "negotiated 2026-11"
      aicompare catalog set gpt-image-1 --set image_prices.medium.1024x1024=0.035
      aicompare catalog set gpt-4.1-mini --unset prices.input
    """
    fields = collect_fields(input_=input_, cached_input=cached_input, output=output, batch_input=batch_input,
                            batch_output=batch_output, context_window=context_window, max_output=max_output,
                            name=name, note=note, superseded_by=superseded_by, shutdown_date=shutdown_date,
                            assignments=assignments or [], unsets=unsets or [])
    if not fields:
        raise UsageError("nothing to set", "give at least one field option, e.g. --input 0.90 or --set FIELD=VALUE")
    model_id = load(catalog_paths).resolve(model).id
    path = target_path(into)
    from aicompare import store

    store.edit_layer(path, lambda doc: store.set_fields(doc, model_id, fields))
    _finish("set", model_id, path, fields, json_)


@catalog_app.command("add")
def add_cmd(
    model_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the new model.")],
    provider: Annotated[str, typer.Option("--provider", help="Maker id, e.g. acme.")],
    type_: Annotated[str, typer.Option("--type", help="text, image, embedding, audio, moderation, video or rerank.")],
    input_: InputOpt = None, cached_input: CachedOpt = None, output: OutputOpt = None,
    batch_input: BatchInOpt = None, batch_output: BatchOutOpt = None, context_window: ContextOpt = None,
    max_output: MaxOutOpt = None, name: NameOpt = None, note: NoteOpt = None,
    superseded_by: SuccessorOpt = None, shutdown_date: ShutdownOpt = None,
    assignments: SetOpt = None, into: IntoOpt = None, json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Add a private model to your layer.

    \b
    Examples:
      aicompare catalog add acme-llm --provider acme --type text --input 0.50 --output 1.50 --context-window 128000
      aicompare catalog add acme-draw --provider acme --type image --set image_prices.standard.1024x1024=0.02
    """
    fields = collect_fields(input_=input_, cached_input=cached_input, output=output, batch_input=batch_input,
                            batch_output=batch_output, context_window=context_window, max_output=max_output,
                            name=name, note=note, superseded_by=superseded_by, shutdown_date=shutdown_date,
                            assignments=assignments or [], unsets=[])
    fields = {"provider": provider, "type": type_, **fields}
    catalog = load(catalog_paths)
    if model_id.casefold() in {m.casefold() for m in catalog.models}:
        raise AicompareError(f"model {model_id!r} is already in the catalog",
                             f"change it with: aicompare catalog set {model_id} ...")
    path = target_path(into)
    from aicompare import store

    def mutate(doc: dict[str, Any]) -> None:
        store.add_model(doc, model_id, {})
        store.set_fields(doc, model_id, fields)
        doc["models"][model_id].setdefault("as_of", dt.date.today())

    store.edit_layer(path, mutate)
    _finish("added", model_id, path, fields, json_)


@catalog_app.command("remove")
def remove_cmd(
    model_id: Annotated[str, typer.Argument(metavar="ID", help="Id of the model in your layer.",
                                            autocompletion=complete_model)],
    into: IntoOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Remove a model's entry from your layer (the bundled catalog is never changed).

    \b
    Examples:
      aicompare catalog remove acme-llm
      aicompare catalog remove gpt-4.1-mini   # drops your override; the bundled entry shows again
    """
    path = target_path(into)
    if not os.path.isfile(path):  # not Path.is_file, which raises for a name too long
        raise AicompareError(f"{path}: no such layer file", "nothing to remove; see: aicompare catalog path")
    from aicompare import store

    removed = store.edit_layer(path, lambda doc: store.remove_model(doc, model_id))
    _finish("removed", model_id, path, {key: None for key in removed}, json_)
