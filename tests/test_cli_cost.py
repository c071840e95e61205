"""`aicompare cost` end to end: exact totals, explanations, ranking, bad quantities."""

from __future__ import annotations

import pytest


def results(run) -> dict:
    assert run.exit_code == 0, run.stderr
    return {r["model"]: r for r in run.json()["results"]}


def test_worked_example_tokens(cli) -> None:
    # alpha-mini: $1.10 in, $4.40 out per 1M; 4M x 1.10 = 4.40, 1M x 4.40 = 4.40
    doc = cli("cost", "alpha-mini", "--input", "4M", "--output", "1M", "--json").json()
    (row,) = doc["results"]
    assert row["total"] == "8.8"
    assert [(i["kind"], i["quantity"], i["unit_price"], i["cost"]) for i in row["line_items"]] == [
        ("input", 4_000_000, "1.1", "4.4"),
        ("output", 1_000_000, "4.4", "4.4"),
    ]
    assert doc["workload"]["input_tokens"] == 4_000_000 and doc["workload"]["period"] == "month"


def test_worked_example_images(cli) -> None:
    # pixel-one: high 1024x1536 at $0.06 per image; 1,000 x 0.06 = 60
    run = cli("cost", "pixel-one", "--images", "1_000", "--quality", "high", "--size", "1024x1536")
    assert run.exit_code == 0, run.stderr
    # pixel-one also bills the prompt by the token: its per-image price is the output only
    assert "1k images × $0.06 per image = $60.00 (high 1024x1536, output only)" in run.stdout
    assert "$60.00" in run.stdout


def test_tiny_cost_is_never_rounded_to_zero(cli) -> None:
    doc = cli("cost", "pixel-one", "alpha-large", "--input", "110", "--json").json()
    rows = {r["model"]: r for r in doc["results"]}
    assert rows["alpha-large"]["total"] == "0.00055"
    run = cli("cost", "alpha-large", "--input", "110")
    assert "$0.00055" in run.stdout and "$0.00 " not in run.stdout


def test_split_is_stated_and_exact(cli) -> None:
    run = cli("cost", "alpha-mini", "--tokens", "5M")
    assert "--tokens 5M split 75% input (3.75M) / 25% output (1.25M)" in run.stdout
    doc = cli("cost", "alpha-mini", "--tokens", "5M", "--output-share", "10%", "--json").json()
    assert (
        doc["workload"]["input_tokens"] == 4_500_000 and doc["workload"]["output_tokens"] == 500_000
    )
    assert any("split 90% input" in a for a in doc["workload"]["assumptions"])
    # 4.5M x 1.10 + 0.5M x 4.40 = 4.95 + 2.20
    assert doc["results"][0]["total"] == "7.15"


def test_ranking_browse_catalog(cli) -> None:
    # browsing ranks what can be bought today: alpha-old (retired) is counted, not ranked
    doc = cli("cost", "--tokens", "1M", "--json").json()
    ranked = [(r["rank"], r["model"], r["total"], r["servable"]) for r in doc["results"]]
    # 750k in + 250k out: mini 0.825+1.1=1.925, large 3.75+5=8.75
    assert ranked == [(1, "alpha-mini", "1.925", True), (2, "alpha-large", "8.75", True)]
    assert doc["results"][1]["delta"] == "6.825" and doc["results"][1]["delta_percent"] == "354.55"
    assert doc["omitted"] == {
        "servable": 0,
        "cannot_serve": 2,
        "left_out": {"deprecated_or_retired": 1, "preview_or_experimental": 0, "free_tier": 0},
    }
    # --any-status ranks every status: old 0.825+2=2.825 comes back, between the two
    doc = cli("cost", "--tokens", "1M", "--any-status", "--json").json()
    ranked = [(r["rank"], r["model"], r["total"], r["servable"]) for r in doc["results"]]
    assert ranked == [
        (1, "alpha-mini", "1.925", True),
        (2, "alpha-old", "2.825", True),
        (3, "alpha-large", "8.75", True),
    ]
    assert doc["omitted"]["left_out"] == {
        "deprecated_or_retired": 0,
        "preview_or_experimental": 0,
        "free_tier": 0,
    }
    assert doc["results"][1]["lifecycle"][0] == {
        "model": "alpha-old",
        "status": "retired",
        "superseded_by": "alpha-mini",
        "shutdown_date": "2026-01-01",
        "availability": "general",
        "free": False,
        "seller": "acme",
        "offer_id": None,
        "successor_chain": [{"id": "alpha-mini", "status": "current", "shutdown_date": None}],
        "live_successor": "alpha-mini",
    }


def test_top_and_all(cli) -> None:
    doc = cli("cost", "--tokens", "1M", "--top", "1", "--json").json()
    assert [r["model"] for r in doc["results"]] == ["alpha-mini"]
    assert doc["omitted"]["servable"] == 1 and doc["omitted"]["cannot_serve"] == 2
    assert doc["omitted"]["left_out"]["deprecated_or_retired"] == 1
    doc = cli("cost", "--tokens", "1M", "--top", "1", "--any-status", "--json").json()
    assert doc["omitted"]["servable"] == 2 and doc["omitted"]["cannot_serve"] == 2
    doc = cli("cost", "--tokens", "1M", "--all", "--json").json()
    assert [r["servable"] for r in doc["results"]] == [True, True, True, False, False]
    assert doc["results"][3]["total"] is None and doc["results"][3]["rank"] is None


def test_cannot_serve_is_explained_and_last(cli) -> None:
    run = cli(
        "cost",
        "alpha-mini",
        "pixel-one",
        "--images",
        "10",
        "--quality",
        "high",
        "--size",
        "1024x1536",
    )
    lines = run.stdout.splitlines()
    pixel = next(i for i, line in enumerate(lines) if "pixel-one" in line and "$" in line)
    mini = next(i for i, line in enumerate(lines) if line.startswith("-  alpha-mini"))
    assert pixel < mini
    # the reason in a column of its own, headed so; the money columns hold a placeholder
    header = next(line for line in lines if line.startswith("#  model"))
    assert header.rstrip().endswith("cannot serve")
    assert lines[mini].split()[:4] == ["-", "alpha-mini", "-", "-"]
    assert lines[mini].endswith("images (alpha-mini is a text model)")
    assert "cannot serve:" not in run.stdout
    # the column is cut on a narrow terminal: a named row's reasons are also said whole
    assert "- alpha-mini cannot serve this workload: images (alpha-mini is a text model)" in (
        run.stdout.splitlines()
    )
    assert "$0.60" in lines[pixel]
    assert "$0.00" not in run.stdout
    doc = cli("cost", "pixel-one", "--images", "10", "--size", "512x512", "--json")
    assert doc.exit_code == 2 and "--size" in doc.stderr  # not sold by any model: a usage error


def test_pipeline(cli) -> None:
    doc = cli(
        "cost",
        "alpha-mini+pixel-one",
        "alpha-large+pixel-flat",
        "--input",
        "1M",
        "--images",
        "100",
        "--quality",
        "low",
        "--size",
        "1024x1024",
        "--json",
    ).json()
    rows = {r["model"]: r for r in doc["results"]}
    # 1M x 1.10 + 100 x 0.01 ; 1M x 5.00 + 100 x 0.03
    assert rows["alpha-mini+pixel-one"]["total"] == "2.1"
    assert rows["alpha-large+pixel-flat"]["total"] == "8"
    assert rows["alpha-mini+pixel-one"]["rank"] == 1


def test_mixed_workload_is_priced_on_image_models_when_browsing(cli) -> None:
    # 1M x 5.00 (pixel-one's prompt) + 10 x 0.01 (its cheapest cell, low 1024x1024);
    # --any-status: pixel-one's shutdown is announced (deprecated), left out by default
    doc = cli("cost", "--input", "1M", "--images", "10", "--any-status", "--json").json()
    rows = {r["model"]: r for r in doc["results"] if r["servable"]}
    assert rows["pixel-one"]["total"] == "5.1"
    assert rows["pixel-flat"]["total"] == "0.3"  # billed per image only: its prompt is not billed
    assert (
        "pixel-flat has no token prices in the catalog: its prompt tokens are not billed"
        in (rows["pixel-flat"]["notes"])
    )
    assert doc["omitted"]["cannot_serve"] > 0  # the text models: no images


def test_baseline_and_period(cli) -> None:
    doc = cli(
        "cost", "alpha-mini", "alpha-large", "--input", "1M", "--baseline", "alpha-large", "--json"
    ).json()
    rows = {r["model"]: r for r in doc["results"]}
    assert rows["alpha-mini"]["delta"] == "-3.9" and rows["alpha-mini"]["delta_percent"] == "-78.00"
    doc = cli("cost", "alpha-mini", "--input", "1M", "--per", "year", "--json").json()
    assert doc["workload"]["period"] == "year" and doc["results"][0]["total"] == "1.1"


def test_batch_rates(cli) -> None:
    doc = cli("cost", "alpha-large", "--input", "1M", "--output", "1M", "--batch", "--json").json()
    assert doc["results"][0]["total"] == "12.5"  # 2.50 + 10.00
    doc = cli("cost", "alpha-mini", "--input", "1M", "--batch", "--json").json()
    assert doc["results"][0]["total"] == "1.1"
    assert any("batch" in n for n in doc["results"][0]["notes"])


def test_long_context_tier(cli) -> None:
    doc = cli("cost", "alpha-large", "--input", "1M", "--request-tokens", "300k", "--json").json()
    assert doc["results"][0]["total"] == "10"
    doc = cli("cost", "alpha-large", "--input", "1M", "--json").json()
    assert doc["results"][0]["total"] == "5"
    assert doc["results"][0]["notes"] == [
        "prompts assumed at most 200,000 tokens (no --request-tokens); above that, long-context prices apply"
    ]


@pytest.mark.parametrize("bad", ["-5M", "inf", "5X", "1e999", "", "1.5", "nan", "1.0001k", "5 M M"])
def test_bad_quantities_exit_2(cli, bad: str) -> None:
    run = cli("cost", "alpha-mini", "--tokens", bad)
    assert run.exit_code == 2, (bad, run.stdout, run.stderr)
    assert run.stdout == ""
    assert "--tokens" in run.stderr
    assert "Traceback" not in run.stderr


def test_accepted_quantity_forms(cli) -> None:
    for form, tokens in (
        ("5M", 5_000_000),
        ("1.5k", 1_500),
        ("200_000", 200_000),
        ("2b", 2_000_000_000),
        ("42", 42),
    ):
        doc = cli("cost", "alpha-mini", "--input", form, "--json").json()
        assert doc["workload"]["input_tokens"] == tokens, form


def test_nothing_to_price(cli) -> None:
    run = cli("cost", "alpha-mini")
    assert run.exit_code == 2 and "nothing to price" in run.stderr


def test_cost_table_and_csv(cli) -> None:
    run = cli("cost", "--tokens", "1M")
    assert "Cost per month (USD)" in run.stdout and "cheapest" in run.stdout and "█" in run.stdout
    csv = cli("cost", "--tokens", "1M", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("rank,model,total,reference,delta,delta_percent,")
    assert csv[1].startswith("1,alpha-mini,1.925,alpha-mini,0,0,")
    assert csv[2].startswith("2,alpha-large,8.75,alpha-mini,6.825,354.55,")
