"""`catalog import --from csv`: benchmark scores from the user, exact, checked line by line."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from aicompare.errors import CatalogError
from aicompare.importers import UNKNOWN_MODEL, Skip, import_file
from aicompare.importers.benchmarks_csv import attach
from tests.conftest import AS_OF

HEADER = "model,benchmark,score,source\n"


def write(tmp_path: Path, text: str, name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_scores_are_exact_decimals_grouped_by_model(tmp_path: Path) -> None:
    import datetime as dt

    path = write(
        tmp_path,
        "Source,Model,Score,Benchmark\n"  # any order, any case
        "https://a.example/1,alpha-large,71.20,swe-bench\n"
        "https://a.example/2,alpha-large,0.1000000000000000055511151231257827,mmlu\n"
        "\n"
        "https://a.example/3,alpha-mini,55,swe-bench\n",
    )
    result = import_file("csv", path, as_of=dt.date.fromisoformat(AS_OF))
    assert result.models == {
        "alpha-large": {
            "benchmarks": {
                "swe-bench": {"score": Decimal("71.20"), "source": "https://a.example/1"},
                "mmlu": {
                    "score": Decimal("0.1000000000000000055511151231257827"),
                    "source": "https://a.example/2",
                },
            }
        },
        "alpha-mini": {
            "benchmarks": {"swe-bench": {"score": Decimal("55"), "source": "https://a.example/3"}}
        },
    }


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        (
            "model,score,source\nalpha-large,1,x\n",
            [
                "1: expected a header row naming the columns model, benchmark, score, source; "
                "got 'model', 'score', 'source'"
            ],
        ),
        (
            "alpha-large,swe-bench,71,https://x\n",  # no header row
            [
                "1: expected a header row naming the columns model, benchmark, score, source; "
                "got 'alpha-large', 'swe-bench', '71', 'https://x'"
            ],
        ),
        (
            HEADER + "alpha-large,swe-bench,71\n",
            ["2: expected 4 cells, got 3"],
        ),
        (
            HEADER
            + "alpha-large,swe-bench,seventy,https://x\n"
            + "alpha-large,mmlu,NaN,https://x\n"
            + "alpha-large,gpqa,-1,https://x\n"
            + "alpha-large,arc,1e10,https://x\n"
            + ",arc,1,https://x\n"
            + "alpha-mini,has space,1,https://x\n"
            + "alpha-mini,swe-bench,1,\n",
            [
                "2: score 'seventy' is not a number",
                "3: score 'NaN' is not a finite number",
                "4: score '-1' is negative",
                "5: score '1e10' is implausibly large",
                "6: model: empty",
                "7: benchmark: 'has space' is not a benchmark name (letters, digits and . _ / + -, "
                "starting with a letter or digit, at most 64)",
                "8: source: empty",
            ],
        ),
        (
            HEADER + "alpha-large,swe-bench,71,https://x\nALPHA-LARGE,swe-bench,72,https://y\n",
            ["3: a second swe-bench score for ALPHA-LARGE (the first is on line 2)"],
        ),
    ],
)
def test_errors_name_every_bad_line(tmp_path: Path, text: str, problems: list[str]) -> None:
    path = write(tmp_path, text)
    with pytest.raises(CatalogError) as err:
        import_file("csv", path, as_of=__import__("datetime").date(2026, 11, 21))
    assert err.value.problems == [f"{path}:{p}" for p in problems]


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ('=HYPERLINK("http://evil")', "source"),
        ("+1+1", "source"),
        ("@SUM(A1)", "source"),
        ("-2+3", "source"),
        ("=cmd|' /C calc'!A0", "model"),
        ("=1+1", "benchmark"),
        ("\t=1+1", "source"),
    ],
)
def test_formula_looking_cells_are_refused(tmp_path: Path, cell: str, column: str) -> None:
    row = {"model": "alpha-large", "benchmark": "swe-bench", "score": "71", "source": "https://x"}
    row[column] = cell
    quoted = '"' + cell.replace('"', '""') + '"'
    line = ",".join(quoted if key == column else row[key] for key in row)
    path = write(tmp_path, HEADER + line + "\n")
    with pytest.raises(CatalogError) as err:
        import_file("csv", path, as_of=__import__("datetime").date(2026, 11, 21))
    assert (
        f"{path}:2: {column}: {cell!r} begins like a spreadsheet formula (=, +, -, @); refused"
    ) in err.value.problems


def test_attach_keys_scores_by_catalog_id_and_lists_unknown_models() -> None:
    names = {"alpha": "alpha-large", "alpha-large": "alpha-large"}
    kept, skipped = attach(
        {
            "alpha": {"benchmarks": {"a": {"score": Decimal(1), "source": "s"}}},
            "alpha-large": {"benchmarks": {"a": {"score": Decimal(2), "source": "s"}}},
            "nobody": {"benchmarks": {"a": {"score": Decimal(3), "source": "s"}}},
        },
        names.get,
    )
    assert kept == {"alpha-large": {"benchmarks": {"a": {"score": Decimal(1), "source": "s"}}}}
    assert skipped == [
        Skip(
            "alpha-large: a",
            "a second a score for alpha-large, under another of its names",
            "a second score for the same model under another of its names",
        ),
        Skip("nobody", f"{UNKNOWN_MODEL} (1 score)", UNKNOWN_MODEL),
    ]


def test_import_through_the_cli_counts_and_lists_unknown_models(cli, tmp_path: Path) -> None:
    layer = tmp_path / "layer.toml"
    path = write(
        tmp_path,
        HEADER
        + "alpha,swe-bench,71.5,https://a.example/1\n"  # an alias of alpha-large
        + "alpha-mini,swe-bench,80,https://a.example/2\n"
        + "ghost-1,swe-bench,99,https://a.example/3\n"
        + "ghost-2,swe-bench,98,https://a.example/4\n",
    )
    run = cli("catalog", "import", "--from", "csv", str(path), "--into", str(layer))
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[1:] == [
        "  added 0, updated 2, unchanged 0, refused 0, kept 0, skipped 2",
        "skipped, by reason:",
        f"    2  {UNKNOWN_MODEL}",
        "not in the catalog: ghost-1, ghost-2",
    ]
    written = tomllib.loads(layer.read_text("utf-8"), parse_float=Decimal)
    assert written["models"] == {
        "alpha-large": {
            "benchmarks": {"swe-bench": {"score": Decimal("71.5"), "source": "https://a.example/1"}}
        },
        "alpha-mini": {
            "benchmarks": {"swe-bench": {"score": Decimal("80"), "source": "https://a.example/2"}}
        },
    }
    doc = cli("catalog", "import", "--from", "csv", str(path), "--into", str(layer), "--json")
    assert doc.json()["skipped"] == [
        {"key": "ghost-1", "reason": f"{UNKNOWN_MODEL} (1 score)"},
        {"key": "ghost-2", "reason": f"{UNKNOWN_MODEL} (1 score)"},
    ]
    # the scores now rank a task, from the user's layer
    best = cli("best", "--for", "chat", "--rank-by", "benchmark:swe-bench", "--catalog", str(layer))
    assert best.exit_code == 0, best.stderr
    assert (
        "alpha-mini is the top pick for chat. Of the 2 that qualify, it has the highest swe-bench "
        "score of the 2 with one (80, source: https://a.example/2). The swe-bench score decided "
        "the pick."
    ) in " ".join(best.stdout.split())


def test_bad_file_is_an_error_with_lines_and_nothing_is_written(cli, tmp_path: Path) -> None:
    layer = tmp_path / "layer.toml"
    path = write(tmp_path, HEADER + "alpha-large,swe-bench,71,=1+1\nalpha-mini,x,lots,y\n")
    run = cli("catalog", "import", "--from", "csv", str(path), "--into", str(layer))
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "error: the scores file has 2 problems:",
        f"  {path}:2: source: '=1+1' begins like a spreadsheet formula (=, +, -, @); refused",
        f"  {path}:3: score 'lots' is not a number",
        "fix the lines named; nothing was imported",
    ]
    assert not layer.exists()


def test_provider_filter_is_refused_not_ignored(cli, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "alpha-large,swe-bench,71,https://x\n")
    layer = tmp_path / "layer.toml"
    run = cli(
        "catalog", "import", "--from", "csv", str(path), "--provider", "acme", "--into", str(layer)
    )
    assert run.exit_code == 2
    assert run.stderr.splitlines()[0] == "error: --provider does not apply to --from csv"
    assert not layer.exists()
