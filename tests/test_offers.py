"""Offers: the same model from several sellers, each at its own prices (issue 17)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from aicompare.cache.codec import decode, encode
from aicompare.model import Model

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"

# A layer over the fixture catalog: alpha-mini sold by a cloud in two regions, and by a host.
OFFERS = """schema_version = 1

[models.alpha-mini.offers.cloud]
seller = "cloud"
seller_model_id = "acme.alpha-mini-v1:0"
names = ["cloud/acme.alpha-mini-v1:0"]
source_url = "https://cloud.example/pricing"
as_of = 2026-11-20

[models.alpha-mini.offers.cloud.prices]
input = 1.00
output = 4.00

[models.alpha-mini.offers.cloud.prices.batch]
input = 0.50
output = 2.00

[models.alpha-mini.offers.cloud-eu]
seller = "cloud"
region = "eu"
seller_model_id = "eu.acme.alpha-mini-v1:0"

[models.alpha-mini.offers.cloud-eu.prices]
input = 1.10
output = 4.40

[models.alpha-mini.offers.host]
seller = "host"
reseller = true
names = ["host/acme/alpha-mini"]

[models.alpha-mini.offers.host.prices]
input = 0.80
output = 5.00
"""


@pytest.fixture
def offers_layer(tmp_path: Path) -> Path:
    path = tmp_path / "offers.toml"
    path.write_text(OFFERS)
    return path


def test_offers_load_with_their_prices_and_show_in_json(cli, offers_layer: Path) -> None:
    doc = cli("show", "alpha-mini", "--catalog", str(offers_layer), "--json").json()
    offers = {o["offer_id"]: o for o in doc["model"]["offers"]}
    assert list(offers) == ["cloud", "cloud-eu", "host"]
    cloud = offers["cloud"]
    assert cloud["seller"] == "cloud" and cloud["region"] is None and cloud["reseller"] is False
    assert cloud["seller_model_id"] == "acme.alpha-mini-v1:0"
    assert cloud["names"] == ["cloud/acme.alpha-mini-v1:0"]
    assert cloud["prices"]["standard"] == {"input": "1", "output": "4"}
    assert cloud["prices"]["batch"] == {"input": "0.5", "output": "2"}
    assert cloud["source_url"] == "https://cloud.example/pricing"
    assert cloud["as_of"] == "2026-11-20"
    assert offers["cloud-eu"]["region"] == "eu"
    assert offers["host"]["reseller"] is True
    # the maker's own prices are untouched
    assert doc["model"]["prices"]["standard"] == {"input": "1.1", "output": "4.4"}


@pytest.mark.parametrize(
    ("table", "path", "message"),
    [
        ("[models.alpha-mini.offers.x.prices]\ninput = 1\n", "offers.x.seller", "required key"),
        (
            '[models.alpha-mini.offers.x]\nseller = "x"\n[models.alpha-mini.offers.x.prices]\n'
            "input = -1\n",
            "offers.x.prices.input",
            "must not be negative",
        ),
        (
            '[models.alpha-mini.offers.x]\nseller = "x"\n[models.alpha-mini.offers.x.prices]\n'
            "inptu = 1\n",
            "offers.x.prices.inptu",
            "unknown price key",
        ),
        (
            '[models.alpha-mini.offers.x]\nseller = "x"\n',
            "offers.x",
            "an offer needs at least one price",
        ),
        (
            '[models.alpha-mini.offers.X]\nseller = "x"\n[models.alpha-mini.offers.X.prices]\n'
            "input = 1\n",
            "offers.X",
            "bad offer id",
        ),
        (
            '[models.alpha-mini.offers.x]\nseller = "x"\nreseller = "yes"\n'
            "[models.alpha-mini.offers.x.prices]\ninput = 1\n",
            "offers.x.reseller",
            "expected true or false",
        ),
        (
            '[models.alpha-mini.offers.x]\nseller = "x"\ncolour = 1\n'
            "[models.alpha-mini.offers.x.image_prices.medium]\n1024x1024 = 0.04\n",
            "offers.x.colour",
            "unknown key",
        ),
    ],
)
def test_offer_validated_like_model_prices(
    cli, tmp_path: Path, table: str, path: str, message: str
) -> None:
    layer = tmp_path / "bad.toml"
    layer.write_text("schema_version = 1\n" + table)
    run = cli("catalog", "validate", str(layer))
    assert run.exit_code == 1 and run.stdout == ""
    assert f"models.alpha-mini.{path}: {message}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_offers_survive_the_cache_codec(cli, offers_layer: Path) -> None:
    from aicompare.loader import load_catalog

    catalog = load_catalog([str(offers_layer)])
    model = catalog.resolve("alpha-mini")
    assert len(model.offers) == 3
    back = decode(encode([model], Model), Model)
    assert back == [model]


def test_user_layer_offer_overrides_a_lower_one(cli, offers_layer: Path, tmp_path: Path) -> None:
    user = tmp_path / "xdg" / "aicompare" / "models.toml"
    run = cli(
        "catalog",
        "set",
        "alpha-mini",
        "--seller",
        "cloud",
        "--input",
        "0.70",
        "--catalog",
        str(offers_layer),
        "--into",
        str(user),
    )
    assert run.exit_code == 0, run.stderr
    written = tomllib.loads(user.read_text(), parse_float=Decimal)
    assert written["models"]["alpha-mini"]["offers"] == {
        "cloud": {"seller": "cloud", "prices": {"input": Decimal("0.70")}}
    }
    doc = cli(
        "show", "alpha-mini", "--catalog", str(offers_layer), "--catalog", str(user), "--json"
    ).json()
    cloud = next(o for o in doc["model"]["offers"] if o["offer_id"] == "cloud")
    # the override wins for the field it sets; the rest of the offer is the lower layer's
    assert cloud["prices"]["standard"] == {"input": "0.7", "output": "4"}
    assert cloud["prices"]["batch"] == {"input": "0.5", "output": "2"}
    assert doc["model"]["origins"]["offers.cloud.prices.input"] == str(user)


def test_set_seller_adds_a_new_offer(cli, tmp_path: Path) -> None:
    user = tmp_path / "u.toml"
    run = cli(
        "catalog",
        "set",
        "alpha-mini",
        "--seller",
        "azure",
        "--input",
        "0.9",
        "--output",
        "3.6",
        "--into",
        str(user),
    )
    assert run.exit_code == 0, run.stderr
    doc = cli("show", "alpha-mini", "--catalog", str(user), "--json").json()
    assert [
        (o["offer_id"], o["seller"], o["prices"]["standard"]) for o in doc["model"]["offers"]
    ] == [("azure", "azure", {"input": "0.9", "output": "3.6"})]


def test_set_seller_refuses_model_fields_and_bad_names(cli, tmp_path: Path) -> None:
    user = tmp_path / "u.toml"
    run = cli(
        "catalog",
        "set",
        "alpha-mini",
        "--seller",
        "azure",
        "--context-window",
        "9",
        "--into",
        str(user),
    )
    assert run.exit_code == 2 and not user.exists()
    assert run.stderr.startswith("error: --seller sets an offer's prices, not 'context_window'")
    run = cli(
        "catalog", "set", "alpha-mini", "--seller", "a/b", "--input", "1", "--into", str(user)
    )
    assert run.exit_code == 2 and "invalid value for --seller: 'a/b'" in run.stderr


@pytest.mark.parametrize(
    ("name", "model_id", "seller", "offer_id", "input_price"),
    [
        ("alpha-mini@cloud", "alpha-mini@cloud", "cloud", "cloud", "1"),
        ("Alpha Mini@cloud-eu", "alpha-mini@cloud-eu", "cloud", "cloud-eu", "1.1"),
        ("alpha-mini@host", "alpha-mini@host", "host", "host", "0.8"),
        ("alpha-mini@acme", "alpha-mini@acme", "acme", None, "1.1"),
        ("cloud/acme.alpha-mini-v1:0", "alpha-mini@cloud", "cloud", "cloud", "1"),
        ("cloud/eu.acme.alpha-mini-v1:0", "alpha-mini@cloud-eu", "cloud", "cloud-eu", "1.1"),
        ("HOST/acme/alpha-mini", "alpha-mini@host", "host", "host", "0.8"),
    ],
)
def test_model_at_seller_and_seller_ids_resolve(
    cli,
    offers_layer: Path,
    name: str,
    model_id: str,
    seller: str,
    offer_id: str | None,
    input_price: str,
) -> None:
    from aicompare.loader import load_catalog

    model = load_catalog([str(offers_layer)]).resolve(name)
    assert (model.id, model.seller, model.offer_id) == (model_id, seller, offer_id)
    assert model.prices.standard.get("input") == Decimal(input_price)


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        (
            "alpha-mini@nobody",
            "error: 'alpha-mini@nobody': the catalog has no offer of alpha-mini by nobody",
            "its sellers: acme (the maker), cloud, cloud-eu, host",
        ),
        ("nope@cloud", "error: unknown model 'nope'", None),
        # a region path is not dropped: the region's price may differ
        ("cloud/us-east-9/acme.alpha-mini-v1:0", "error: unknown model", None),
        # nor another seller's route: its prices are not these
        ("other/cloud/acme.alpha-mini-v1:0", "error: unknown model", None),
    ],
)
def test_unknown_offer_is_an_error_with_the_sellers(
    cli, offers_layer: Path, name: str, message: str, hint: str | None
) -> None:
    run = cli("cost", name, "--tokens", "1M", "--catalog", str(offers_layer))
    assert run.exit_code == 1 and run.stdout == ""
    assert run.stderr.startswith(message), run.stderr
    if hint is not None:
        assert run.stderr.splitlines()[1] == hint


# Sellers' ids as they appear in logs and SDKs (LiteLLM's keys, verbatim from
# ../shared/reference/litellm/model_prices_and_context_window.json, and OpenRouter's), each with
# the model and offer it names and that record's input price in USD per 1M tokens
# (input_cost_per_token × 1e6; None where the record has per-image prices only).
REAL_SELLER_IDS = [
    (
        "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5",
        "bedrock-us",
        "3.3",
    ),
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", "bedrock-us", "3.3"),
    ("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", "bedrock-eu", "3.3"),
    (
        "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5",
        "bedrock-global",
        "3",
    ),
    ("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", "bedrock", "3"),
    (
        "bedrock_converse/eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5",
        "bedrock-eu",
        "3.3",
    ),
    (
        "bedrock/us-gov-east-1/anthropic.claude-sonnet-4-5-20250929-v1:0",
        "claude-sonnet-4-5",
        "bedrock-us-gov-east-1",
        "3.6",
    ),
    ("jp.anthropic.claude-opus-5-5", "claude-opus-5-5", "bedrock-jp", "4.4"),
    ("eu.amazon.nova-2-lite-v1:0", "amazon.nova-2-lite-v1:0", "bedrock-eu", "0.429"),
    ("azure/gpt-5-mini", "gpt-5-mini", "azure", "0.25"),
    ("azure/eu/gpt-5-mini", "gpt-5-mini", "azure-eu", "0.275"),
    ("azure/us/gpt-5-mini-2025-08-07", "gpt-5-mini", "azure-us", "0.275"),
    ("azure/eu/gpt-4.1", "gpt-4.1", "azure-eu", "2.2"),
    ("azure/us/o3-2025-04-16", "o3", "azure-us", "2.2"),
    ("azure/o3-mini-2025-01-31", "o3-mini", "azure", "1.1"),
    ("azure/global-standard/gpt-4o-2024-08-06", "gpt-4o", "azure-global-standard", "2.5"),
    ("azure/us/text-embedding-3-large", "text-embedding-3-large", "azure-us", "0.143"),
    ("azure/gpt-image-2", "gpt-image-2", "azure", "5"),
    ("azure_ai/claude-sonnet-4-5", "claude-sonnet-4-5", "azure_ai", "3"),
    ("azure_ai/grok-4-1-fast-reasoning", "grok-4-1-fast-reasoning", "azure_ai", "0.2"),
    ("vertex_ai/claude-sonnet-4-5", "claude-sonnet-4-5", "vertex_ai", "3"),
    ("vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5", "vertex_ai", "3"),
    ("vertex_ai/gemini-2.5-pro", "gemini-2.5-pro", "vertex_ai", "1.25"),
    ("vertex_ai/jamba-1.5-mini", "jamba-1.5-mini", "vertex_ai", "0.2"),
    ("openrouter/openai/gpt-5-mini", "gpt-5-mini", "openrouter", "0.25"),
    ("fal_ai/openai/gpt-image-2", "gpt-image-2", "fal_ai", None),
]


@pytest.mark.parametrize(("seller_id", "model_id", "offer_id", "input_price"), REAL_SELLER_IDS)
def test_real_seller_ids_resolve_to_model_and_offer(
    bundled_cli, seller_id: str, model_id: str, offer_id: str, input_price: str | None
) -> None:
    from aicompare.loader import load_catalog

    model = load_catalog().resolve(seller_id)
    assert (model.id, model.offer_id) == (f"{model_id}@{offer_id}", offer_id)
    price = model.prices.standard.get("input")
    assert price == (None if input_price is None else Decimal(input_price))


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not present")
def test_every_litellm_key_that_names_an_offer_has_its_prices(bundled_cli) -> None:
    """Every LiteLLM key the catalog resolves to an offer is priced as that record is."""
    import json

    from aicompare.loader import load_catalog

    data = json.loads(
        (REFERENCE / "litellm" / "model_prices_and_context_window.json").read_text(),
        parse_float=Decimal,
    )
    catalog = load_catalog()
    checked = 0
    for key, rec in data.items():
        if not isinstance(rec, dict) or not key.startswith(("azure", "bedrock", "vertex_ai/")):
            continue
        try:
            model = catalog.resolve(key)
        except Exception:
            continue
        if model.offer_id is None:
            continue
        for field, kind in (("input_cost_per_token", "input"), ("output_cost_per_token", "output")):
            if rec.get(field) is not None and model.prices.standard.get(kind) is not None:
                assert model.prices.standard.get(kind) == rec[field] * 1_000_000, (key, kind)
                checked += 1
    assert checked > 400


# --- commands on the bundled catalog: worked examples from the reference files ---------------


def _rows(doc: dict) -> dict[str, dict]:
    return {row["model"]: row for row in doc["results"]}


def test_bedrock_offer_worked_example(bundled_cli) -> None:
    # LiteLLM us.anthropic.claude-sonnet-4-5-20250929-v1:0: input_cost_per_token 3.3e-06,
    # output_cost_per_token 1.65e-05: 2M × $3.30 + 1M × $16.50 = $6.60 + $16.50 = $23.10
    doc = bundled_cli(
        "cost", "claude-sonnet-4-5@bedrock-us", "--input", "2M", "--output", "1M", "--json"
    ).json()
    row = doc["results"][0]
    assert (row["model"], row["seller"], row["offer_id"], row["total"]) == (
        "claude-sonnet-4-5@bedrock-us",
        "bedrock",
        "bedrock-us",
        "23.1",
    )
    assert [(li["kind"], li["unit_price"], li["cost"]) for li in row["line_items"]] == [
        ("input", "3.3", "6.6"),
        ("output", "16.5", "16.5"),
    ]


def test_azure_offer_worked_example_with_batch(bundled_cli) -> None:
    # LiteLLM azure/eu/gpt-5-mini: input 2.75e-07, output 2.2e-06, batches 1.375e-07 / 1.1e-06:
    # 4M × $0.275 + 1M × $2.20 = $3.30; batch 4M × $0.1375 + 1M × $1.10 = $1.65
    args = ("cost", "azure/eu/gpt-5-mini", "--input", "4M", "--output", "1M", "--json")
    row = bundled_cli(*args).json()["results"][0]
    assert (row["model"], row["seller"], row["offer_id"], row["total"]) == (
        "gpt-5-mini@azure-eu",
        "azure",
        "azure-eu",
        "3.3",
    )
    assert bundled_cli(*args, "--batch").json()["results"][0]["total"] == "1.65"


def test_fal_per_image_offer_done_when(bundled_cli) -> None:
    # LiteLLM fal_ai/medium/1024-x-1024/openai/gpt-image-2: output_cost_per_image 0.053:
    # 1,000 images × $0.053 = $53.00; OpenAI bills the model by image tokens only
    args = ("cost", "gpt-image-2", "--sellers", "--images", "1k", "--quality", "medium")
    run = bundled_cli(*args, "--size", "1024x1024")
    assert run.exit_code == 0, run.stderr
    assert (
        "The cheapest place to run gpt-image-2 for this workload is fal_ai (gpt-image-2@fal_ai): "
        "$53.00 a month; OpenAI's API cannot serve it." in run.stdout
    )
    assert "gpt-image-2@fal_ai: sold by fal_ai, prices from https://" in run.stdout
    doc = bundled_cli(*args, "--size", "1024x1024", "--json").json()
    rows = _rows(doc)
    assert rows["gpt-image-2@fal_ai"]["total"] == "53"
    assert rows["gpt-image-2@fal_ai"]["line_items"][0]["unit_price"] == "0.053"
    assert rows["gpt-image-2@openai"]["total"] is None
    assert (rows["gpt-image-2@openai"]["seller"], rows["gpt-image-2@openai"]["offer_id"]) == (
        "openai",
        None,
    )
    assert doc["sellers"] == [
        {
            "model": "gpt-image-2",
            "maker": "openai",
            "cheapest": "gpt-image-2@fal_ai",
            "seller": "fal_ai",
            "offer_id": "fal_ai",
            "total": "53",
            "maker_total": None,
            "below_maker_percent": None,
            "tied": [],
        }
    ]
    high = bundled_cli(*args[:-1], "high", "--size", "1024x1536", "--json").json()
    assert _rows(high)["gpt-image-2@fal_ai"]["total"] == "165"  # 1,000 × $0.165


def test_model_at_maker_and_at_bedrock_done_when(bundled_cli) -> None:
    run = bundled_cli(
        "cost", "claude-sonnet-4-5@anthropic", "claude-sonnet-4-5@bedrock", "--tokens", "50M"
    )
    assert run.exit_code == 0, run.stderr
    assert "claude-sonnet-4-5@anthropic  $300.00" in run.stdout
    assert "claude-sonnet-4-5@bedrock    $300.00" in run.stdout
    assert (
        "claude-sonnet-4-5@anthropic: the maker's prices from "
        "https://platform.claude.com/docs/en/about-claude/pricing (as of 2026-11-21)"
    ) in run.stdout
    assert "claude-sonnet-4-5@bedrock: sold by bedrock, prices from https://" in run.stdout


def test_user_layer_offer_overrides_bundled_and_sellers_says_how_much(bundled_cli) -> None:
    run = bundled_cli(
        "catalog",
        "set",
        "claude-sonnet-4-5",
        "--seller",
        "bedrock",
        "--input",
        "2.64",
        "--output",
        "13.2",
    )
    assert run.exit_code == 0, run.stderr
    user = bundled_cli("catalog", "path", "--json").json()["layers"][1]["path"]
    doc = bundled_cli("show", "claude-sonnet-4-5", "--json").json()
    assert doc["model"]["origins"]["offers.bedrock.prices.input"] == user
    bedrock = next(o for o in doc["model"]["offers"] if o["offer_id"] == "bedrock")
    # the two prices set win; the rest of the bundled offer stays
    assert bedrock["prices"]["standard"]["input"] == "2.64"
    assert bedrock["prices"]["standard"]["output"] == "13.2"
    assert bedrock["prices"]["standard"]["cached_input"] == "0.3"
    assert bedrock["names"]  # the bundled offer's ids are kept
    run = bundled_cli("cost", "claude-sonnet-4-5", "--sellers", "--tokens", "50M")
    assert run.exit_code == 0, run.stderr
    # 37.5M × $2.64 + 12.5M × $13.20 = $99 + $165 = $264, 12% below $300
    assert (
        "The cheapest place to run claude-sonnet-4-5 for this workload is bedrock "
        "(claude-sonnet-4-5@bedrock): $264.00 a month, 12% below Anthropic's API ($300.00)."
    ) in run.stdout
    sellers = bundled_cli("cost", "claude-sonnet-4-5", "--sellers", "--tokens", "50M", "--json")
    assert sellers.json()["sellers"][0]["below_maker_percent"] == "12.00"


def test_via_prices_every_model_as_the_seller_sells_it(bundled_cli) -> None:
    doc = bundled_cli(
        "cost", "gpt-5-mini", "claude-sonnet-4-5", "--via", "azure", "--tokens", "5M", "--json"
    ).json()
    rows = _rows(doc)
    # 3.75M × $0.25 + 1.25M × $2.00 = $3.4375 (LiteLLM azure/gpt-5-mini)
    assert rows["gpt-5-mini@azure"]["total"] == "3.4375"
    assert rows["claude-sonnet-4-5@azure"]["total"] is None
    assert rows["claude-sonnet-4-5@azure"]["cannot_serve"] == [
        "azure does not sell claude-sonnet-4-5 in the catalog"
    ]
    browse = bundled_cli("cost", "--via", "bedrock", "--tokens", "5M", "--json").json()
    assert browse["results"] and all(r["seller"] == "bedrock" for r in browse["results"])
    assert all("@bedrock" in r["model"] for r in browse["results"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("cost", "--sellers", "--tokens", "1M"),
            "error: --sellers ranks the offers of the models",
        ),
        (
            ("cost", "gpt-5-mini@azure", "--sellers", "--tokens", "1M"),
            "error: --sellers ranks every seller of a model",
        ),
        (("cost", "--via", "nobody", "--tokens", "1M"), "error: no model of the catalog is sold"),
        (
            ("cost", "gpt-5-mini", "--via", "azure", "--sellers", "--tokens", "1M"),
            "error: --sellers ranks every seller",
        ),
    ],
)
def test_seller_options_misused_are_usage_errors(bundled_cli, args, message: str) -> None:
    run = bundled_cli(*args)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith(message), run.stderr


def test_show_lists_offers_in_a_table(bundled_cli) -> None:
    out = bundled_cli("show", "gpt-image-2", env={"COLUMNS": "220"}).stdout
    assert "Other sellers (3 offers; the prices above are openai's own)" in out
    fal = next(line for line in out.splitlines() if line.startswith("gpt-image-2@fal_ai"))
    assert "fal_ai (reseller)" in fal
    assert "$0.005-$0.401 per image (18 quality and size cells)" in fal


def test_diff_via_and_at_seller(bundled_cli) -> None:
    run = bundled_cli("diff", "claude-sonnet-4-5@anthropic", "claude-sonnet-4-5@bedrock-us")
    assert run.exit_code == 0, run.stderr
    assert (
        "claude-sonnet-4-5@anthropic is 9% cheaper on output tokens ($15.00 vs $16.50 per 1M)."
        in run.stdout
    )
    doc = bundled_cli("diff", "gpt-5-mini", "gpt-4.1", "--via", "azure", "--json").json()
    assert [m["id"] for m in doc["models"]] == ["gpt-5-mini@azure", "gpt-4.1@azure"]
    run = bundled_cli("diff", "gpt-5-mini", "claude-sonnet-4-5", "--via", "azure")
    assert run.exit_code == 1
    assert run.stderr.startswith("error: azure does not sell claude-sonnet-4-5 in the catalog")


def test_set_on_model_at_seller_writes_that_offer(cli, offers_layer: Path, tmp_path: Path) -> None:
    user = tmp_path / "u.toml"
    for name in ("alpha-mini@cloud-eu", "cloud/eu.acme.alpha-mini-v1:0"):
        run = cli(
            "catalog",
            "set",
            name,
            "--output",
            "3.9",
            "--catalog",
            str(offers_layer),
            "--into",
            str(user),
        )
        assert run.exit_code == 0, run.stderr
        written = tomllib.loads(user.read_text(), parse_float=Decimal)
        assert list(written["models"]) == ["alpha-mini"]
        assert written["models"]["alpha-mini"]["offers"] == {
            "cloud-eu": {"seller": "cloud", "prices": {"output": Decimal("3.9")}}
        }
    # the maker's own prices: MODEL@MAKER sets the model's prices
    run = cli("catalog", "set", "alpha-mini@acme", "--input", "1.2", "--into", str(user))
    assert run.exit_code == 0, run.stderr
    written = tomllib.loads(user.read_text(), parse_float=Decimal)
    assert written["models"]["alpha-mini"]["prices"] == {"input": Decimal("1.2")}


def test_sellers_sentence_says_a_tie_is_a_tie(bundled_cli) -> None:
    """Several offers at the maker's price: no single one is "the" cheapest place."""
    doc = bundled_cli("cost", "claude-sonnet-4-5", "--sellers", "--tokens", "50M", "--json").json()
    (verdict,) = doc["sellers"]
    assert verdict["cheapest"] == "claude-sonnet-4-5@anthropic" and verdict["offer_id"] is None
    assert verdict["total"] == "300" and "claude-sonnet-4-5@bedrock" in verdict["tied"]
    assert "claude-sonnet-4-5@bedrock-us" not in verdict["tied"]  # in-region: 10% more
    text = bundled_cli("cost", "claude-sonnet-4-5", "--sellers", "--tokens", "50M").stdout
    words = " ".join(text.split())
    assert (
        "The cheapest places to run claude-sonnet-4-5 for this workload tie at $300.00 a month:"
        in words
    )
    assert "Anthropic's API, claude-sonnet-4-5@azure_ai" in words
