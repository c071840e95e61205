"""The Typer application: parse, call the domain, render once. One boundary turns errors into exit codes."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NoReturn, Optional

import typer
from typer._click import ClickException  # typer 0.28 vendors click (pinned in pyproject)
from typer.core import TyperGroup

from aicompare import __version__, stdout_guard
from aicompare.errors import AicompareError, CatalogError
from aicompare.render import OutputFormat
from aicompare.safe_text import visible

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def report(error: AicompareError) -> None:
    """One `error:` line (or one per catalog problem) and a hint, on stderr.

    Messages carry catalog text and what the user typed (a model name, a path, a problem's key
    path): control and invisible characters in them are shown as escapes (safe_text.visible),
    here for every error, so no message can drive the terminal or fake a line of its own.
    """
    lines = error.problems if isinstance(error, CatalogError) else [error.message]
    if isinstance(error, CatalogError) and len(lines) > 1:
        sys.stderr.write(f"error: the catalog has {len(lines)} problems:\n")
        for line in lines:
            sys.stderr.write(f"  {visible(line)}\n")
    else:
        sys.stderr.write(f"error: {visible(lines[0])}\n")
    if error.hint:
        sys.stderr.write(f"{visible(error.hint)}\n")


def _shown_safely(error: ClickException) -> ClickException:
    """A usage error of the parser (it may quote what was typed) with its text made visible."""
    error.message = visible(error.message)
    return error


class AicompareGroup(TyperGroup):
    """Turns domain errors and Ctrl-C into messages and exit codes, for every command."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickException as error:
            raise _shown_safely(error) from None

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AicompareError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except ClickException as error:
            raise _shown_safely(error) from None
        except KeyboardInterrupt:
            sys.stderr.write("\n")
            raise typer.Exit(EXIT_INTERRUPTED) from None


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
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"aicompare {__version__}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Compare AI models on specs and price, and price your workload on each. Offline."""
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(EXIT_OK)


# ---------------------------------------------------------------- shared options


def complete_model(incomplete: str) -> list[str]:
    """Shell completion of model ids; never fails."""
    try:
        from aicompare.loader import load_catalog

        catalog = load_catalog()
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    word = incomplete.casefold()
    return [m for m in catalog.models if m.casefold().startswith(word)]


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (see docs/json.md).")]
FormatOpt = Annotated[Optional[OutputFormat], typer.Option(
    "--format", "-f", help="Output format: table, json, csv or markdown.", case_sensitive=False)]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="Never use colour (NO_COLOR works too).")]
AsOfOpt = Annotated[Optional[str], typer.Option(
    "--as-of", metavar="DATE", help="Judge lifecycle status as of this date (YYYY-MM-DD); default today.")]
CatalogOpt = Annotated[Optional[list[str]], typer.Option(
    "--catalog", metavar="PATH", help="Extra catalog layer over the bundled one (repeatable).")]


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint="'--as-of'") from None


def output_format(json_flag: bool, fmt_opt: OutputFormat | None) -> OutputFormat:
    if json_flag and fmt_opt not in (None, OutputFormat.json):
        raise typer.BadParameter("--json and --format other than json cannot be combined",
                                 param_hint="'--json'")
    return OutputFormat.json if json_flag else (fmt_opt or OutputFormat.table)


def load(catalog_paths: Sequence[str] | None) -> Any:
    from aicompare.loader import load_catalog

    return load_catalog(catalog_paths or ())


def emit(fmt_: OutputFormat, *, document: Callable[[], dict[str, Any]],
         blocks: Callable[[], Sequence[Any]], no_color: bool) -> None:
    """The one dispatch between JSON, CSV, Markdown and rich tables; rich is imported only here."""
    if fmt_ is OutputFormat.json:
        from aicompare.render.plain import write_json

        write_json(document())
    elif fmt_ is OutputFormat.csv:
        from aicompare.render.plain import to_csv

        sys.stdout.write(to_csv(blocks()))
    elif fmt_ is OutputFormat.markdown:
        from aicompare.render.plain import to_markdown

        sys.stdout.write(to_markdown(blocks()))
    else:
        from aicompare.render.rich_table import print_blocks

        print_blocks(blocks(), no_color=no_color or bool(os.environ.get("NO_COLOR")))


def fail_usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=f"'{param}'")


# Which command modules a first argument needs. Building every command's options costs Typer
# several milliseconds per command, so a run registers only the one it is about to use.
COMMAND_MODULES = {
    "list": ("browse",), "show": ("models",), "diff": ("models",), "cost": ("cost",), "best": ("best",),
    "catalog": ("catalog_cmd", "catalog_edit", "catalog_io", "catalog_build"),
}


def register(argv: Sequence[str]) -> None:
    """Import the command modules this command line needs (all of them for help, typos, completion)."""
    import importlib

    first = argv[0] if argv else None
    needed = COMMAND_MODULES.get(first or "")
    if needed is None or any(k.startswith("_AICOMPARE_COMPLETE") for k in os.environ):
        from aicompare.commands import load_all

        load_all()
        return
    for name in needed:
        importlib.import_module(f"aicompare.commands.{name}")
    # A module may define several commands (show, diff); Typer builds every registered one
    # on each run, so keep just the one asked for.
    app.registered_commands = [c for c in app.registered_commands if c.name == first]


def main() -> None:
    """Console-script entry point: quiet on Ctrl-C and on a closed pipe; a failed write is an error."""
    sink = stdout_guard.guard()
    try:
        register(sys.argv[1:])
        app(prog_name="aicompare")
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        sys.exit(EXIT_INTERRUPTED)
    finally:
        if not stdout_guard.finish(sink):
            raise SystemExit(EXIT_ERROR)
