"""The Typer application: the commands of one table, one boundary from errors to exit codes, and
one way to print a result (emit)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer._click import ClickException  # typer 0.28 vendors click (pinned in pyproject)
from typer._click import Command as ClickCommand
from typer._click import Context as ClickContext
from typer._click.exceptions import NoArgsIsHelpError, NoSuchOption
from typer.core import TyperGroup

from aicompare._entry import version as print_version
from aicompare.commands import COMMANDS
from aicompare.errors import AicompareError, CatalogError
from aicompare.render import OutputFormat, View
from aicompare.safe_text import visible

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


def report(error: AicompareError) -> None:
    """One `error:` line (or one per catalog problem) and a hint, on stderr.

    Messages carry catalog text and what the user typed (a model name, a path, a problem's key
    path): control and invisible characters in them are shown as escapes (safe_text.visible),
    here for every error, so no message can drive the terminal or fake a line of its own.
    """
    lines = error.problems if isinstance(error, CatalogError) else [error.message]
    if isinstance(error, CatalogError) and len(lines) > 1:
        sys.stderr.write(f"error: {visible(error.what)} has {len(lines)} problems:\n")
        for line in lines:
            sys.stderr.write(f"  {visible(line)}\n")
    else:
        sys.stderr.write(f"error: {visible(lines[0])}\n")
    if error.hint:
        sys.stderr.write(f"{visible(error.hint)}\n")


def report_usage(error: ClickException, where: ClickContext | None = None) -> NoReturn:
    """A usage error of the parser (no such option or command, a missing argument, a bad choice,
    a number out of range) or one a command raised (typer.BadParameter), in the tool's one form:
    `error: ...` and a hint line on stderr, exit 2 (the exception's code). The parser's message
    may quote what was typed: it is made visible like every error. A group run without a command
    (`aicompare catalog`) shows its help there instead, as click does.

    where: the group's context, for the command's name when the parser's error has none.
    """
    if isinstance(error, NoArgsIsHelpError):
        sys.stderr.write(error.format_message().rstrip("\n") + "\n")
        raise typer.Exit(error.exit_code)
    if isinstance(error, NoSuchOption):
        message, close = error.message, sorted(error.possibilities or ())
    else:
        message, close = error.format_message(), []
    head, did_you_mean, tail = message.partition(". Did you mean ")  # a command's typo
    if did_you_mean:
        message, close = head, [word.strip("'") for word in tail.rstrip("?").split(", ")]
    if message[:2].istitle():  # "No such option" -> "no such option", not "API" -> "aPI"
        message = message[0].lower() + message[1:]
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        command = ctx.command_path
    elif where is not None:
        command = " ".join(filter(None, (where.command_path, where.invoked_subcommand)))
    else:
        command = "aicompare"
    hint = f"did you mean: {', '.join(close)}?" if close else f"see: {command} --help"
    sys.stderr.write(f"error: {visible(message.rstrip('.'))}\n{visible(hint)}\n")
    raise typer.Exit(error.exit_code)


class _Commands(MutableMapping[str, ClickCommand]):
    """A group's commands, read from the table (commands.COMMANDS) and each built when first
    asked for: a run imports the module of its command only, while help, typo suggestions and
    shell completion, which go through every name, see them all.

    Ctrl-C needs no handling here: Typer ends a run it interrupts with exit 130, quietly, and
    _entry does the same for a Ctrl-C before or after it.
    """

    def __init__(self, words: str) -> None:
        self._prefix = f"{words} " if words else ""  # "" for the root, "catalog " for its group
        self._names = [
            key[len(self._prefix) :]
            for key in COMMANDS
            if key.startswith(self._prefix) and " " not in key[len(self._prefix) :]
        ]
        self._built: dict[str, ClickCommand] = {}

    def __getitem__(self, name: str) -> ClickCommand:
        command = self._built.get(name)
        if command is None:
            if name not in self._names:
                raise KeyError(name)
            command = self._built[name] = _build(self._prefix + name)
        return command

    def __contains__(self, name: object) -> bool:
        return name in self._names or name in self._built

    def __iter__(self) -> Iterator[str]:
        return iter([*self._names, *(n for n in self._built if n not in self._names)])

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __setitem__(self, name: str, command: ClickCommand) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


def _module(name: str) -> Any:
    # __import__ rather than importlib.import_module: `python -X importtime` lists what it loads
    return __import__(name, fromlist=["*"])


def _build(key: str) -> ClickCommand:
    """The click command of one table entry: a group (commands/catalog/) or a command module."""
    module = _module(f"aicompare.commands.{COMMANDS[key]}")
    name = key.rsplit(" ", 1)[-1]
    if any(other.startswith(f"{key} ") for other in COMMANDS):
        return AicompareGroup(
            words=key,
            name=name,
            help=module.HELP,
            no_args_is_help=True,
            rich_markup_mode=None,
            context_settings=HELP_OPTIONS,
        )
    from typer.main import get_command_from_info
    from typer.models import CommandInfo

    return get_command_from_info(
        CommandInfo(name=name, callback=module.command),
        pretty_exceptions_short=True,
        rich_markup_mode=None,
    )


class AicompareGroup(TyperGroup):
    """The root and the `catalog` group: commands from the table; domain errors become messages
    and exit codes, for every command."""

    def __init__(self, *, words: str = "", **settings: Any) -> None:
        super().__init__(**settings)
        self.commands = _Commands(words)

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return list(self.commands)  # the names, without building the commands

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: ClickContext | None = None,
        **extra: Any,
    ) -> ClickContext:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickException as error:
            report_usage(error)

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except AicompareError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except ClickException as error:
            report_usage(error, ctx)


app = typer.Typer(
    name="aicompare",
    cls=AicompareGroup,
    help="Compare AI models on specs and price, and price your workload on each. Offline.\n\n"
    "\b\nExamples:\n"
    "  aicompare diff gpt-image-1 o4-mini\n"
    "  aicompare cost o4-mini gpt-5-mini --tokens 5M\n"
    "  aicompare best --for image-generation\n"
    "  aicompare list --type image --json | jq -r '.models[].id'",
    epilog="Exit codes: 0 success, 1 runtime or data error, 2 usage error, 130 interrupted. "
    "A reader that stops early (| head) is not an error.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
    add_completion=True,
)


def _version(value: bool) -> None:
    # `aicompare --version` alone never gets here (_entry answers it before Typer loads); this is
    # the option in help, and --version among other root options
    if value:
        print_version()
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Compare AI models on specs and price, and price your workload on each. Offline."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()


# ---------------------------------------------------------------- output


def _function(reference: str) -> Any:
    """The function a View names as "module:function", imported now."""
    module, _, name = reference.partition(":")
    return getattr(_module(module), name)


def document(view: View, result: tuple[object, ...], as_of: dt.date) -> dict[str, Any]:
    """The result's JSON document: the one envelope, then the view's body."""
    from aicompare.render.documents import envelope

    return envelope(view.command, as_of, **_function(view.document)(*result))


def rendered(
    fmt: OutputFormat, view: View, *result: object, as_of: dt.date, encoding: str | None = None
) -> str:
    """The result as text in a format that is text (not the table): for stdout or a file.

    encoding: the output's; None for stdout's. CSV and Markdown put stand-ins for what it
    lacks, unless the view is data (an export), which keeps every character. CSV is the view's
    table of machine values (render.csv_views), Markdown its blocks.
    """
    if fmt is OutputFormat.json:
        import json

        return json.dumps(document(view, result, as_of), indent=2, ensure_ascii=False) + "\n"
    if fmt is OutputFormat.toml and view.toml is not None:
        from aicompare.store import dump_toml

        return dump_toml(_function(view.toml)(*result))
    if fmt is OutputFormat.html:
        from aicompare.render.html import page

        return page(document(view, result, as_of), encoding or sys.stdout.encoding)
    keep = "utf-8" if view.data else encoding
    if fmt is OutputFormat.csv and view.csv is not None:
        from aicompare.render.plain import to_csv

        return to_csv(_function(view.csv)(*result), keep)
    if fmt is OutputFormat.markdown and view.blocks is not None:
        from aicompare.render.plain import to_markdown

        return to_markdown(_function(view.blocks)(*result), keep)
    if fmt is OutputFormat.table and view.text is not None:
        text: str = _function(view.text)(*result)
        return text
    raise AssertionError(f"{view.command} has no {fmt.value} output")  # the options prevent it


def emit(
    fmt: OutputFormat, view: View, *result: object, as_of: dt.date, no_color: bool = False
) -> None:
    """Print a command's result on stdout in the format asked; the one way every command does.

    JSON goes through the one envelope (documents.envelope) and render.plain.write_json, a
    table through rich (imported here only), text through render.plain.write_text.
    """
    if fmt is OutputFormat.json:
        from aicompare.render.plain import write_json

        write_json(document(view, result, as_of))
    elif fmt is OutputFormat.table and view.blocks is not None:
        from aicompare.render.rich_table import print_blocks

        print_blocks(
            _function(view.blocks)(*result), no_color=no_color or bool(os.environ.get("NO_COLOR"))
        )
    elif fmt is OutputFormat.table:
        from aicompare.render.plain import write_text

        write_text(rendered(fmt, view, *result, as_of=as_of))
    else:
        sys.stdout.write(rendered(fmt, view, *result, as_of=as_of))


def emit_to(
    fmt: OutputFormat,
    view: View,
    *result: object,
    as_of: dt.date,
    out: Path | None,
    layers: Iterable[str | os.PathLike[str]] = (),
    no_color: bool = False,
) -> None:
    """emit, or with `out` the same text written to that file (store.atomic_write_text: a
    symbolic link is followed, a FIFO or device refused, the file replaced whole), no more
    readable than the least readable catalog layer in `layers`; `wrote FILE` on stderr."""
    if out is None:
        emit(fmt, view, *result, as_of=as_of, no_color=no_color)
        return
    if fmt is OutputFormat.table:
        raise typer.BadParameter(
            "the table is for the terminal: add --format html, json, csv or markdown",
            param_hint="'--out'",
        )
    from aicompare.safe_text import visible
    from aicompare.store import atomic_write_text, unreadable_bits, writable_target

    writable_target(out)
    text = rendered(fmt, view, *result, as_of=as_of, encoding="utf-8")
    atomic_write_text(out, text, backup=False, deny=unreadable_bits(layers))
    sys.stderr.write(f"wrote {visible(str(out))}\n")


def main() -> None:
    """Run the command line (the console script runs it through _entry.main)."""
    app(prog_name="aicompare")
