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


def test_at_least_twenty_real_seller_ids() -> None:
    assert len({row[0] for row in REAL_SELLER_IDS}) >= 20


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
