"""Browsing `cost` ranks what a team could buy today: current, generally available, paid models.

The rest are counted by reason in the notes and the JSON, and come back with --any-status (every
status and availability), --include-free (the free tiers) or --all (everything); models named
are always priced, whatever they are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aicompare.cli import app

AS_OF = "2026-11-26"
RUNNER = CliRunner()


def _model(
    mid: str,
    *,
    prices: tuple[str, str] = ("1", "2"),
    mtype: str = "text",
    availability: str | None = None,
    deprecated: str | None = None,
    shutdown: str | None = None,
) -> str:
    text = f'[models.{mid}]\nname = "{mid}"\nprovider = "acme"\ntype = "{mtype}"\n'
    if availability is not None:
        text += f'availability = "{availability}"\n'
    if deprecated or shutdown:
        text += f"[models.{mid}.lifecycle]\n"
        text += f"deprecation_date = {deprecated}\n" if deprecated else ""
        text += f"shutdown_date = {shutdown}\n" if shutdown else ""
    if mtype == "image":
        return text + f'[models.{mid}.image_prices]\nmedium = {{ "1024x1024" = 0.04 }}\n\n'
    return text + f"[models.{mid}.prices]\ninput = {prices[0]}\noutput = {prices[1]}\n\n"


# Cheapest first, each left out for one reason (or two: then counted once, under the first
# of status, availability, free); 1M tokens = 750k input + 250k output.
CATALOG = (
    'schema_version = 1\n[providers.acme]\nname = "Acme"\n\n'
    # retired, preview and free: the cheapest there is, and never first when browsing
    + _model(
        "zero-retired-preview", prices=("0", "0"), availability="preview", shutdown="2026-01-01"
    )
    + _model("zero-free", prices=("0", "0"))
    + _model("cheap-preview", prices=("0.01", "0.01"), availability="preview")
    + _model("cheap-experiment", prices=("0.02", "0.02"), availability="experimental")
    + _model(
        "cheap-deprecated", prices=("0.03", "0.03"), deprecated="2026-01-01", shutdown="2027-06-01"
    )
    + _model("cheap-retired", prices=("0.04", "0.04"), shutdown="2026-02-01")
    + _model(
        "deprecated-preview",
        prices=("0.05", "0.05"),
        availability="preview",
        deprecated="2026-01-01",
    )
    + _model("paid-a", prices=("1", "2"))
    + _model("paid-b", prices=("2", "4"))
    + _model("painter", mtype="image")
)
PAID = ["paid-a", "paid-b"]
STATUS = ["cheap-deprecated", "cheap-retired", "deprecated-preview", "zero-retired-preview"]
PREVIEWS = ["cheap-preview", "cheap-experiment"]
FREE = ["zero-free"]


@pytest.fixture
def cost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Any]:
    """`aicompare cost ... --as-of AS_OF --json` on CATALOG alone, as parsed JSON."""
    path = tmp_path / "catalog.toml"
    path.write_text(CATALOG, encoding="utf-8")
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str, json_out: bool = True) -> Any:
        argv = ["cost", *args, "--as-of", AS_OF] + (["--json"] if json_out else [])
        result = RUNNER.invoke(app, argv)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        assert result.stderr == ""
        return json.loads(result.stdout) if json_out else result.stdout

    return run


def _ranked(doc: Any) -> list[str]:
    return [r["model"] for r in doc["results"] if r["rank"] is not None]


def _left_out(status: int, previews: int, free: int) -> dict[str, int]:
    return {"deprecated_or_retired": status, "preview_or_experimental": previews, "free_tier": free}


def test_browsing_ranks_current_general_paid_models_only(cost: Callable[..., Any]) -> None:
    doc = cost("--tokens", "1M")
    assert _ranked(doc) == PAID
    assert doc["results"][0]["total"] == "1.25"  # 0.75 + 0.50
    assert doc["omitted"] == {"servable": 0, "cannot_serve": 1, "left_out": _left_out(4, 2, 1)}


def test_a_retired_free_preview_never_ranks_first(cost: Callable[..., Any]) -> None:
    for flags in ((), ("--include-free",), ("--top", "1")):
        assert cost("--tokens", "1M", *flags)["results"][0]["model"] != "zero-retired-preview"
    # only when every default is lifted does it come back (tied at $0 with zero-free)
    for lifted in (("--any-status", "--include-free"), ("--include-preview", "--include-free")):
        assert cost("--tokens", "1M", *lifted)["results"][0]["model"] != "zero-retired-preview"
    doc = cost("--tokens", "1M", "--any-status", "--include-preview", "--include-free")
    assert _ranked(doc)[:2] == ["zero-retired-preview", "zero-free"]


def test_each_flag_brings_back_exactly_its_group(cost: Callable[..., Any]) -> None:
    base = set(PAID)
    doc = cost("--tokens", "1M", "--any-status")
    assert set(_ranked(doc)) - base == {"cheap-deprecated", "cheap-retired"}
    # the deprecated and retired previews are now counted as previews
    assert doc["omitted"]["left_out"] == _left_out(0, 4, 1)
    doc = cost("--tokens", "1M", "--include-preview")
    assert set(_ranked(doc)) - base == set(PREVIEWS)
    assert doc["omitted"]["left_out"] == _left_out(4, 0, 1)
    doc = cost("--tokens", "1M", "--any-status", "--include-preview")
    assert set(_ranked(doc)) - base == set(STATUS + PREVIEWS) - {"zero-retired-preview"}
    # the free retired preview stays out: it is free, and neither flag lets free in
    assert doc["omitted"]["left_out"] == _left_out(0, 0, 2)
    doc = cost("--tokens", "1M", "--include-free")
    assert set(_ranked(doc)) - base == set(FREE)
    assert doc["omitted"]["left_out"] == _left_out(4, 2, 0)
    doc = cost("--tokens", "1M", "--all")
    assert [r["model"] for r in doc["results"]][-1] == "painter"  # also those that cannot serve
    assert len(doc["results"]) == 10 and len(_ranked(doc)) == 9
    assert doc["omitted"]["left_out"] == _left_out(0, 0, 0)


def test_the_notes_count_what_was_left_out_by_reason(cost: Callable[..., Any]) -> None:
    out = cost("--tokens", "1M", "--top", "1", json_out=False)
    notes = out[out.index("Notes") :]
    assert (
        "- left out: 4 deprecated or retired, 2 previews or experiments, 1 free tier, which "
        "could serve this workload (--any-status, --include-preview or --include-free to rank "
        "them, --all for every model).\n" in notes
    )
    assert "- 1 more model(s) can serve this workload at a higher cost" in notes
    assert "- 1 model(s) cannot serve this workload (text tokens; --all to list them).\n" in notes
    out = cost("--tokens", "1M", "--any-status", json_out=False)
    assert (
        "- left out: 4 previews or experiments, 1 free tier, which could serve this workload "
        "(--include-preview or --include-free to " in out
    )
    out = cost("--tokens", "1M", "--any-status", "--include-preview", json_out=False)
    assert "- left out: 2 free tier, which could serve this workload (--include-free to " in out


def test_an_image_workload_counts_the_text_models_as_cannot_serve(
    cost: Callable[..., Any],
) -> None:
    doc = cost("--images", "10")
    assert _ranked(doc) == ["painter"]
    assert doc["omitted"] == {"servable": 0, "cannot_serve": 9, "left_out": _left_out(0, 0, 0)}
    out = cost("--images", "10", json_out=False)
    assert "9 model(s) cannot serve this workload (images; --all to list them)." in out


def test_named_models_are_priced_whatever_their_status(cost: Callable[..., Any]) -> None:
    names = ["zero-retired-preview", "cheap-experiment", "zero-free", "cheap-deprecated"]
    doc = cost(*names, "--tokens", "1M")
    # cheapest first: $0 and $0 (tied, in the order named), then 0.02 and 0.03 per 1M
    assert _ranked(doc) == ["zero-retired-preview", "zero-free", "cheap-experiment", names[3]]
    life = {r["model"]: r["lifecycle"][0] for r in doc["results"]}
    assert life["zero-retired-preview"]["status"] == "retired"
    assert life["zero-retired-preview"]["availability"] == "preview"
    assert life["zero-retired-preview"]["free"] is True
    assert life["cheap-deprecated"]["status"] == "deprecated"
    assert doc["omitted"]["left_out"] == _left_out(0, 0, 0)
    out = cost(*names, "--tokens", "1M", json_out=False)
    rows = {line.split()[1]: line for line in out.splitlines() if line[:1].isdigit()}
    assert rows["zero-retired-preview"].endswith(
        "retired 2026-01-01; no successor named; preview; free tier, rate-limited — see the "
        "maker's limits"
    )
    assert rows["cheap-experiment"].endswith("experimental")
    assert rows["zero-free"].endswith("free tier, rate-limited — see the maker's limits")
    assert rows["cheap-deprecated"].endswith(
        "deprecated, shuts down 2027-06-01; no successor named yet"
    )


def test_a_baseline_left_out_by_the_defaults_is_still_shown(cost: Callable[..., Any]) -> None:
    doc = cost("--tokens", "1M", "--baseline", "cheap-retired")
    # named, so ranked among the models a team could buy, and not counted as left out
    assert [(r["model"], r["rank"]) for r in doc["results"]] == [
        ("cheap-retired", 1),
        ("paid-a", 2),
        ("paid-b", 3),
    ]
    assert doc["baseline"] == "cheap-retired"
    assert doc["results"][1]["delta"] == "1.21"  # 1.25 - 0.04
    assert doc["omitted"]["left_out"] == _left_out(3, 2, 1)


def test_list_still_lists_everything_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(CATALOG, encoding="utf-8")
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    result = RUNNER.invoke(app, ["list", "--json", "--as-of", AS_OF])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["count"] == 10


def test_bundled_cost_5m_ranks_current_general_paid_models() -> None:
    """The issue's example on the bundled catalog: no $0 row, no retired or preview model."""
    result = RUNNER.invoke(app, ["cost", "--tokens", "5M", "--as-of", AS_OF, "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["results"]) == 10
    for row in doc["results"]:
        assert row["rank"] is not None and row["total"] != "0"
        (life,) = row["lifecycle"]
        assert (life["status"], life["availability"], life["free"]) == ("current", "general", False)
    left = doc["omitted"]["left_out"]
    assert left["deprecated_or_retired"] > 0 and left["preview_or_experimental"] > 0
    assert left["free_tier"] > 0
    named = RUNNER.invoke(
        app,
        ["cost", "gemini-2.0-flash-exp-image-generation", "--tokens", "5M", "--as-of", AS_OF],
    )
    assert named.exit_code == 0 and "retired 2025-11-14" in named.stdout


def test_when_every_model_that_could_serve_is_left_out_the_notes_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(
        'schema_version = 1\n[providers.acme]\nname = "Acme"\n\n'
        + _model("gone", shutdown="2026-01-01")
        + _model("beta", availability="preview")
        + _model("painter", mtype="image"),
        encoding="utf-8",
    )
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    monkeypatch.setenv("COLUMNS", "200")
    result = RUNNER.invoke(app, ["cost", "--tokens", "1M", "--as-of", AS_OF, "--json"])
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    # no row: not even the image model that cannot serve, since two could, if asked
    assert doc["results"] == []
    assert doc["omitted"] == {"servable": 0, "cannot_serve": 1, "left_out": _left_out(1, 1, 0)}
    result = RUNNER.invoke(app, ["cost", "--tokens", "1M", "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr
    assert (
        "- left out: 1 deprecated or retired, 1 preview or experiment, which could serve this "
        "workload (--any-status or --include-preview to rank them, --all for every model).\n"
        in result.stdout
    )
