"""`aicompare catalog remove`: a model's entry out of a layer."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import JsonOpt, complete_model, output_format
from aicompare.commands.options.edits import IntoOpt, target_path
from aicompare.errors import AicompareError
from aicompare.render import View

# The document's `command` has always been "catalog removed" (docs/json.md).
VIEW = View(
    "catalog removed",
    document="aicompare.render.catalog_views:edit_document",
    text="aicompare.render.catalog_views:remove_text",
)


def command(
    model_id: Annotated[
        str,
        typer.Argument(
            metavar="MODEL", help="Id of the model in your layer.", autocompletion=complete_model
        ),
    ],
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
        raise AicompareError(
            f"{path}: no such layer file", "nothing to remove; see: aicompare catalog path"
        )
    from aicompare import store

    removed = store.edit_layer(path, lambda doc: store.remove_model(doc, model_id))
    emit(
        output_format(json_, None),
        VIEW,
        model_id,
        path,
        dict.fromkeys(removed),
        as_of=utc_today(),
    )
