"""Baseline for the benchmarks: the smallest useful Typer program.

One command with one typed option, nothing else imported. Run with the same interpreter and
environment as aicompare, it measures what Python + Typer (+ Click) cost before any
application code runs:

    .venv/bin/python bench/hello_typer.py --name World
"""

from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def hello(name: Annotated[str, typer.Option(help="Who to greet.")] = "World") -> None:
    """Print a greeting."""
    print(f"Hello {name}")


if __name__ == "__main__":
    app()
