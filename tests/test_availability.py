"""A model's availability (general, preview, experimental) and whether it is free, end to end."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from aicompare.cli import app
from aicompare.model import ImagePrice, Model, Prices, PriceSet, free_of_charge

RUNNER = CliRunner()
LAYER = """\
[models.alpha-preview]
provider = "acme"
type = "text"
availability = "preview"
[models.alpha-preview.prices]
input = 1
output = 2

[models.alpha-free]
provider = "acme"
type = "text"
[models.alpha-free.prices]
input = 0
output = 0.0
"""


def run(*args: str) -> tuple[int, str, str]:
    result = RUNNER.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_an_unknown_availability_is_refused_at_its_line(tmp_path: Path) -> None:
    layer = tmp_path / "layer.toml"
    layer.write_text('[models.x]\nprovider = "acme"\ntype = "text"\navailability = "beta"\n')
    code, out, _ = run("catalog", "validate", str(layer), "--json")
    problems = json.loads(out)["problems"]
    assert code == 1
    assert problems == [
        f"{layer}:4: models.x.availability: unknown availability 'beta' "
        "(allowed: general, preview, experimental)"
    ]


def test_show_json_carries_availability_and_free(tmp_path: Path) -> None:
    layer = tmp_path / "layer.toml"
    layer.write_text(LAYER)
    shown = {}
    for model_id in ("alpha-preview", "alpha-free", "gpt-4.1-mini"):
        code, out, err = run("show", model_id, "--catalog", str(layer), "--json")
        assert code == 0, err
        doc = json.loads(out)
        shown[model_id] = (doc["model"]["availability"], doc["model"]["free"])
    assert shown == {
        "alpha-preview": ("preview", False),
        "alpha-free": ("general", True),
        "gpt-4.1-mini": ("general", False),
    }


def test_export_writes_availability_only_when_not_general(tmp_path: Path) -> None:
    layer = tmp_path / "layer.toml"
    layer.write_text(LAYER)
    code, out, err = run("catalog", "export", "--catalog", str(layer), "--format", "toml")
    assert code == 0, err
    assert out.count("availability =") == 39  # 38 bundled previews and experiments + this one
    assert 'availability = "general"' not in out


def test_free_means_every_known_price_is_zero() -> None:
    zero, one = Decimal(0), Decimal("0.01")
    assert not free_of_charge(Prices(), ())  # nothing known is not free
    assert free_of_charge(Prices(PriceSet({"input": zero, "output": zero})), ())
    assert not free_of_charge(Prices(PriceSet({"input": zero, "output": one})), ())
    assert free_of_charge(Prices(), (ImagePrice("any", "any", zero),))
    assert not free_of_charge(Prices(PriceSet({"input": zero})), (ImagePrice("any", "any", one),))
    assert Model("m", "acme", "text", "M", prices=Prices(PriceSet({"input": zero}))).free
