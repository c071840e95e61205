"""list, show and diff on the fixture catalog: exact figures, flags, output formats."""

from __future__ import annotations

import csv
import io


def test_list_table(cli) -> None:
    run = cli("list")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split() == [
        "id",
        "provider",
        "type",
        "context",
        "input",
        "output",
        "image",
        "status",
    ]
    row = next(line for line in lines if line.startswith("alpha-large"))
    assert row.split()[:6] == ["alpha-large", "Acme", "AI", "text", "1M", "$5.00"]
    old = next(line for line in lines if line.startswith("alpha-old"))
    assert "retired 2026-01-01; superseded by alpha-mini" in old
    pixel = next(line for line in lines if line.startswith("pixel-one"))
    assert "from $0.01/image" in pixel and "deprecated, shuts down 2027-03-01" in pixel
    assert "5 models" in run.stdout
    assert run.stderr == ""


def test_list_filters(cli) -> None:
    ids = lambda run: [m["id"] for m in run.json()["models"]]  # noqa: E731
    assert ids(cli("list", "--provider", "pixel", "--json")) == ["pixel-flat", "pixel-one"]
    assert ids(cli("list", "--type", "image", "--json")) == ["pixel-flat", "pixel-one"]
    assert ids(
        cli("list", "--capability", "function_calling", "--capability", "vision", "--json")
    ) == ["alpha-large"]
    assert ids(cli("list", "--current", "--json")) == ["alpha-large", "alpha-mini", "pixel-flat"]
    assert ids(cli("list", "--sort", "input", "--json"))[:3] == [
        "alpha-mini",
        "alpha-old",
        "alpha-large",
    ]
    assert ids(cli("list", "--sort", "context", "--json"))[0] == "alpha-large"


def test_list_unknown_provider(cli) -> None:
    run = cli("list", "--provider", "acmee")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == ["error: unknown provider 'acmee'", "did you mean: acme?"]


def test_list_bad_type_is_usage_error(cli) -> None:
    run = cli("list", "--type", "hologram")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "hologram" in run.stderr


def test_show_card(cli) -> None:
    run = cli("show", "alpha")
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    for text in (
        "Alpha Large (alpha-large)",
        "$5.00 per 1M tokens",
        "$10.00 per 1M tokens",
        "input tokens above 200,000",
        "batch input tokens",
        "1,000,000",
        "Long documents",
        "https://example.com/alpha",
        "2026-11-01",
        "alpha-large-2025-01-15",
    ):
        assert text in out, text


def test_show_image_grid_and_literal_markup(cli) -> None:
    run = cli("show", "pixel-one")
    assert run.exit_code == 0
    assert "weird[/]name (pixel-one)" in run.stdout
    grid = [line.split() for line in run.stdout.splitlines() if line.startswith(("low", "high"))]
    assert grid == [["low", "$0.01", "$0.015"], ["high", "$0.04", "$0.06"]]


def test_show_json(cli) -> None:
    doc = cli("show", "pixel-flat", "--json").json()
    assert doc["schema_version"] == 1
    assert doc["model"]["image_prices"] == {"any": {"any": "0.03"}}
    assert doc["model"]["prices"]["standard"] == {}


def test_diff_sentences(cli) -> None:
    run = cli("diff", "alpha-large", "alpha-mini")
    assert run.exit_code == 0, run.stderr
    assert "alpha-mini is 78% cheaper on input tokens ($1.10 vs $5.00 per 1M)." in run.stdout
    assert "alpha-mini is 78% cheaper on output tokens ($4.40 vs $20.00 per 1M)." in run.stdout
    assert (
        "alpha-large has the larger context window: 1,000,000 vs 200,000 tokens (5x alpha-mini's)."
        in run.stdout
    )
    assert "alpha-large and alpha-mini have the same output limit (64,000 tokens)." in run.stdout
    assert "★ marks the better value" in run.stdout
    input_row = next(line for line in run.stdout.splitlines() if line.startswith("input tokens"))
    assert input_row.split() == ["input", "tokens", "$5.00", "$1.10", "★"]


def test_diff_equal_and_missing_prices(cli) -> None:
    run = cli("diff", "alpha-mini", "alpha-old")
    assert "alpha-mini and alpha-old cost the same on input tokens ($1.10 per 1M)." in run.stdout
    assert "0% cheaper" not in run.stdout
    assert "- alpha-old was retired on 2026-01-01 (324 days ago).\n" in run.stdout
    assert (
        "alpha-old has been superseded by alpha-mini: for new builds, consider the newer model "
        "first." in run.stdout
    )
    run = cli("diff", "alpha-large", "alpha-mini")
    cached = next(line for line in run.stdout.splitlines() if line.startswith("cached input"))
    assert cached.split()[-2:] == ["$0.50", "n/a"]
    assert "$0.00" not in run.stdout
    assert "alpha-mini has no cached input tokens price in the catalog (n/a)" in run.stdout


def test_diff_kinds_and_lifecycle(cli) -> None:
    run = cli("diff", "pixel-one", "alpha-mini")
    assert (
        "These are different kinds of model: pixel-one is an image model and alpha-mini a text model, "
        "so they often complement each other rather than compete."
    ) in run.stdout
    assert (
        "pixel-one is deprecated and shuts down on 2027-03-01 (in 100 days); "
        "no successor is named yet."
    ) in run.stdout


def test_diff_three_models(cli) -> None:
    run = cli("diff", "alpha-large", "alpha-mini", "alpha-old", "--json")
    texts = [d["text"] for d in run.json()["differences"]]
    assert (
        "alpha-mini is the cheapest on output tokens, 78% cheaper than alpha-large ($4.40 vs $20.00 per 1M)."
        in texts
    )


def test_diff_needs_two_distinct_models(cli) -> None:
    run = cli("diff", "alpha-mini")
    assert run.exit_code == 2 and run.stdout == ""
    run = cli("diff", "alpha-mini", "Alpha Mini")
    assert run.exit_code == 2 and "the same model was given twice: alpha-mini" in run.stderr


def test_diff_unknown_model(cli) -> None:
    run = cli("diff", "alpha-mini", "alpah-mini")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "error: unknown model 'alpah-mini'",
        "did you mean: alpha-mini?",
    ]


def test_csv_and_markdown(cli) -> None:
    run = cli("list", "--format", "csv")
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0][:8] == [
        "id",
        "name",
        "provider",
        "type",
        "context_window",
        "max_input_tokens",
        "max_output_tokens",
        "input",
    ]
    assert rows[1][:8] == [
        "alpha-large",
        "Alpha Large",
        "acme",
        "text",
        "1000000",
        "",
        "64000",
        "5",
    ]
    md = cli("diff", "alpha-large", "alpha-mini", "--format", "markdown").stdout
    assert "| Prices (USD per 1M tokens) | input tokens | $5.00 | $1.10 ★ |" in md
    assert "- alpha-mini is 78% cheaper on input tokens ($1.10 vs $5.00 per 1M)." in md


def test_json_and_format_conflict(cli) -> None:
    run = cli("list", "--json", "--format", "csv")
    assert run.exit_code == 2 and run.stdout == ""


def test_as_of_changes_status(cli) -> None:
    doc = cli("show", "pixel-one", "--json", "--as-of", "2027-03-01", as_of=False).json()
    assert doc["model"]["status"] == "retired"
    doc = cli("show", "alpha-old", "--json", "--as-of", "2025-01-01", as_of=False).json()
    assert doc["model"]["status"] == "current"
    doc = cli("show", "alpha-old", "--json", "--as-of", "2025-07-01", as_of=False).json()
    assert doc["model"]["status"] == "deprecated"
    run = cli("list", "--as-of", "2025-13-01", as_of=False)
    assert run.exit_code == 2 and "--as-of" in run.stderr
