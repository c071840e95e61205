"""What users read about prices over time: `show --history`, diff's sentence on a recent or
announced change, and `aicompare changes`. Every test writes its own periods in a user layer, so
none depends on the bundled catalog's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from aicompare.history import KindChange, percent_words
from aicompare.render.history_views import bar

LAYER = """schema_version = 1
[models.alpha-mini]
source_url = "https://example.com/base"

[[models.alpha-mini.price_periods]]
from = 2001-01-01
source = "https://example.com/cut"
prices = { input = 2.00, output = 8.00 }

[[models.alpha-mini.price_periods]]
from = 2001-03-01
source = "https://example.com/cut2"
prices = { input = 1.50, output = 8.00, cached_input = 0.30 }

[[models.alpha-mini.price_periods]]
from = 2999-01-01
source = "https://example.com/announced"
prices = { input = 1.80, output = 9.60, cached_input = 0.36 }
"""


@pytest.fixture
def layer(tmp_path: Path) -> str:
    path = tmp_path / "periods.toml"
    path.write_text(LAYER)
    return str(path)


# --- percentages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "text"),
    [
        ("2", "1.5", "-25%"),
        ("1.5", "1.8", "+20%"),
        ("1.10", "2", "+81.8%"),  # 81.8181...
        ("3", "2", "-33.3%"),
        ("3", "4", "+33.3%"),
        ("8", "9.6", "+20%"),
        ("0.6", "0.61", "+1.7%"),  # 1.666... rounds half up to 1.7
        ("1000", "1000.5", "+0.1%"),  # 0.05 exactly: half up
        ("1000", "1000.4", "+<0.1%"),
        ("1", "3", "+200%"),
    ],
)
def test_a_change_is_whole_where_exact_else_to_one_decimal(old: str, new: str, text: str) -> None:
    assert percent_words(Decimal(old), Decimal(new)) == text


def test_json_percent_is_exact_to_two_places() -> None:
    change = KindChange("input", Decimal("1.10"), Decimal(2))
    assert change.percent == Decimal("81.82")
    assert KindChange("input", None, Decimal(1)).percent is None


def test_bars_scale_to_the_highest_price_in_eighths() -> None:
    assert bar(Decimal(2), Decimal(2), width=4) == "████"
    assert bar(Decimal(1), Decimal(2), width=4) == "██"
    assert bar(Decimal("0.5625"), Decimal(2), width=4) == "█▏"  # 9 eighths
    assert bar(Decimal("0.0001"), Decimal(2), width=4) == "▏"  # never invisible
    assert bar(Decimal(0), Decimal(2), width=4) == ""


# --- show --history -----------------------------------------------------------------------------

HISTORY_TABLE = """\
Alpha Mini (alpha-mini): prices over time (USD)
from        last day    in force   input  cached input  output  source
-           2000-12-31  past       $1.10             -   $4.40  https://example.com/base
2001-01-01  2001-02-28  past       $2.00             -   $8.00  https://example.com/cut
2001-03-01  2998-12-31  now        $1.50         $0.30   $8.00  https://example.com/cut2
2999-01-01  -           announced  $1.80         $0.36   $9.60  https://example.com/announced
"""

INPUT_CHART = """\
input (USD per 1M tokens)
  until 2000-12-31          $1.10  ███████████████████▊
  2001-01-01 to 2001-02-28  $2.00  ████████████████████████████████████
  2001-03-01 to 2998-12-31  $1.50  ███████████████████████████
  from 2999-01-01           $1.80  ████████████████████████████████▍
"""

CACHED_CHART = """\
cached input (USD per 1M tokens)
  until 2000-12-31              -
  2001-01-01 to 2001-02-28      -
  2001-03-01 to 2998-12-31  $0.30  ██████████████████████████████
  from 2999-01-01           $0.36  ████████████████████████████████████
"""


def test_show_history_prints_the_periods_and_a_chart_per_kind(cli, layer) -> None:
    run = cli(
        "show", "alpha-mini", "--history", "--catalog", layer, "--as-of", "2001-03-15", as_of=False
    )
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith(HISTORY_TABLE)
    assert INPUT_CHART in run.stdout
    assert CACHED_CHART in run.stdout
    assert "output (USD per 1M tokens)" in run.stdout
    assert run.stdout.endswith(
        "A period applies from 00:00 UTC on its first day through its last day; now: the one "
        "in force on 2001-03-15.\n"
    )
    assert run.stderr == ""


def test_show_history_fits_80_columns(cli, layer, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    run = cli(
        "show", "alpha-mini", "--history", "--catalog", layer, "--as-of", "2001-03-15", as_of=False
    )
    assert run.exit_code == 0
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    assert "2001-03-01  2998-12-31  now" in run.stdout
    assert "https://example.com/announced" not in run.stdout  # the source gives way, cut


def test_show_history_of_a_model_without_periods_is_one_row_and_no_chart(cli) -> None:
    run = cli("show", "alpha-large", "--history")
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[2].split()[:3] == ["-", "-", "now"]
    assert "(USD per 1M tokens)" not in run.stdout
    doc = cli("show", "alpha-large", "--history", "--json").json()
    (period,) = doc["model"]["price_periods"]
    assert period["from"] is None and period["to"] is None and period["current"] is True
    assert period["prices"]["standard"] == {"input": "5", "cached_input": "0.5", "output": "20"}
    assert period["prices"]["batch"]["input"] == "2.5"
    assert period["source"] == "https://example.com/alpha"


def test_show_history_json_lists_the_periods_exactly(cli, layer) -> None:
    run = cli(
        "show",
        "alpha-mini",
        "--history",
        "--json",
        "--catalog",
        layer,
        "--as-of",
        "2001-03-15",
        as_of=False,
    )
    assert run.exit_code == 0 and run.stderr == ""
    doc = run.json()
    periods = doc["model"]["price_periods"]
    assert [(p["from"], p["to"], p["current"], p["announced"], p["source"]) for p in periods] == [
        (None, "2001-01-01", False, False, "https://example.com/base"),
        ("2001-01-01", "2001-03-01", False, False, "https://example.com/cut"),
        ("2001-03-01", "2999-01-01", True, False, "https://example.com/cut2"),
        ("2999-01-01", None, False, True, "https://example.com/announced"),
    ]
    assert [p["prices"]["standard"] for p in periods] == [
        {"input": "1.1", "output": "4.4"},
        {"input": "2", "output": "8"},
        {"input": "1.5", "cached_input": "0.3", "output": "8"},
        {"input": "1.8", "cached_input": "0.36", "output": "9.6"},
    ]
    # the model itself is at the period in force on --as-of
    assert doc["model"]["prices"]["standard"]["input"] == "1.5"
    # without --history the document is unchanged
    plain = cli("show", "alpha-mini", "--json", "--catalog", layer, as_of=False).json()
    assert "price_periods" not in plain["model"]


def test_show_history_as_csv_is_a_usage_error(cli, layer) -> None:
    run = cli("show", "alpha-mini", "--history", "--format", "csv", "--catalog", layer)
    assert run.exit_code == 2
    assert run.stderr.startswith("error: invalid value for '--history': --history is shown as")


def test_offer_periods_show_in_the_history(cli, tmp_path) -> None:
    path = tmp_path / "offer.toml"
    path.write_text(
        "schema_version = 1\n"
        '[models.alpha-mini.offers.cloud]\nseller = "cloud"\nprices = { input = 1.00 }\n'
        "[[models.alpha-mini.offers.cloud.price_periods]]\nfrom = 2001-01-01\n"
        "prices = { input = 0.50 }\n"
    )
    run = cli("show", "alpha-mini", "--history", "--catalog", str(path))
    assert "alpha-mini@cloud: prices over time (USD)" in run.stdout
    assert "2001-01-01  -           now       $0.50  n/a" in run.stdout
    doc = cli("show", "alpha-mini", "--history", "--json", "--catalog", str(path)).json()
    (offer,) = doc["model"]["offers"]
    assert [p["prices"]["standard"]["input"] for p in offer["price_periods"]] == ["1", "0.5"]


# --- diff ---------------------------------------------------------------------------------------


def _sentences(cli, layer: str, as_of: str) -> list[str]:
    run = cli(
        "diff",
        "alpha-mini",
        "alpha-large",
        "--catalog",
        layer,
        "--as-of",
        as_of,
        "--json",
        as_of=False,
    )
    assert run.exit_code == 0, run.stderr
    return [d["text"] for d in run.json()["differences"] if d["kind"] == "price_change"]


def test_diff_tells_of_recent_and_announced_changes(cli, layer) -> None:
    assert _sentences(cli, layer, "2001-03-15") == [
        "alpha-mini's prices changed on 2001-01-01 (+81.8%).",
        "alpha-mini's input and cached input prices changed on 2001-03-01 "
        "(input -25%; cached input newly priced).",
        "alpha-mini's prices change on 2999-01-01 (in 364439 days: +20%).",
    ]
    # 90 days after the 2001-03-01 change it is still told, 91 days after it is not
    assert len(_sentences(cli, layer, "2001-05-30")) == 2
    assert _sentences(cli, layer, "2001-05-31") == [
        "alpha-mini's prices change on 2999-01-01 (in 364362 days: +20%)."
    ]
    assert _sentences(cli, layer, "2998-12-27") == [
        "alpha-mini's prices change on 2999-01-01 (in 5 days: +20%)."
    ]
    assert _sentences(cli, layer, "2999-01-01") == [
        "alpha-mini's prices changed on 2999-01-01 (+20%)."
    ]
    # before any change the next one only
    assert _sentences(cli, layer, "2000-06-01") == [
        "alpha-mini's prices change on 2001-01-01 (in 214 days: +81.8%)."
    ]


def test_diff_json_carries_the_change_facts(cli, layer) -> None:
    run = cli(
        "diff",
        "alpha-mini",
        "alpha-large",
        "--catalog",
        layer,
        "--as-of",
        "2001-03-15",
        "--json",
        as_of=False,
    )
    changes = [d for d in run.json()["differences"] if d["kind"] == "price_change"]
    assert changes[0]["values"] == ["2001-01-01", ["input", "1.1", "2"], ["output", "4.4", "8"]]
    assert changes[0]["percent"] == "81.82"
    assert changes[0]["models"] == ["alpha-mini"]
    assert changes[1]["percent"] is None  # the kinds moved differently


def test_diff_table_says_the_sentence(cli, layer) -> None:
    run = cli(
        "diff",
        "alpha-mini",
        "alpha-large",
        "--catalog",
        layer,
        "--as-of",
        "2998-12-27",
        as_of=False,
    )
    assert "- alpha-mini's prices change on 2999-01-01 (in 5 days: +20%).\n" in run.stdout


def test_diff_without_periods_says_nothing_of_changes(cli) -> None:
    doc = cli("diff", "alpha-mini", "alpha-large", "--json").json()
    assert not [d for d in doc["differences"] if d["kind"] == "price_change"]


# --- changes ------------------------------------------------------------------------------------

CHANGES_TABLE = """\
date        model        event                 old    new        change             source
2001-01-01  alpha-mini   input price         $1.10  $2.00        +81.8%             https://example.com/cut
2001-01-01  alpha-mini   output price        $4.40  $8.00        +81.8%             https://example.com/cut
2001-03-01  alpha-mini   input price         $2.00  $1.50          -25%             https://example.com/cut2
2001-03-01  alpha-mini   cached input price      -  $0.30  newly priced             https://example.com/cut2
2025-01-15  alpha-large  released                -      -             -             -
2025-06-01  alpha-old    deprecated              -      -             -             -
2026-01-01  alpha-old    shut down               -      -             -             -
2999-01-01  alpha-mini   input price         $1.50  $1.80          +20%  announced  https://example.com/announced
2999-01-01  alpha-mini   cached input price  $0.30  $0.36          +20%  announced  https://example.com/announced
2999-01-01  alpha-mini   output price        $8.00  $9.60          +20%  announced  https://example.com/announced
"""


def _changes(cli, *args: str):
    return cli("changes", *args)


def test_changes_lists_price_changes_and_lifecycle_events_by_date(cli, layer, monkeypatch) -> None:
    import aicompare.catalog

    monkeypatch.setattr(aicompare.catalog, "utc_today", lambda: dt.date(2026, 11, 26))
    run = _changes(cli, "--since", "2000-06-01", "--catalog", layer)
    assert run.exit_code == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if "pixel-one" not in line]
    assert "\n".join(rows[: len(CHANGES_TABLE.splitlines())]) + "\n" == CHANGES_TABLE
    assert run.stdout.endswith(
        "\n3 price changes, 1 new model, 1 deprecation and 2 shutdowns from 2000-06-01, 2 of them"
        " announced (after 2026-11-26). Prices in USD per 1M tokens unless named.\n"
    )


def test_changes_until_bounds_the_span(cli, layer) -> None:
    run = _changes(cli, "--since", "2001-01-01", "--until", "2001-02-28", "--catalog", layer)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert [line.split()[:3] for line in lines[1:3]] == [
        ["2001-01-01", "alpha-mini", "input"],
        ["2001-01-01", "alpha-mini", "output"],
    ]
    assert lines[-1] == (
        "1 price change from 2001-01-01 to 2001-02-28. Prices in USD per 1M tokens unless named."
    )
    none = _changes(cli, "--since", "2001-01-02", "--until", "2001-02-28", "--catalog", layer)
    assert none.stdout == (
        "No price changes or lifecycle events in the catalog from 2001-01-02 to 2001-02-28.\n"
    )


def test_changes_json(cli, layer, monkeypatch) -> None:
    import aicompare.catalog

    monkeypatch.setattr(aicompare.catalog, "utc_today", lambda: dt.date(2026, 11, 26))
    run = _changes(
        cli, "--since", "2001-03-01", "--until", "2999-12-31", "--json", "--catalog", layer
    )
    assert run.exit_code == 0 and run.stderr == ""
    doc = run.json()
    assert doc["schema_version"] == 1 and doc["command"] == "changes"
    assert doc["as_of"] == "2026-11-26"
    assert (doc["since"], doc["until"], doc["count"]) == ("2001-03-01", "2999-12-31", 6)
    kinds = [(e["date"], e["kind"], e["model"], e["announced"]) for e in doc["events"]]
    assert kinds == [
        ("2001-03-01", "price", "alpha-mini", False),
        ("2025-01-15", "new", "alpha-large", False),
        ("2025-06-01", "deprecation", "alpha-old", False),
        ("2026-01-01", "shutdown", "alpha-old", False),
        ("2027-03-01", "shutdown", "pixel-one", True),
        ("2999-01-01", "price", "alpha-mini", True),
    ]
    first = doc["events"][0]
    assert first["offer"] is None and first["source"] == "https://example.com/cut2"
    assert first["prices"] == [
        {"kind": "input", "old": "2", "new": "1.5", "percent": "-25.00", "text": "-25%"},
        {
            "kind": "cached_input",
            "old": None,
            "new": "0.3",
            "percent": None,
            "text": "newly priced",
        },
    ]
    assert "prices" not in doc["events"][1]


def test_changes_names_an_offers_change(cli, tmp_path) -> None:
    path = tmp_path / "offer.toml"
    path.write_text(
        "schema_version = 1\n"
        '[models.alpha-mini.offers.cloud]\nseller = "cloud"\nprices = { input = 1.00 }\n'
        "[[models.alpha-mini.offers.cloud.price_periods]]\nfrom = 2001-01-01\n"
        "prices = { input = 0.50 }\n"
    )
    doc = _changes(
        cli, "--since", "2000-01-01", "--until", "2001-12-31", "--json", "--catalog", str(path)
    ).json()
    (event,) = doc["events"]
    assert (event["model"], event["offer"], event["prices"][0]["text"]) == (
        "alpha-mini",
        "cloud",
        "-50%",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--since", "2026-13-01"],
            "error: invalid value for '--since': '2026-13-01' is not a date",
        ),
        (
            ["--since", "2026-09-01", "--until", "soon"],
            "error: invalid value for '--until': 'soon'",
        ),
        (
            ["--since", "2026-09-01", "--until", "2026-08-31"],
            "error: invalid value for '--until': --until 2026-08-31 is before --since 2026-09-01",
        ),
        ([], "error: missing option '--since'"),
    ],
)
def test_changes_bad_dates_are_usage_errors(cli, args: list[str], message: str) -> None:
    run = _changes(cli, *args)
    assert run.exit_code == 2
    assert run.stdout == ""
    first, hint = run.stderr.splitlines()
    assert first.startswith(message), first
    assert hint == "see: aicompare changes --help"


# --- projections --------------------------------------------------------------------------------


def _notes(cli, layer: str, as_of: str, *args: str) -> list[str]:
    run = cli(
        "cost",
        "alpha-mini",
        "--tokens",
        "1M",
        *args,
        "--catalog",
        layer,
        "--as-of",
        as_of,
        "--json",
        as_of=False,
    )
    assert run.exit_code == 0, run.stderr
    (row,) = run.json()["results"]
    return row["notes"]


def test_cost_notes_an_announced_change_within_30_days(cli, layer, monkeypatch) -> None:
    import aicompare.catalog

    monkeypatch.setattr(aicompare.catalog, "utc_today", lambda: dt.date(2026, 11, 26))
    # 1M tokens: 750k input, 250k output; $1.50/$8.00 now, $1.80/$9.60 from 2999-01-01
    assert _notes(cli, layer, "2998-12-27") == [
        "alpha-mini's prices change on 2999-01-01 (in 5 days); from then this workload costs "
        "$3.75 a month instead of $3.125 (+20%)."
    ]
    # 30 days ahead is within, 31 is not
    assert len(_notes(cli, layer, "2998-12-02")) == 1
    assert _notes(cli, layer, "2998-12-01") == []
    assert _notes(cli, layer, "2001-02-14") == [
        "alpha-mini's prices change on 2001-03-01 (in 15 days); from then this workload costs "
        "$3.125 a month instead of $3.50 (-10.7%)."
    ]
    assert _notes(cli, layer, "2998-12-27", "--per", "day") == [
        "alpha-mini's prices change on 2999-01-01 (in 5 days); from then this workload costs "
        "$3.75 a day instead of $3.125 (+20%)."
    ]


def test_a_month_after_an_announced_change_is_priced_at_the_new_price(
    cli, layer, monkeypatch
) -> None:
    import aicompare.catalog

    monkeypatch.setattr(aicompare.catalog, "utc_today", lambda: dt.date(2026, 11, 26))
    run = cli(
        "cost",
        "alpha-mini",
        "--tokens",
        "1M",
        "--catalog",
        layer,
        "--as-of",
        "2999-02-01",
        "--json",
        as_of=False,
    )
    (row,) = run.json()["results"]
    assert row["total"] == "3.75"
    assert row["notes"] == [
        "alpha-mini is priced at its prices announced from 2999-01-01, not yet in force today "
        "(2026-11-26, UTC)."
    ]
    table = cli(
        "cost",
        "alpha-mini",
        "--tokens",
        "1M",
        "--catalog",
        layer,
        "--as-of",
        "2999-02-01",
        as_of=False,
    )
    assert "- alpha-mini is priced at its prices announced from 2999-01-01" in table.stdout


def test_best_notes_the_picks_announced_change(cli, layer, monkeypatch) -> None:
    import aicompare.catalog

    monkeypatch.setattr(aicompare.catalog, "utc_today", lambda: dt.date(2026, 11, 26))
    run = cli(
        "best",
        "--for",
        "chat",
        "--tokens",
        "1M",
        "--catalog",
        layer,
        "--as-of",
        "2998-12-27",
        "--json",
        as_of=False,
    )
    assert run.exit_code == 0, run.stderr
    assert run.json()["notes"][-1] == (
        "alpha-mini's prices change on 2999-01-01 (in 5 days); from then this workload costs "
        "$3.75 a month instead of $3.125 (+20%)."
    )


def test_no_projection_note_without_periods(cli) -> None:
    doc = cli("cost", "alpha-mini", "--tokens", "1M", "--json").json()
    assert doc["results"][0]["notes"] == []


def test_changes_as_of_sets_what_is_announced(cli, layer) -> None:
    doc = cli(
        "changes",
        "--since",
        "2001-01-01",
        "--until",
        "2001-03-31",
        "--as-of",
        "2001-02-01",
        "--json",
        "--catalog",
        layer,
    ).json()
    assert doc["as_of"] == "2001-02-01"
    assert [(e["date"], e["announced"]) for e in doc["events"]] == [
        ("2001-01-01", False),
        ("2001-03-01", True),
    ]


def test_changes_without_price_changes_leaves_out_the_price_columns(cli, layer) -> None:
    run = cli("changes", "--since", "2025-06-01", "--until", "2026-01-31", "--catalog", layer)
    assert run.stdout == (
        "date        model      event\n"
        "2025-06-01  alpha-old  deprecated\n"
        "2026-01-01  alpha-old  shut down\n"
        "\n"
        "1 deprecation and 1 shutdown from 2025-06-01 to 2026-01-31.\n"
    )
