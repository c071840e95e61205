"""Honest verdicts from `best`: every claim is true of the data it names.

Fixture catalogs pin each rule (newest among the dated, tie-break wording, free and preview
models left out unless asked, benchmark ranking from a user layer, unit-price ranking); the
bundled catalog is then checked claim by claim for every task, in --json and in text at 80 and
120 columns.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

BUNDLED_AS_OF = "2026-11-26"


def model(
    model_id: str,
    *,
    released: str | None = None,
    caps: tuple[str, ...] = ("function_calling",),
    price: str = "1",
    availability: str | None = None,
    extra: str = "",
) -> str:
    text = f'[models.{model_id}]\nprovider = "acme"\ntype = "text"\n'
    text += 'output_modalities = ["text"]\n'
    text += "capabilities = [" + ", ".join(f'"{c}"' for c in caps) + "]\n"
    if released:
        text += f"release_date = {released}\n"
    if availability:
        text += f'availability = "{availability}"\n'
    text += extra
    text += f"[models.{model_id}.prices]\ninput = {price}\noutput = {price}\n"
    return text


TASK = """
[tasks.job]
name = "Job"
[tasks.job.requires]
types = ["text"]
[tasks.job.rank]
prefer = ["vision"]
by = {by}
[tasks.job.workload]
tokens = "1M"
"""


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write a base catalog of the given models and task; `best` then runs on it alone."""

    def write(models: list[str], by: str = '["prefer", "newest", "cost"]') -> Path:
        path = tmp_path / "base.toml"
        path.write_text("\n".join(models) + TASK.replace("{by}", by), encoding="utf-8")
        monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(path))
        return path

    return write


def flat(text: str) -> str:
    return " ".join(text.split())


# --- newest over the models that have a date ----------------------------------------------------


def test_newest_counts_only_models_with_a_release_date(cli, catalog) -> None:
    catalog(
        [
            model("old", released="2025-01-01"),
            model("new", released="2026-01-01", price="9"),
            model("nodate-a"),
            model("nodate-b"),
        ],
        by='["newest", "cost"]',
    )
    doc = cli("best", "--for", "job", "--json").json()
    assert doc["top_pick"]["model"] == "new"
    assert doc["top_pick"]["reason"] == (
        "new is the top pick for job. Of the 4 that qualify, it is the newest of the 2 with a "
        "release date (released 2026-01-01); 2 have none. The release date decided the pick. It "
        "would cost $9.00 for 1M tokens a month."
    )
    assert doc["top_pick"]["decided_by"] == "newest"
    assert doc["top_pick"]["steps"] == [{"criterion": "newest", "compared": 4, "tied": 1}]


def test_no_release_dates_at_all_is_said_and_the_next_criterion_decides(cli, catalog) -> None:
    catalog([model("a", price="2"), model("b", price="1")], by='["newest", "cost"]')
    doc = cli("best", "--for", "job", "--json").json()
    assert doc["top_pick"]["reason"] == (
        "b is the top pick for job. Of the 2 that qualify, none has a release date in the "
        "catalog; of those 2, it is the cheapest of the 2 with a price for 1M tokens a month "
        "($1.00). The cost of the workload decided the pick, after the release date tied. It "
        "would cost $1.00 for 1M tokens a month."
    )


# --- tie-breaks ---------------------------------------------------------------------------------


def test_a_tie_break_says_which_criterion_decided_and_what_tied(cli, catalog) -> None:
    catalog(
        [
            model("vis-dear", released="2026-01-01", caps=("vision",), price="5"),
            model("vis-cheap", released="2026-01-01", caps=("vision",), price="3"),
            model("plain", released="2026-06-01", price="1"),
        ]
    )
    doc = cli("best", "--for", "job", "--json").json()
    assert doc["top_pick"]["reason"] == (
        "vis-cheap is the top pick for job. Of the 3 that qualify, 2 have the preferred "
        "capability (vision), it among them; of those 2, it is one of the 2 newest of the 2 with "
        "a release date (all released 2026-01-01); of those 2, it is the cheapest of the 2 with a "
        "price for 1M tokens a month ($3.00). The cost of the workload decided the pick, after "
        "the preferred capabilities and the release date tied. It would cost $3.00 for 1M "
        "tokens a month."
    )
    assert doc["top_pick"]["steps"] == [
        {"criterion": "prefer", "compared": 3, "tied": 2},
        {"criterion": "newest", "compared": 2, "tied": 2},
        {"criterion": "cost", "compared": 2, "tied": 1},
    ]
    assert doc["budget_pick"]["reason"] == (
        "plain is the budget pick: the cheapest of the 3 that qualify with a price for 1M tokens "
        "a month, 67% cheaper than vis-cheap ($1.00 vs $3.00)."
    )


def test_a_tie_on_every_criterion_is_decided_by_id_and_says_so(cli, catalog) -> None:
    catalog([model("zeta"), model("alpha")], by='["cost"]')
    doc = cli("best", "--for", "job", "--json").json()
    assert doc["top_pick"]["decided_by"] == "id"
    assert doc["top_pick"]["reason"] == (
        "alpha is the top pick for job. Of the 2 that qualify, it shares the lowest price for 1M "
        "tokens a month ($1.00) with 1 other. They tie on every criterion (the cost of the "
        "workload): alpha comes first by id. It would cost $1.00 for 1M tokens a month."
    )
    assert doc["budget_pick"]["reason"] == (
        "alpha is also the cheapest of the 2 that qualify with a price for 1M tokens a month "
        "(1 other costs the same; it comes first by id)."
    )


def test_a_single_qualifying_model_is_said_to_be_the_only_one(cli, catalog) -> None:
    catalog([model("only")])
    doc = cli("best", "--for", "job", "--json").json()
    assert doc["top_pick"]["reason"] == (
        "only is the top pick for job. It is the only model that qualifies. It would cost $1.00 "
        "for 1M tokens a month."
    )
    assert doc["top_pick"]["decided_by"] is None


# --- free, preview and experimental models are not picked unless asked --------------------------


def test_free_preview_and_experimental_models_are_left_out_by_reason(cli, catalog) -> None:
    catalog(
        [
            model("paid", price="4"),
            model("gratis", price="0"),
            model("soon", price="1", availability="preview"),
            model("lab", price="1", availability="experimental"),
            model("lab-free", price="0", availability="experimental"),
            model(
                "gone",
                price="1",
                extra="[models.gone.lifecycle]\nshutdown_date = 2020-01-01\n",
            ),
        ]
    )
    doc = cli("best", "--for", "job", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["paid"]
    assert doc["top_pick"]["model"] == doc["budget_pick"]["model"] == "paid"
    # "the only model that qualifies" would be false: five more qualify
    assert doc["top_pick"]["reason"] == (
        "paid is the top pick for job. It is the only one of the current, generally available "
        "and paid models that qualify. It would cost $4.00 for 1M tokens a month."
    )
    assert doc["left_out"] == {"not_current": 1, "over_budget": 0, "preview": 3, "free": 1}
    assert doc["notes"][0] == (
        "Left out though they qualify: 1 deprecated or retired (--any-status to include them); "
        "3 preview or experimental (--include-preview to include them); 1 free-tier (every "
        "listed price $0) (--include-free to include them)."
    )
    text = flat(cli("best", "--for", "job").stdout)
    assert doc["notes"][0] in text

    # --include-free brings the free model back, not the previews
    doc = cli("best", "--for", "job", "--include-free", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["gratis", "paid"]
    assert doc["budget_pick"]["model"] == "gratis"
    assert doc["top_pick"]["reason"].startswith(
        "gratis is the top pick for job. Of the 2 current and generally available models that "
        "qualify, all of them have none of the preferred capabilities (vision)"
    )
    assert doc["left_out"] == {"not_current": 1, "over_budget": 0, "preview": 3, "free": 0}

    # --include-preview brings previews and experiments back; a free experiment needs both
    doc = cli("best", "--for", "job", "--include-preview", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["lab", "soon", "paid"]
    assert doc["left_out"] == {"not_current": 1, "over_budget": 0, "preview": 0, "free": 2}
    doc = cli("best", "--for", "job", "--include-preview", "--include-free", "--json").json()
    assert {c["model"] for c in doc["candidates"]} == {"gratis", "lab", "lab-free", "soon", "paid"}


def test_a_named_model_left_out_says_why_and_which_option_brings_it_back(cli, catalog) -> None:
    catalog([model("paid"), model("gratis", price="0"), model("soon", availability="preview")])
    doc = cli("best", "--for", "job", "-m", "gratis", "-m", "soon", "--json").json()
    assert doc["not_qualifying"] == [
        {
            "model": "gratis",
            "reason": "gratis qualifies but is free-tier, every listed price $0 (--include-free to "
            "consider it)",
        },
        {
            "model": "soon",
            "reason": "soon qualifies but is a preview model (--include-preview to consider it)",
        },
    ]


def test_nothing_offered_when_every_qualifying_model_is_left_out(cli, catalog) -> None:
    catalog([model("gratis", price="0"), model("soon", availability="preview")])
    run = cli("best", "--for", "job")
    assert run.exit_code == 0
    assert (
        "No model is offered for job: the 2 that qualify are all left out (see the notes below)."
        in run.stdout
    )


# --- a quality signal the user brings -----------------------------------------------------------


def test_benchmark_ranking_reads_scores_from_a_user_layer(cli, catalog, tmp_path: Path) -> None:
    catalog([model("a", price="1"), model("b", price="2"), model("c", price="3")])
    layer = tmp_path / "scores.toml"
    layer.write_text(
        '[models.b.benchmarks.swe-bench]\nscore = 70.5\nsource = "https://s.example/b"\n'
        '[models.c.benchmarks.swe-bench]\nscore = 70.25\nsource = "https://s.example/c"\n',
        encoding="utf-8",
    )
    doc = cli(
        "best",
        "--for",
        "job",
        "--rank-by",
        "benchmark:swe-bench,cost",
        "--catalog",
        str(layer),
        "--json",
    ).json()
    assert doc["task"]["rank_by"] == ["benchmark:swe-bench", "cost"]
    assert [c["model"] for c in doc["candidates"]] == ["b", "c", "a"]
    assert doc["top_pick"]["reason"] == (
        "b is the top pick for job. Of the 3 that qualify, it has the highest swe-bench score of "
        "the 2 with one (70.5, source: https://s.example/b); 1 has none. The swe-bench score "
        "decided the pick. It would cost $2.00 for 1M tokens a month."
    )
    assert doc["notes"] == [
        "2 of the 3 that qualify have a swe-bench score, from the sources named in the catalog."
    ]


def test_without_scores_the_verdict_says_it_knows_nothing_of_quality(cli, catalog) -> None:
    catalog([model("a", price="1"), model("b", price="2")])
    doc = cli("best", "--for", "job", "--rank-by", "benchmark:swe-bench", "--json").json()
    assert doc["notes"] == [
        "None of the 2 that qualify has a swe-bench score in the catalog, so swe-bench ranked "
        "nothing and the pick says nothing about output quality."
    ]
    assert "none has a swe-bench score in the catalog" in doc["top_pick"]["reason"]
    doc = cli("best", "--for", "job", "--rank-by", "cost", "--json").json()
    assert doc["top_pick"]["reason"] == (
        "a is the top pick for job. Of the 2 that qualify, it is the cheapest of the 2 with a "
        "price for 1M tokens a month ($1.00). The cost of the workload decided the pick. It "
        "would cost $1.00 for 1M tokens a month."
    )
    assert doc["notes"] == [
        "No benchmark score ranks this job, so the pick says nothing about output quality; to "
        "rank by quality, bring scores (catalog import --from csv) and use --rank-by "
        "benchmark:NAME."
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("vibes", "unknown criterion 'vibes'"),
        ("price:per_vibe", "unknown price key 'per_vibe'"),
        ("benchmark:", "benchmark: needs a name"),
        (",", "--rank-by needs a criterion"),
    ],
)
def test_rank_by_rejects_what_a_task_would_not_accept(cli, value: str, message: str) -> None:
    run = cli("best", "--for", "chat", "--rank-by", value)
    assert run.exit_code == 2
    assert message in run.stderr and run.stdout == ""


# --- unit prices and endpoints (transcription) ----------------------------------------------------


def test_unit_price_ranking_and_endpoint_requirement(cli, tmp_path: Path, monkeypatch) -> None:
    base = tmp_path / "base.toml"
    base.write_text(
        """
[models.stt-a]
provider = "acme"
type = "audio"
endpoints = ["audio_transcriptions"]
[models.stt-a.prices]
audio_input_per_minute = 0.006
[models.stt-b]
provider = "acme"
type = "audio"
endpoints = ["realtime_transcription_sessions"]
[models.stt-b.prices]
audio_input_per_minute = 0.0045
[models.talk]
provider = "acme"
type = "audio"
endpoints = ["realtime"]
[models.talk.prices]
input = 0.5
output = 2
[tasks.transcription]
name = "Transcription"
popular = ["talk"]
[tasks.transcription.requires]
types = ["audio"]
endpoints = ["audio_transcriptions", "realtime_transcription_sessions"]
[tasks.transcription.rank]
by = ["price:audio_input_per_minute", "newest"]
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(base))
    doc = cli("best", "--for", "transcription", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["stt-b", "stt-a"]
    assert doc["top_pick"]["reason"] == (
        "stt-b is the top pick for transcription. Of the 2 that qualify, it has the lowest audio "
        "input price of the 2 with one ($0.0045 per minute). The audio input price per minute "
        "decided the pick. Its price for 1M tokens a month is not in the catalog: it is priced "
        "per minute of audio input."
    )
    assert doc["budget_pick"]["reason"] == (
        "stt-b is also the cheapest of the 2 that qualify with an audio input price."
    )
    assert doc["not_qualifying"] == [
        {
            "model": "talk",
            "reason": "talk is not served at an audio_transcriptions or "
            "realtime_transcription_sessions endpoint (per the catalog)",
        }
    ]
    text = cli("best", "--for", "transcription").stdout
    assert "price per minute" in text and "$0.0045" in text


# --- the bundled catalog, claim by claim ----------------------------------------------------------


def _bundled_tasks(bundled_cli) -> list[str]:
    doc = bundled_cli("best", "--list", "--json", as_of=False).json()
    return [t["id"] for t in doc["tasks"]]


def _value(criterion: str, c: dict[str, Any]) -> tuple[bool, Any]:
    """The candidate's value on a criterion, from the JSON alone (smaller first)."""
    if criterion == "prefer":
        return (False, -len(c["preferred_capabilities"]))
    if criterion == "newest":
        date = c["release_date"]
        return (date is None, -dt.date.fromisoformat(date).toordinal() if date else 0)
    if criterion == "context_window":
        return (c["context_window"] is None, -(c["context_window"] or 0))
    if criterion == "cost":
        return (c["total"] is None, Decimal(c["total"]) if c["total"] is not None else 0)
    if criterion.startswith("price:"):
        price = c["prices"].get(criterion[6:])
        return (price is None, Decimal(price) if price is not None else 0)
    if criterion.startswith("benchmark:"):
        bench = c["benchmarks"].get(criterion[10:])
        return (bench is None, -Decimal(bench["score"]) if bench else 0)
    raise AssertionError(criterion)


def test_every_bundled_verdict_is_true_of_the_data(bundled_cli) -> None:
    from aicompare.loader import load_catalog
    from aicompare.model import GENERAL, Status
    from aicompare.tasks import why_not

    catalog = load_catalog()
    today = dt.date.fromisoformat(BUNDLED_AS_OF)
    tasks = _bundled_tasks(bundled_cli)
    assert "transcription" in tasks and "image-generation" in tasks
    for task_id in tasks:
        doc = bundled_cli(
            "best", "--for", task_id, "--json", "--as-of", BUNDLED_AS_OF, as_of=False
        ).json()
        task = catalog.tasks[task_id]
        qualifying = [m for m in catalog.models.values() if why_not(task, m) is None]
        offered = [
            m
            for m in qualifying
            if m.status(today) is Status.CURRENT and m.availability == GENERAL and not m.free
        ]
        cands = doc["candidates"]
        # counts match: everything that qualifies is offered or left out under one reason
        assert sorted(c["model"] for c in cands) == sorted(m.id for m in offered), task_id
        left = doc["left_out"]
        assert left["not_current"] + left["preview"] + left["free"] + len(cands) == len(
            qualifying
        ), task_id
        # no free-tier, preview or experimental model, and nothing but current ones, is picked
        for c in cands:
            assert c["status"] == "current" and c["availability"] == "general", task_id
            assert not c["free"], task_id
        top = doc["top_pick"]
        assert top is not None and top["model"] == cands[0]["model"], task_id
        # each step's group and ties, recomputed from the candidates' own data
        by = doc["task"]["rank_by"]
        group = cands
        if "cost" in by:
            group = [c for c in cands if (c["total"] is None) == (cands[0]["total"] is None)]
        for step in top["steps"]:
            mine = _value(step["criterion"], cands[0])
            assert all(_value(step["criterion"], c) >= mine for c in group), (task_id, step)
            tied = [c for c in group if _value(step["criterion"], c) == mine]
            assert (step["compared"], step["tied"]) == (len(group), len(tied)), (task_id, step)
            if step["criterion"] == "newest":
                dated = [c for c in group if c["release_date"]]
                if cands[0]["release_date"]:
                    assert cands[0]["release_date"] == max(c["release_date"] for c in dated)
                    claim = re.search(
                        r"the newest of the (\d+) with a release date \(released ([\d-]+)\)"
                        r"(?:; (\d+) ha(?:s|ve) none)?",
                        top["reason"],
                    )
                    assert claim is not None, (task_id, top["reason"])
                    assert int(claim[1]) == len(dated)
                    assert claim[2] == cands[0]["release_date"]
                    assert int(claim[3] or 0) == len(group) - len(dated)
            group = tied
        assert top["decided_by"] in (*by, "id", None), task_id
        if top["decided_by"] not in ("id", None):
            assert top["steps"][-1]["tied"] == 1
        # the budget pick is the cheapest on the task's measure, and is offered
        budget = doc["budget_pick"]
        assert budget is not None and budget["model"] in {c["model"] for c in cands}
        assert "qualify" in budget["reason"], task_id


def test_bundled_transcription_compares_speech_to_text_models_by_the_minute(bundled_cli) -> None:
    doc = bundled_cli(
        "best", "--for", "transcription", "--json", "--as-of", BUNDLED_AS_OF, as_of=False
    ).json()
    cands = doc["candidates"]
    assert cands, "speech-to-text models qualify"
    from aicompare.loader import load_catalog

    catalog = load_catalog()
    for c in cands:
        endpoints = catalog.models[c["model"]].endpoints
        assert {"audio_transcriptions", "realtime_transcription_sessions"} & set(endpoints)
        assert "audio_output" not in c["prices"]  # no conversational audio model
    prices = [
        Decimal(c["prices"]["audio_input_per_minute"])
        for c in cands
        if "audio_input_per_minute" in c["prices"]
    ]
    top = cands[0]
    assert Decimal(top["prices"]["audio_input_per_minute"]) == min(prices)
    assert doc["top_pick"]["decided_by"] == "price:audio_input_per_minute"


def test_bundled_image_generation_reads_the_output_modalities(bundled_cli) -> None:
    """Every current, generally available, paid model whose output includes images qualifies."""
    from aicompare.loader import load_catalog
    from aicompare.model import GENERAL, Status

    catalog = load_catalog()
    today = dt.date.fromisoformat(BUNDLED_AS_OF)
    doc = bundled_cli(
        "best", "--for", "image-generation", "--json", "--as-of", BUNDLED_AS_OF, as_of=False
    ).json()
    expected = {
        m.id
        for m in catalog.models.values()
        if "image" in m.output_modalities
        and m.status(today) is Status.CURRENT
        and m.availability == GENERAL
        and not m.free
    }
    assert {c["model"] for c in doc["candidates"]} == expected


@pytest.mark.parametrize("columns", ["80", "120"])
def test_bundled_text_says_what_the_json_says(bundled_cli, columns: str) -> None:
    for task_id in _bundled_tasks(bundled_cli):
        args = ("best", "--for", task_id, "--as-of", BUNDLED_AS_OF)
        doc = bundled_cli(*args, "--json", as_of=False).json()
        run = bundled_cli(*args, as_of=False, env={"COLUMNS": columns})
        assert run.exit_code == 0 and run.stderr == ""
        text = flat(run.stdout)
        for sentence in (doc["top_pick"]["reason"], doc["budget_pick"]["reason"], *doc["notes"]):
            assert flat(sentence) in text, (task_id, columns, sentence)
        for item in doc["not_qualifying"]:
            assert flat(item["reason"]) + "." in text


def test_the_only_priced_model_is_said_to_lead_on_that_alone(cli, catalog) -> None:
    unpriced = '[models.dark]\nprovider = "acme"\ntype = "text"\nrelease_date = 2026-09-01\n'
    catalog([model("lit", released="2024-01-01"), unpriced])
    doc = cli("best", "--for", "job", "--json").json()
    assert [c["model"] for c in doc["candidates"]] == ["lit", "dark"]
    assert doc["top_pick"]["reason"] == (
        "lit is the top pick for job. Of the 2 that qualify, it is the only one with a price for "
        "1M tokens a month, which decided the pick. It would cost $1.00 for 1M tokens a month."
    )
    assert (doc["top_pick"]["decided_by"], doc["top_pick"]["steps"]) == ("cost", [])
