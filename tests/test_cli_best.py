"""`aicompare best`: verdicts drawn from catalog facts, with computed reasons."""

from __future__ import annotations

from pathlib import Path


def test_list_tasks(cli) -> None:
    doc = cli("best", "--list", "--json").json()
    assert [t["id"] for t in doc["tasks"]] == ["image-generation", "chat", "huge"]
    assert doc["tasks"][0]["requires"]["output_modalities"] == ["image"]
    table = cli("best", "--list").stdout
    assert "image-generation" in table and "image output" in table


def test_image_generation_verdict(cli) -> None:
    run = cli("best", "--for", "image-generation", "--any-status")
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    # pixel-one supports image_generation (preferred); pixel-flat is cheaper: 1k x 0.03 vs 1k x 0.01? no:
    # pixel-one low 1024x1024 = $0.01 -> $10.00; pixel-flat any = $0.03 -> $30.00
    assert (
        "pixel-one is the top pick for image generation. Of the 2 that qualify, it alone has the "
        "preferred capability (image generation). The preferred capabilities decided the pick. It "
        "would cost $10.00 for 1,000 low 1024x1024 images a month."
    ) in " ".join(out.split())
    assert (
        "pixel-one is also the cheapest of the 2 that qualify with a price for 1,000 low 1024x1024 "
        "images a month."
    ) in " ".join(out.split())
    assert "alpha-mini cannot generate images: its output is text only." in out
    assert "No benchmark score ranks this job, so the pick says nothing about output quality" in out


def test_budget_pick_percent(cli) -> None:
    doc = cli("best", "--for", "chat", "--json").json()
    # alpha-large: vision (preferred) -> top; alpha-mini cheaper. 750k in + 250k out:
    # large 3.75 + 5 = 8.75 ; mini 0.825 + 1.1 = 1.925 -> 78% cheaper
    assert doc["top_pick"]["model"] == "alpha-large"
    assert doc["budget_pick"] == {
        "model": "alpha-mini",
        "reason": "alpha-mini is the budget pick: the cheapest of the 2 that qualify with a price "
        "for 1M tokens a month, 78% cheaper than alpha-large ($1.93 vs $8.75).",
    }
    assert [c["model"] for c in doc["candidates"]] == ["alpha-large", "alpha-mini"]
    assert doc["left_out"] == {"not_current": 0, "over_budget": 0, "preview": 0, "free": 0}


def test_current_only_unless_asked(cli) -> None:
    doc = cli("best", "--for", "image-generation", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["pixel-flat"]  # pixel-one is deprecated
    assert doc["left_out"]["not_current"] == 1


def test_budget_filters(cli) -> None:
    doc = cli("best", "--for", "chat", "--budget", "5", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["alpha-mini"]
    assert doc["top_pick"]["reason"] == (
        "alpha-mini is the top pick for chat. It is the only one of the models that qualify "
        "within the budget. It would cost $1.93 for 1M tokens a month."
    )
    assert doc["left_out"]["over_budget"] == 1
    run = cli("best", "--for", "chat", "--budget", "1")
    assert (
        run.exit_code == 0
        and "No model in the catalog qualifies for chat within the budget" in run.stdout
    )
    bad = cli("best", "--for", "chat", "--budget", "lots")
    assert bad.exit_code == 2 and "--budget" in bad.stderr


def test_nothing_qualifies(cli) -> None:
    run = cli("best", "--for", "huge")
    assert run.exit_code == 0
    assert "No model in the catalog qualifies for huge context." in run.stdout
    doc = cli("best", "--for", "huge", "--json").json()
    assert doc["top_pick"] is None and doc["candidates"] == []


def test_explain_model(cli) -> None:
    doc = cli("best", "--for", "chat", "-m", "pixel-one", "--json").json()
    assert {"model": "pixel-one", "reason": "pixel-one is an image model, not a text model"} in doc[
        "not_qualifying"
    ]


def test_unknown_task_and_missing_for(cli) -> None:
    run = cli("best", "--for", "imagegen")
    assert run.exit_code == 1 and run.stderr.splitlines()[1].startswith(
        "did you mean: image-generation"
    )
    assert cli("best").exit_code == 2


def test_user_layer_adds_a_task(cli, tmp_path: Path, monkeypatch) -> None:
    layer = tmp_path / "tasks.toml"
    layer.write_text(
        '[tasks.cheap-text]\nname = "Cheap text"\n[tasks.cheap-text.requires]\ntypes = ["text"]\n'
        '[tasks.cheap-text.rank]\nby = ["cost"]\n[tasks.cheap-text.workload]\ninput = "1M"\n'
    )
    doc = cli("best", "--for", "cheap-text", "--catalog", str(layer), "--json").json()
    assert doc["top_pick"]["model"] == "alpha-mini"
    bad = tmp_path / "bad.toml"
    bad.write_text('[tasks.x.rank]\nby = ["vibes"]\n')
    run = cli("best", "--list", "--catalog", str(bad))
    assert run.exit_code == 1 and "unknown criterion 'vibes'" in run.stderr


def test_free_budget_pick_is_called_free(cli, tmp_path: Path) -> None:
    layer = tmp_path / "free.toml"
    layer.write_text(
        '[models.gratis]\nprovider = "acme"\ntype = "text"\ncapabilities = ["function_calling"]\n'
        "[models.gratis.prices]\ninput = 0\noutput = 0\n"
    )
    # a free-tier model is never the budget pick unless asked for
    doc = cli("best", "--for", "chat", "--catalog", str(layer), "--json").json()
    assert doc["budget_pick"]["model"] == "alpha-mini"
    assert doc["left_out"]["free"] == 1
    doc = cli("best", "--for", "chat", "--include-free", "--catalog", str(layer), "--json").json()
    assert doc["budget_pick"]["model"] == "gratis"
    assert doc["budget_pick"]["reason"] == (
        "gratis is the budget pick: the cheapest of the 3 that qualify with a price for 1M tokens "
        "a month, listed as free ($0) against $8.75 for alpha-large; check the maker's rate "
        "limits for free use."
    )


def test_exported_tasks_build_the_same_tasks(cli, tmp_path: Path, monkeypatch) -> None:
    """`catalog export` writes each task back as a table that builds the same Task."""
    import tomllib

    from aicompare.loader import load_catalog
    from aicompare.schema import Problems
    from aicompare.tasks import build_tasks

    out = tmp_path / "all.toml"
    assert cli("catalog", "export", "-o", str(out)).exit_code == 0
    exported = tomllib.loads(out.read_text("utf-8"))["tasks"]
    assert exported["huge"] == {"name": "Huge context", "requires": {"min_context_window": 5000000}}
    assert exported["image-generation"]["rank"] == {
        "by": ["prefer", "cost"],
        "prefer": ["image_generation"],
    }
    catalog = load_catalog()
    problems = Problems(lambda path: ("export", None))
    assert build_tasks(exported, problems, set(catalog.models)) == dict(catalog.tasks)
    assert not problems.items
