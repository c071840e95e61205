"""A successor mention follows `superseded_by` to the first model current on the day, and says
what happened on the way: no sentence sends a user to a dying model without saying so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aicompare import succession
from aicompare.cli import app
from aicompare.model import Lifecycle, Status

AS_OF = "2026-11-26"
TODAY = dt.date(2026, 11, 26)
RUNNER = CliRunner()


def _model(mid: str, life: str = "") -> str:
    text = f'[models.{mid}]\nname = "{mid}"\nprovider = "acme"\ntype = "text"\n'
    text += 'output_modalities = ["text"]\n'
    text += f"[models.{mid}.prices]\ninput = 1\noutput = 2\n"
    return text + (f"[models.{mid}.lifecycle]\n{life}\n" if life else "\n")


CATALOG = (
    'schema_version = 1\n[providers.acme]\nname = "Acme"\n\n'
    # a current successor: the one case for "consider the newer model first"
    + _model("direct-old", 'superseded_by = "direct-new"')
    + _model("direct-new")
    # through a retired model to a current one
    + _model("via-old", 'shutdown_date = 2026-01-01\nsuperseded_by = "via-retired"')
    + _model("via-retired", 'shutdown_date = 2026-06-01\nsuperseded_by = "via-live"')
    + _model("via-live")
    # to a model that is itself shutting down, with no successor named
    + _model("dying-old", 'superseded_by = "dying-next"')
    + _model("dying-next", "deprecation_date = 2026-09-01\nshutdown_date = 2026-12-11")
    # three steps: retired, deprecated, then current
    + _model("three-0", 'superseded_by = "three-1"')
    + _model("three-1", 'shutdown_date = 2026-03-01\nsuperseded_by = "three-2"')
    + _model("three-2", 'deprecation_date = 2026-10-01\nsuperseded_by = "three-3"')
    + _model("three-3")
)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    path = tmp_path / "catalog.toml"
    path.write_text(CATALOG, encoding="utf-8")
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
    monkeypatch.setenv("COLUMNS", "250")

    def invoke(*args: str) -> str:
        result = RUNNER.invoke(app, [*args, "--as-of", AS_OF])
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result.stdout

    return invoke


def _rows(out: str) -> dict[str, str]:
    """`show`'s rows by label, the whitespace of the columns squeezed."""
    labels = ("superseded by", "live successor", "status")
    return {
        label: " ".join(line[len(label) :].split())
        for line in out.splitlines()
        for label in labels
        if line.startswith(label + "  ")
    }


def _differences(run: Any, *models: str) -> list[str]:
    doc = json.loads(run("diff", *models, "--json"))
    return [d["text"] for d in doc["differences"] if d["kind"] == "superseded"]


def test_a_current_successor_is_recommended(run: Any) -> None:
    assert _differences(run, "direct-old", "direct-new") == [
        "direct-old has been superseded by direct-new: for new builds, consider the newer "
        "model first."
    ]


def test_a_chain_through_a_retired_model_names_it_and_leads_to_the_live_one(run: Any) -> None:
    assert _differences(run, "via-old", "via-live") == [
        "via-old has been superseded by via-retired (retired) → via-live: for new builds, "
        "consider via-live first.",
    ]
    doc = json.loads(run("show", "via-old", "--json"))["model"]["lifecycle"]
    assert doc["successor_chain"] == [
        {"id": "via-retired", "status": "retired", "shutdown_date": "2026-06-01"},
        {"id": "via-live", "status": "current", "shutdown_date": None},
    ]
    assert doc["live_successor"] == "via-live"
    assert doc["superseded_by"] == "via-retired"  # unchanged: the field as the catalog has it


def test_a_chain_ending_in_a_dying_model_says_so_and_recommends_nothing(run: Any) -> None:
    (text,) = _differences(run, "dying-old", "direct-new")
    assert text == (
        "dying-old has been superseded by dying-next, which itself shuts down on 2026-12-11 "
        "(in 15 days) with no successor named yet."
    )
    assert "consider" not in text
    doc = json.loads(run("show", "dying-old", "--json"))["model"]["lifecycle"]
    assert doc["successor_chain"] == [
        {"id": "dying-next", "status": "deprecated", "shutdown_date": "2026-12-11"}
    ]
    assert doc["live_successor"] is None
    rows = _rows(run("show", "dying-old"))
    assert rows["superseded by"] == (
        "dying-next (shuts down 2026-12-11, in 15 days), no successor named yet"
    )
    assert rows["live successor"] == "none named"


def test_a_three_step_chain(run: Any) -> None:
    (text,) = _differences(run, "three-0", "direct-new")
    assert text == (
        "three-0 has been superseded by three-1 (retired) → three-2 (deprecated) → three-3: "
        "for new builds, consider three-3 first."
    )
    doc = json.loads(run("list", "--json"))
    summary = next(m for m in doc["models"] if m["id"] == "three-0")
    assert [step["id"] for step in summary["successor_chain"]] == ["three-1", "three-2", "three-3"]
    assert [step["status"] for step in summary["successor_chain"]] == [
        "retired",
        "deprecated",
        "current",
    ]
    assert summary["live_successor"] == "three-3"
    # a model without a successor has an empty chain
    plain = next(m for m in doc["models"] if m["id"] == "three-3")
    assert (plain["successor_chain"], plain["live_successor"]) == ([], None)


def test_list_and_cost_flags_follow_the_chain(run: Any) -> None:
    rows = {line.split()[0]: line for line in run("list").splitlines() if line.strip()}
    assert rows["dying-old"].endswith(
        "current; superseded by dying-next (shuts down 2026-12-11, in 15 days), "
        "no successor named yet"
    )
    assert rows["via-old"].endswith(
        "retired 2026-01-01; superseded by via-retired (retired) → via-live"
    )
    assert rows["direct-old"].endswith("current; superseded by direct-new")
    doc = json.loads(run("cost", "dying-old", "--tokens", "1M", "--json"))
    (life,) = doc["results"][0]["lifecycle"]
    assert life["live_successor"] is None
    assert life["successor_chain"] == [
        {"id": "dying-next", "status": "deprecated", "shutdown_date": "2026-12-11"}
    ]
    out = run("cost", "--tokens", "1M")  # browsing: the flag reads the light rate cards
    line = next(line for line in out.splitlines() if " dying-old " in line)
    assert line.endswith("(shuts down 2026-12-11, in 15 days), no successor named yet")


def test_a_loop_is_guarded_even_though_the_catalog_refuses_it() -> None:
    lives = {
        "a": Lifecycle(superseded_by="b"),
        "b": Lifecycle(shutdown_date=dt.date(2026, 1, 1), superseded_by="a"),
    }
    succ = succession.succession("a", lives["a"], lives.get, TODAY)
    assert [step.id for step in succ.chain] == ["b"] and succ.loops and succ.live is None
    assert succession.chain_text(succ, TODAY) == "b (retired) (the chain loops)"
    missing = succession.succession("x", Lifecycle(superseded_by="gone"), lives.get, TODAY)
    assert missing.chain == (succession.Step("gone", None, None),)
    assert succession.sentence("x", missing, TODAY) == (
        "x has been superseded by gone, which is not in the catalog"
    )
    assert succession.succession("a", Lifecycle(), lives.get, TODAY) == succession.NONE
    assert succ.chain[0].status is Status.RETIRED


# The issue's own examples, on the bundled catalog.


def _bundled(*args: str) -> str:
    result = RUNNER.invoke(app, [*args, "--as-of", AS_OF])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_bundled_gpt_4_1_mini_is_sent_past_its_dying_successor() -> None:
    doc = json.loads(_bundled("diff", "gpt-4.1-mini", "gpt-5-mini", "--json"))
    texts = [d["text"] for d in doc["differences"]]
    assert (
        "gpt-4.1-mini has been superseded by gpt-5-mini (shuts down 2026-12-11, in 15 days) "
        "→ gpt-5.6-terra: for new builds, consider gpt-5.6-terra first." in texts
    )
    life = json.loads(_bundled("show", "gpt-4.1-mini", "--json"))["model"]["lifecycle"]
    assert life["successor_chain"] == [
        {"id": "gpt-5-mini", "status": "deprecated", "shutdown_date": "2026-12-11"},
        {"id": "gpt-5.6-terra", "status": "current", "shutdown_date": None},
    ]
    assert life["live_successor"] == "gpt-5.6-terra"


def test_bundled_sonar_reasoning_chain_ends_at_a_retired_model_with_no_successor() -> None:
    life = json.loads(_bundled("show", "sonar-reasoning", "--json"))["model"]["lifecycle"]
    assert [(s["id"], s["status"]) for s in life["successor_chain"]] == [
        ("sonar-reasoning-pro", "retired")
    ]
    rows = _rows(_bundled("show", "sonar-reasoning"))
    assert rows["superseded by"] == "sonar-reasoning-pro (retired), no successor named"
    assert rows["live successor"] == "none named"
    assert rows["status"] == "retired 2025-12-15"
    texts = json.loads(_bundled("diff", "sonar-reasoning", "sonar", "--json"))["differences"]
    assert (
        "sonar-reasoning has been superseded by sonar-reasoning-pro, which itself was retired on "
        "2026-09-27 with no successor named." in [d["text"] for d in texts]
    )


def test_bundled_model_with_no_successor_says_none_is_named() -> None:
    """The catalog says so explicitly (its lifecycle note), and every view repeats it."""
    rows = _rows(_bundled("show", "sora-2"))
    assert rows["status"] == "retired 2026-09-24; no successor named"
    assert "superseded by" not in rows
    life = json.loads(_bundled("show", "sora-2", "--json"))["model"]["lifecycle"]
    assert life["superseded_by"] is None and life["successor_chain"] == []
    assert life["note"].startswith("No successor is named: OpenAI shut down the Videos API")
    texts = [
        d["text"]
        for d in json.loads(_bundled("diff", "sora-2", "gemini-3.1-flash-lite", "--json"))[
            "differences"
        ]
    ]
    assert (
        "sora-2 was retired on 2026-09-24 (63 days ago); the API no longer serves it and no "
        "successor is named." in texts
    )
    assert (
        "gemini-3.1-flash-lite is deprecated and shuts down on 2027-05-07 (in 162 days); "
        "no successor is named yet." in texts
    )
    cost = _bundled("cost", "gemini-3.1-flash-lite", "--input", "1M")
    assert "deprecated, shuts down 2027-05-07; no successor named yet" in cost


def test_bundled_best_sends_a_user_to_the_live_successor() -> None:
    doc = json.loads(_bundled("best", "--for", "chat", "-m", "o4-mini", "--json"))
    reasons = {item["model"]: item["reason"] for item in doc["not_qualifying"]}
    assert reasons["o4-mini"] == "o4-mini qualifies but is retired; use gpt-5.6-terra"


def test_best_names_the_live_successor_past_a_retired_one(tmp_path: Path) -> None:
    layer = tmp_path / "layer.toml"  # over the bundled catalog, which has the tasks
    layer.write_text(CATALOG, encoding="utf-8")
    doc = json.loads(
        _bundled("best", "--for", "chat", "-m", "via-old", "--catalog", str(layer), "--json")
    )
    reasons = {item["model"]: item["reason"] for item in doc["not_qualifying"]}
    assert reasons["via-old"] == "via-old qualifies but is retired; use via-live"


def test_bundled_best_candidates_carry_the_chain() -> None:
    doc = json.loads(_bundled("best", "--for", "chat", "--any-status", "--json"))
    found = {c["model"]: c for c in doc["candidates"]}
    assert found["gpt-4.1-mini"]["successor_chain"] == [
        {"id": "gpt-5-mini", "status": "deprecated", "shutdown_date": "2026-12-11"},
        {"id": "gpt-5.6-terra", "status": "current", "shutdown_date": None},
    ]
    assert found["gpt-4.1-mini"]["live_successor"] == "gpt-5.6-terra"
    assert found["o3-mini"]["live_successor"] == "gpt-5.6-sol"
    assert [s["id"] for s in found["o3-mini"]["successor_chain"]] == ["gpt-5.6-sol"]


def test_a_layer_naming_a_successor_drops_the_note_that_said_none_is_named(
    tmp_path: Path,
) -> None:
    layer = tmp_path / "layer.toml"
    layer.write_text(
        'schema_version = 1\n\n[models.sora-2.lifecycle]\nsuperseded_by = "gpt-5.6-sol"\n',
        encoding="utf-8",
    )
    life = json.loads(_bundled("show", "sora-2", "--catalog", str(layer), "--json"))["model"][
        "lifecycle"
    ]
    assert life["superseded_by"] == "gpt-5.6-sol" and life["note"] is None
    rows = _rows(_bundled("show", "sora-2", "--catalog", str(layer)))
    assert rows["status"] == "retired 2026-09-24"
    assert rows["superseded by"] == f"gpt-5.6-sol (from {layer})"
    # a layer that writes its own note keeps it
    layer.write_text(
        'schema_version = 1\n\n[models.sora-2.lifecycle]\nsuperseded_by = "gpt-5.6-sol"\n'
        'note = "our choice"\n',
        encoding="utf-8",
    )
    life = json.loads(_bundled("show", "sora-2", "--catalog", str(layer), "--json"))["model"][
        "lifecycle"
    ]
    assert life["note"] == "our choice"
