"""Prices over time, end to end: the build's dated periods (genai-prices' history, curated
periods), exact totals on the bundled catalog in each period of o3, mistral-large-4 and
gemini-4-argon, `catalog set --from`, and "today" as the UTC date.

The bundled figures are worked by hand from genai-prices 0.2.3 (../shared/reference): `--tokens
1M` is 750,000 input and 250,000 output tokens, so a total is 0.75 x input + 0.25 x output (USD
per 1M tokens)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from terminal import aicompare, base_env

from aicompare.errors import CatalogError
from tools.catalog_build import build

CURATE = Path(__file__).parent / "data" / "curate"

# --- the build, on the small fixture -----------------------------------------------------------

# acme-large in genai-prices with a launch price, the price of the curation's as_of
# (2026-01-15, the one LiteLLM has) and an announced cut
HISTORY = (
    '"prices": [{"prices": {"input_mtok": 4, "cache_read_mtok": 1, "output_mtok": 16}}, '
    '{"constraint": {"start_date": "2025-06-01"}, '
    '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8}}, '
    '{"constraint": {"start_date": "2026-03-01"}, '
    '"prices": {"input_mtok": 1, "cache_read_mtok": 0.25, "output_mtok": 4}}]'
)
FLAT = '"prices": {"input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8}'


def _reference(tmp_path: Path) -> Path:
    reference = tmp_path / "reference"
    shutil.copytree(CURATE / "reference", reference)
    genai = reference / "genai-prices.json"
    text = genai.read_text()
    assert FLAT in text
    genai.write_text(text.replace(FLAT, HISTORY, 1))
    return reference


def _curation(tmp_path: Path, periods: str = "") -> Path:
    """The fixture curation, with `periods` (curated [[price_periods]]) for acme-large."""
    path = tmp_path / "curation.toml"
    extra = (
        '\n[models.acme-large]\nsource = "Acme\'s contract"\nchecked = 2026-11-26\n' + periods
        if periods
        else ""
    )
    path.write_text((CURATE / "curation.toml").read_text() + extra)
    return path


def _prices(table: dict[str, object]) -> dict[str, str]:
    prices = table.get("prices", {})
    assert isinstance(prices, dict)
    return {k: str(v) for k, v in prices.items() if not isinstance(v, (dict, list))}


def test_the_build_imports_every_dated_period_with_its_source(tmp_path: Path) -> None:
    result = build(_reference(tmp_path), _curation(tmp_path))
    large = result.doc["models"]["acme-large"]
    # the first period is the launch price; the settled (LiteLLM) prices are the period in
    # force on the curation's as_of, with the model's own source; the announced one follows
    assert _prices(large) == {"input": "4", "cached_input": "1", "output": "16"}
    periods = large["price_periods"]
    assert [(p["from"], p["source"], _prices(p)) for p in periods] == [
        (
            dt.date(2025, 6, 1),
            large["source_url"],
            {"input": "2", "cached_input": "0.5", "output": "8"},
        ),
        (
            dt.date(2026, 3, 1),
            "genai-prices fixture: https://acme.example/pricing",
            {"input": "1", "cached_input": "0.25", "output": "4"},
        ),
    ]
    # the cross-check holds the data sets against the period in force on as_of, not the first
    assert result.check.problems == []
    figures = {(f.model, f.field): f for f in result.check.figures}
    assert figures[("acme-large", "input")].actual == Decimal(2)
    assert figures[("acme-large", "input")].status == "agree"
    # a model without dated prices has no periods
    assert "price_periods" not in result.doc["models"]["acme-mini"]


CURATED = """
[[models.acme-large.price_periods]]
from = 2026-06-01
source = "https://acme.example/contract"
prices = { input = 0.5, output = 2 }
"""


def test_a_curated_period_is_added_on_its_date_with_its_source(tmp_path: Path) -> None:
    result = build(_reference(tmp_path), _curation(tmp_path, CURATED))
    periods = result.doc["models"]["acme-large"]["price_periods"]
    assert [(p["from"], p["source"], _prices(p)) for p in periods][1:] == [
        (
            dt.date(2026, 3, 1),
            "genai-prices fixture: https://acme.example/pricing",
            {"input": "1", "cached_input": "0.25", "output": "4"},
        ),
        (
            dt.date(2026, 6, 1),
            "https://acme.example/contract",
            {"input": "0.5", "output": "2"},
        ),
    ]
    assert result.check.problems == []


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            "from = 2026-06-01\nprices = { input = 0.5 }",
            "curation models.acme-large.price_periods[0].source: required, where the figures "
            "come from",
        ),
        (
            'from = 2026-01-01\nsource = "https://acme.example/x"\nprices = { input = 0.5 }',
            "curation models.acme-large.price_periods: a curated period is in force on the "
            "reference date 2026-01-15, whose prices are the data sets'; set current prices "
            "through [[choices]]",
        ),
        (
            'from = 2025-06-01\nsource = "https://acme.example/x"\nprices = { input = 0.5 }',
            "curation models.acme-large.price_periods[0].from: 2025-06-01 starts the period of "
            "the reference date's prices; set current prices through [[choices]]",
        ),
    ],
)
def test_a_bad_curated_period_stops_the_build(tmp_path: Path, period: str, message: str) -> None:
    curation = _curation(tmp_path, f"\n[[models.acme-large.price_periods]]\n{period}\n")
    with pytest.raises(CatalogError) as info:
        build(_reference(tmp_path), curation)
    assert message in info.value.problems


# --- exact totals on the bundled catalog --------------------------------------------------------

# (model, --as-of) -> (input, output, total)
BUNDLED = {
    # o3: $10 / $40 until OpenAI's cut on 2025-06-10, then $2 / $8
    ("o3", "2025-06-09"): ("10", "40", "17.5"),
    ("o3", "2025-06-10"): ("2", "8", "3.5"),
    # mistral-large-4: launch $0.68 / $2.09, list $1.36 / $4.18 from 2026-10-20, $0.70 / $2.10
    # from 2026-10-29
    ("mistral-large-4", "2026-10-19"): ("0.68", "2.09", "1.0325"),
    ("mistral-large-4", "2026-10-20"): ("1.36", "4.18", "2.065"),
    ("mistral-large-4", "2026-10-28"): ("1.36", "4.18", "2.065"),
    ("mistral-large-4", "2026-10-29"): ("0.7", "2.1", "1.05"),
    # gemini-4-argon: introductory $2 / $10 through 2026-11-30, announced $4 / $20 from 12-01
    ("gemini-4-argon", "2026-11-30"): ("2", "10", "4"),
    ("gemini-4-argon", "2026-12-01"): ("4", "20", "8"),
}


@pytest.mark.parametrize(("model", "as_of"), sorted(BUNDLED))
def test_cost_as_of_a_date_uses_that_periods_prices(bundled_cli, model: str, as_of: str) -> None:
    price_in, price_out, total = BUNDLED[(model, as_of)]
    run = bundled_cli("cost", model, "--tokens", "1M", "--as-of", as_of, "--json", as_of=False)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    doc = run.json()
    assert doc["as_of"] == as_of
    result = doc["results"][0]
    assert result["total"] == total
    units = {item["kind"]: item["unit_price"] for item in result["line_items"]}
    assert units == {"input": price_in, "output": price_out}
    text = bundled_cli("cost", model, "--tokens", "1M", "--as-of", as_of, as_of=False)
    assert text.exit_code == 0
    assert f"prices as of {as_of} (UTC)" in text.stdout.splitlines()[0]
    assert f"750k input tokens × ${Decimal(price_in):.2f} per 1M tokens" in text.stdout


def test_without_as_of_the_prices_are_todays_and_the_announced_ones_come_later(
    bundled_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aicompare.catalog

    monkeypatch.setattr(aicompare.catalog, "utc_today", lambda: dt.date(2026, 11, 26))
    run = bundled_cli("cost", "gemini-4-argon", "--tokens", "1M", "--json", as_of=False)
    assert run.exit_code == 0, run.stderr
    doc = run.json()
    assert (doc["as_of"], doc["results"][0]["total"]) == ("2026-11-26", "4")
    text = bundled_cli("cost", "gemini-4-argon", "--tokens", "1M", as_of=False)
    assert "prices as of" not in text.stdout  # today's prices are not called out
    show = bundled_cli("show", "gemini-4-argon", "--json", as_of=False).json()
    assert show["model"]["prices"]["standard"]["input"] == "2"
    announced = bundled_cli(
        "show", "gemini-4-argon", "--as-of", "2026-12-01", "--json", as_of=False
    ).json()
    assert announced["model"]["prices"]["standard"]["input"] == "4"


def test_bundled_periods_are_genai_prices_dated_prices() -> None:
    from aicompare.loader import load_catalog

    bundled = tomllib.loads(
        (Path(__file__).resolve().parents[1] / "data" / "models.toml").read_text()
    )["models"]
    dated = sorted(mid for mid, table in bundled.items() if "price_periods" in table)
    assert len(dated) == 26
    assert {"o3", "mistral-large-4", "gemini-4-argon"} <= set(dated)
    assert [p["from"] for p in bundled["mistral-large-4"]["price_periods"]] == [
        dt.date(2026, 10, 20),
        dt.date(2026, 10, 29),
    ]
    # every period but the current one names genai-prices as its source
    assert bundled["o3"]["price_periods"][0]["source"] == bundled["o3"]["source_url"]
    assert bundled["gemini-4-argon"]["price_periods"][0]["source"].startswith(
        "genai-prices 0.2.3: https://"
    )
    assert len(load_catalog([], include_user=False).models) == len(bundled)


# --- catalog set --from -----------------------------------------------------------------------


def _layer_text(tmp_path_factory_home: Path) -> str:
    return (tmp_path_factory_home / "aicompare" / "models.toml").read_text()


def _total(cli, model: str, as_of: str) -> str:
    run = cli("cost", model, "--tokens", "1M", "--as-of", as_of, "--json", as_of=False)
    assert run.exit_code == 0, run.stderr
    return str(run.json()["results"][0]["total"])


def test_catalog_set_from_adds_a_period_in_the_user_layer(cli) -> None:
    # alpha-mini: $1.10 / $4.40 in the fixture catalog, no periods
    run = cli("catalog", "set", "alpha-mini", "--input", "0.20", "--from", "2026-12-01", "--json")
    assert run.exit_code == 0, run.stderr
    assert run.json()["fields"] == {"price_periods[2026-12-01].prices.input": "0.2"}
    assert _total(cli, "alpha-mini", "2026-11-30") == "1.925"
    assert _total(cli, "alpha-mini", "2026-12-01") == "1.25"  # 0.75 x 0.20 + 0.25 x 4.40
    # a second set on the same date changes that period's field; the earlier prices stay
    again = cli("catalog", "set", "alpha-mini", "--output", "2", "--from", "2026-12-01")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[1] == "  price_periods[2026-12-01].prices.output = 2"
    assert _total(cli, "alpha-mini", "2026-12-01") == "0.65"
    assert _total(cli, "alpha-mini", "2026-11-30") == "1.925"
    show = cli("show", "alpha-mini", "--as-of", "2026-12-01", "--json", as_of=False).json()
    assert show["model"]["prices"]["standard"] == {"input": "0.2", "output": "2"}
    from aicompare.loader import user_path

    layer = tomllib.loads(user_path().read_text())
    assert layer["models"]["alpha-mini"]["price_periods"] == [
        {
            "from": dt.date(2026, 12, 1),
            "prices": {"input": pytest.approx(0.2), "output": pytest.approx(2.0)},
        }
    ]
    assert "prices" not in layer["models"]["alpha-mini"]


def test_catalog_set_from_for_an_offer(cli) -> None:
    made = cli("catalog", "set", "alpha-mini", "--seller", "azure", "--input", "1", "--output", "4")
    assert made.exit_code == 0, made.stderr
    run = cli("catalog", "set", "alpha-mini@azure", "--input", "0.5", "--from", "2027-01-01")
    assert run.exit_code == 0, run.stderr
    assert "offers.azure.price_periods[2027-01-01].prices.input = 0.5" in run.stdout
    assert _total(cli, "alpha-mini@azure", "2026-12-31") == "1.75"
    assert _total(cli, "alpha-mini@azure", "2027-01-01") == "1.375"
    # the maker's own price is not touched
    assert _total(cli, "alpha-mini", "2027-01-01") == "1.925"
    no_offer = cli(
        "catalog", "set", "alpha-mini", "--seller", "gcp", "--input", "1", "--from", "2027-01-01"
    )
    assert no_offer.exit_code == 2
    assert no_offer.stderr.startswith("error: alpha-mini has no offer gcp to give prices from ")


PERIODS = """
[[models.alpha-mini.price_periods]]
from = 2001-01-01
source = "https://example.com/cut"
prices = { input = 2.00, output = 8.00 }
"""


def test_catalog_set_without_from_changes_the_prices_in_force_today(cli, tmp_path: Path) -> None:
    from aicompare.loader import user_path

    user = user_path()
    user.parent.mkdir(parents=True, exist_ok=True)
    user.write_text("schema_version = 1\n" + PERIODS)
    run = cli("catalog", "set", "alpha-mini", "--input", "3")
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[1] == "  price_periods[2001-01-01].prices.input = 3"
    assert _total(cli, "alpha-mini", "2026-11-21") == "4.25"  # 0.75 x 3 + 0.25 x 8
    assert _total(cli, "alpha-mini", "2000-12-31") == "1.925"  # the first period is untouched


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ["--input", "1", "--from", "2026-02-30"],
            "error: invalid value for '--from': '2026-02-30' is not a date; use YYYY-MM-DD",
        ),
        (
            ["--name", "x", "--from", "2026-12-01"],
            "error: --from sets prices from a date, and no price is given",
        ),
        (
            ["--unset", "prices.input", "--unset", "prices.output", "--from", "2026-12-01"],
            "error: the period from 2026-12-01 would have no price left",
        ),
    ],
)
def test_catalog_set_from_refuses(cli, args: list[str], error: str) -> None:
    run = cli("catalog", "set", "alpha-mini", *args)
    assert run.exit_code == 2
    assert run.stderr.splitlines()[0] == error
    assert run.stdout == ""
    from aicompare.loader import user_path

    assert not user_path().exists()


# --- today is the UTC date ---------------------------------------------------------------------


def test_today_is_the_utc_date_whatever_the_local_zone(tmp_path: Path) -> None:
    before = dt.datetime.now(dt.UTC)
    # a zone whose date is not the UTC date now: 12 hours behind in the UTC morning, 14 ahead
    # after (POSIX TZ strings: no time-zone database needed)
    zone = "XXX+12" if before.hour < 11 else "XXX-14"
    env = base_env(TZ=zone)
    runs = [
        subprocess.run(
            [*aicompare(), *args, "--json"], env=env, capture_output=True, text=True, timeout=120
        )
        for args in (["cost", "alpha-mini", "--tokens", "1M"], ["catalog", "path"])
    ]
    after = dt.datetime.now(dt.UTC)
    utc = {before.date().isoformat(), after.date().isoformat()}
    offset = dt.timedelta(hours=-12 if zone == "XXX+12" else 14)
    local = {(before + offset).date().isoformat(), (after + offset).date().isoformat()}
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert run.stderr == ""
        as_of = json.loads(run.stdout)["as_of"]
        assert as_of in utc
        if not utc & local:  # always, unless a UTC midnight fell inside the test
            assert as_of not in local
