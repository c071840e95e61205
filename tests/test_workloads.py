"""Every workload priced: image prompts, image tokens, audio, video, prompt caching, reasoning.

The worked examples run on the bundled catalog; the rules on a fixture of made-up models
(tests/data/workloads/models.toml), figures worked out by hand in the comments. Every figure is
read from `cost --json`: exact decimal strings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicompare.catalog import Catalog
from aicompare.costing import parse_workload
from aicompare.loader import ENV_BASE, ENV_CATALOG, load_catalog
from aicompare.pricing import BILLED, Workload, estimate, quote_all, rate_card
from aicompare.quantities import Period, WorkloadSpec
from aicompare.workloads import build_workload

HERE = Path(__file__).resolve().parent
WORKLOADS = HERE / "data" / "workloads" / "models.toml"
PRICING = HERE / "data" / "pricing" / "models.toml"

Run = Any


@pytest.fixture
def wcli(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """The CLI runner on the workloads fixture."""
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(WORKLOADS))
    return cli


def rows(run: Run) -> dict[str, dict[str, Any]]:
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    return {r["model"]: r for r in run.json()["results"]}


def items(row: dict[str, Any]) -> list[tuple[str, str, int, str, str]]:
    return [
        (i["model"], i["kind"], i["quantity"], i["unit_price"], i["cost"])
        for i in row["line_items"]
    ]


def usage_error(run: Run, message: str, hint: str | None = None) -> None:
    assert run.exit_code == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == f"error: {message}", run.stderr
    assert len(lines) >= 2  # a hint line
    if hint is not None:
        assert hint in lines[1]


# --- worked examples, bundled catalog ---------------------------------------------------------------


def test_image_models_bill_their_prompt_worked_example(bundled_cli: Callable[..., Run]) -> None:
    # gpt-image-1: 10k x $0.042 + 500k x $5/1M = 420 + 2.50; mini: 10k x 0.011 + 500k x 2/1M
    run = bundled_cli(
        "cost",
        "gpt-image-1",
        "gpt-image-1-mini",
        "--images",
        "10k",
        "--quality",
        "medium",
        "--size",
        "1024x1024",
        "--input",
        "500k",
        "--as-of",
        "2026-10-01",
        "--json",
        as_of=False,
    )
    got = rows(run)
    assert got["gpt-image-1"]["total"] == "422.5"
    assert got["gpt-image-1-mini"]["total"] == "111"
    assert items(got["gpt-image-1"]) == [
        ("gpt-image-1", "input", 500_000, "5", "2.5"),
        ("gpt-image-1", "images", 10_000, "0.042", "420"),
    ]
    assert items(got["gpt-image-1-mini"]) == [
        ("gpt-image-1-mini", "input", 500_000, "2", "1"),
        ("gpt-image-1-mini", "images", 10_000, "0.011", "110"),
    ]
    image = got["gpt-image-1"]["line_items"][1]
    assert image["detail"] == "medium 1024x1024, output only"
    assert image["note"] == (
        "the per-image price covers the image output only; the prompt tokens are billed as "
        "lines of their own"
    )


def test_prompt_caching_worked_example(bundled_cli: Callable[..., Run]) -> None:
    # 1M x 3 + 1M x 0.30 (cache reads) + 1M x 3.75 (5-minute writes) + 1M x 15 = 22.05
    run = bundled_cli(
        "cost",
        "claude-sonnet-4-5",
        *("--input", "1M", "--cache-writes", "1M", "--cached-input", "1M", "--output", "1M"),
        "--json",
    )
    (row,) = rows(run).values()
    assert row["total"] == "22.05"
    assert items(row) == [
        ("claude-sonnet-4-5", "input", 1_000_000, "3", "3"),
        ("claude-sonnet-4-5", "cached_input", 1_000_000, "0.3", "0.3"),
        ("claude-sonnet-4-5", "cache_write", 1_000_000, "3.75", "3.75"),
        ("claude-sonnet-4-5", "output", 1_000_000, "15", "15"),
    ]
    workload = run.json()["workload"]
    assert (workload["input_tokens"], workload["cache_write_tokens"]) == (1_000_000, 1_000_000)
    assert (
        "--cache-writes 1M: 5-minute cache writes (in addition to --input), billed at the "
        "cache-write rate"
    ) in workload["assumptions"]


def test_pipeline_keeps_the_tokens_with_the_text_model(bundled_cli: Callable[..., Run]) -> None:
    # o4-mini bills the 500k input (x 1.10); gpt-image-1 the images (10k x 0.042)
    run = bundled_cli(
        "cost",
        "o4-mini+gpt-image-1",
        *("--images", "10k", "--quality", "medium", "--size", "1024x1024", "--input", "500k"),
        "--json",
    )
    (row,) = rows(run).values()
    assert row["total"] == "420.55"
    assert items(row) == [
        ("o4-mini", "input", 500_000, "1.1", "0.55"),
        ("gpt-image-1", "images", 10_000, "0.042", "420"),
    ]


def test_transcription_is_priced_by_the_minute(bundled_cli: Callable[..., Run]) -> None:
    # whisper-1: 10k minutes x $0.006
    (row,) = rows(bundled_cli("cost", "whisper-1", "--audio-minutes", "10k", "--json")).values()
    assert row["total"] == "60"
    assert items(row) == [("whisper-1", "audio_input_per_minute", 10_000, "0.006", "60")]
    assert row["line_items"][0]["unit"] == "per minute"
    assert row["line_items"][0]["text"] == (
        "10k minutes of audio input × $0.006 per minute = $60.00"
    )


def test_best_takes_the_new_workload_options(bundled_cli: Callable[..., Run]) -> None:
    run = bundled_cli("best", "--for", "transcription", "--audio-minutes", "1k")
    assert run.exit_code == 0, run.stderr
    # the verdict names the workload it priced (a task's workload keys are WorkloadSpec fields)
    assert " for 1k minutes of audio input a month." in run.stdout
    assert "audio_minutes" in WorkloadSpec._fields


# --- image models with prompts --------------------------------------------------------------------


def test_image_edit_prompt_and_image_input(wcli: Callable[..., Run]) -> None:
    # 1M x 5 + 1M x 10 (image input) + 1M x 2.50 (cached image input) + 10 x 0.042
    run = wcli(
        "cost",
        "grid-tokens",
        *("--images", "10", "--quality", "medium", "--size", "1024x1024", "--input", "1M"),
        *("--image-input", "1M", "--cached-image-input", "1M", "--json"),
    )
    (row,) = rows(run).values()
    assert row["total"] == "17.92"
    assert [i[1] for i in items(row)] == ["input", "image_input", "cached_image_input", "images"]


def test_without_a_prompt_the_image_line_says_what_is_left_out(wcli: Callable[..., Run]) -> None:
    run = wcli("cost", "grid-tokens", "--images", "10", "--quality", "low", "--json")
    (row,) = rows(run).values()
    assert row["total"] == "0.11"
    assert row["line_items"][0]["note"] == (
        "the per-image price covers the image output only; grid-tokens also bills the prompt by "
        "the token (give it with --input)"
    )


def test_a_pipeline_image_line_says_its_prompt_is_not_included(wcli: Callable[..., Run]) -> None:
    # plain-chat: 1M x 2; grid-tokens: 10 x 0.011
    run = wcli(
        "cost", "plain-chat+grid-tokens", "--input", "1M", "--images", "10", "--quality", "low"
    )
    assert run.exit_code == 0, run.stderr
    assert "$2.11" in run.stdout
    assert (
        "grid-tokens: the per-image price covers the image output only; grid-tokens's own "
        "prompt tokens are not part of a pipeline's estimate"
    ) in run.stdout


def test_a_token_billed_image_model_without_a_prompt_price_cannot_serve(
    wcli: Callable[..., Run],
) -> None:
    run = wcli("cost", "no-prompt-price", "--images", "10", "--input", "1M", "--json")
    (row,) = rows(run).values()
    assert row["total"] is None
    assert row["cannot_serve"] == [
        "input tokens (no input price for no-prompt-price in the catalog)"
    ]


def test_an_image_model_billed_per_image_only_serves_without_billing_the_prompt(
    wcli: Callable[..., Run],
) -> None:
    (row,) = rows(wcli("cost", "per-image", "--images", "10", "--input", "1M", "--json")).values()
    assert row["total"] == "0.2"
    assert row["notes"] == [
        "per-image has no token prices in the catalog: its prompt tokens are not billed"
    ]


def test_text_output_on_an_image_model_is_not_waved_through(wcli: Callable[..., Run]) -> None:
    run = wcli("cost", "per-image", "grid-tokens", "--images", "10", "--tokens", "1M", "--json")
    got = rows(run)
    assert got["per-image"]["cannot_serve"] == [
        "output tokens (no output price for per-image in the catalog)"
    ]
    assert got["grid-tokens"]["cannot_serve"] == [
        "output tokens (no output price for grid-tokens in the catalog)"
    ]


def test_text_tokens_alone_still_need_a_text_model(wcli: Callable[..., Run]) -> None:
    (row,) = rows(wcli("cost", "grid-tokens", "--input", "1M", "--json")).values()
    assert row["cannot_serve"] == ["text tokens (grid-tokens is an image model)"]


def test_browsing_a_token_and_image_workload_prices_image_models(wcli: Callable[..., Run]) -> None:
    run = wcli("cost", "--images", "10", "--input", "1M", "--quality", "medium", "--all", "--json")
    got = rows(run)
    servable = {key: row["total"] for key, row in got.items() if row["servable"]}
    # grid-tokens 1M x 5 + 10 x 0.042; per-image 10 x 0.02 (its prompt not billed)
    assert servable == {"grid-tokens": "5.42", "per-image": "0.2"}
    assert got["plain-chat"]["cannot_serve"] == ["images (plain-chat is a text model)"]
    assert got["tokens-only"]["cannot_serve"][0].startswith("images (tokens-only sells images")


# --- image models without a per-image grid ---------------------------------------------------------


def test_an_image_model_without_a_grid_says_which_option_prices_it(
    wcli: Callable[..., Run],
) -> None:
    (row,) = rows(wcli("cost", "tokens-only", "--images", "10", "--json")).values()
    assert row["cannot_serve"] == [
        "images (tokens-only sells images by image output tokens only, and the catalog does not "
        "know how many tokens an image takes: give them with --image-output-tokens N)"
    ]


def test_image_output_tokens_price_the_images_of_a_model_without_a_grid(
    wcli: Callable[..., Run],
) -> None:
    run = wcli(
        "cost",
        "tokens-only",
        "grid-tokens",
        *("--images", "10", "--quality", "medium", "--image-output-tokens", "10k", "--json"),
    )
    got = rows(run)
    # tokens-only: 10k x 30 / 1M; grid-tokens: 10 x 0.042, its tokens not billed twice
    assert items(got["tokens-only"]) == [("tokens-only", "image_output", 10_000, "30", "0.3")]
    assert items(got["grid-tokens"]) == [("grid-tokens", "images", 10, "0.042", "0.42")]
    assert (
        "image output tokens not billed: grid-tokens's per-image price covers the output"
        in got["grid-tokens"]["notes"]
    )
    # image output tokens are no prompt: the image line still says the prompt is left out
    assert got["grid-tokens"]["line_items"][0]["note"].endswith("(give it with --input)")
    assert (
        "images: billed by the image output tokens given (no per-image price)"
        in (got["tokens-only"]["notes"])
    )


def test_image_output_tokens_alone_are_tokens(wcli: Callable[..., Run]) -> None:
    got = rows(wcli("cost", "tokens-only", "grid-tokens", "--image-output-tokens", "1M", "--json"))
    assert (got["tokens-only"]["total"], got["grid-tokens"]["total"]) == ("30", "40")


# --- audio and video ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "total", "kinds"),
    [
        (("stt-minute", "--audio-minutes", "10k"), "60", ["audio_input_per_minute"]),
        (("tts-chars", "--characters", "2M"), "30", ["input_per_1m_characters"]),
        # the text prompt of a speech model: 1M x 0.60 + 1M x 12
        (
            ("tts-tokens", "--input", "1M", "--audio-output-tokens", "1M"),
            "12.6",
            ["input", "audio_output"],
        ),
        # 1M x 32 + 500k x 64
        (
            ("voice-chat", "--audio-input-tokens", "1M", "--audio-output-tokens", "500k"),
            "64",
            ["audio_input", "audio_output"],
        ),
        (("video-second", "--video-seconds", "600"), "60", ["video_output_per_second"]),
    ],
)
def test_audio_and_video(
    wcli: Callable[..., Run], args: tuple[str, ...], total: str, kinds: list[str]
) -> None:
    (row,) = rows(wcli("cost", *args, "--json")).values()
    assert row["total"] == total
    assert [i[1] for i in items(row)] == kinds


def test_video_says_resolution_is_not_in_the_catalog(wcli: Callable[..., Run]) -> None:
    (row,) = rows(wcli("cost", "video-second", "--video-seconds", "10", "--json")).values()
    note = (
        "one per-second price per model in the catalog, whatever the resolution: check the "
        "maker's price for yours"
    )
    assert row["line_items"][0]["note"] == note and row["notes"] == [note]


def test_a_model_without_a_per_minute_price_cannot_serve_minutes(
    wcli: Callable[..., Run],
) -> None:
    (row,) = rows(wcli("cost", "plain-chat", "--audio-minutes", "10", "--json")).values()
    assert row["cannot_serve"] == [
        "minutes of audio input (no audio input per minute price for plain-chat in the catalog)"
    ]


def test_browsing_minutes_ranks_speech_to_text(wcli: Callable[..., Run]) -> None:
    doc = wcli("cost", "--audio-minutes", "1k", "--json").json()
    assert [(r["model"], r["total"]) for r in doc["results"]] == [("stt-minute", "6")]
    assert doc["omitted"] == {
        "servable": 0,
        "cannot_serve": 12,
        "left_out": {"deprecated_or_retired": 0, "preview_or_experimental": 0, "free_tier": 0},
    }


# --- prompt caching --------------------------------------------------------------------------------


def test_one_hour_cache_writes_use_the_one_hour_price_or_cannot_serve(
    wcli: Callable[..., Run],
) -> None:
    got = rows(
        wcli(
            "cost",
            *("cache-both", "cache-5m", "--input", "1M", "--cache-writes", "1M"),
            *("--cache-ttl", "1h", "--json"),
        )
    )
    # 1M x 3 + 1M x 6 (1-hour writes), never the 5-minute 3.75
    assert items(got["cache-both"]) == [
        ("cache-both", "input", 1_000_000, "3", "3"),
        ("cache-both", "cache_write_1h", 1_000_000, "6", "6"),
    ]
    assert got["cache-5m"]["cannot_serve"] == [
        "1-hour cache writes (no cache write 1h price for cache-5m in the catalog; "
        "--cache-ttl 5m prices 5-minute writes)"
    ]


def test_cache_writes_without_a_write_price_are_billed_as_input(wcli: Callable[..., Run]) -> None:
    (row,) = rows(
        wcli("cost", "plain-chat", "--input", "1M", "--cache-writes", "1M", "--json")
    ).values()
    assert row["total"] == "4"  # 1M x 2 + 1M x 2
    assert row["line_items"][1]["note"] == (
        "no cache write price in the catalog; billed at the input rate"
    )


def test_cache_writes_are_part_of_tokens(wcli: Callable[..., Run]) -> None:
    # --tokens 4M: 1M output, 3M input of which 1M written to the cache: 2M x 3 + 1M x 3.75 + 15
    run = wcli("cost", "cache-5m", "--tokens", "4M", "--cache-writes", "1M", "--json")
    (row,) = rows(run).values()
    assert row["total"] == "24.75"
    workload = run.json()["workload"]
    assert (workload["input_tokens"], workload["cache_write_tokens"]) == (2_000_000, 1_000_000)
    assert "--cache-writes 1M is part of --tokens 4M" in workload["assumptions"]


def test_cache_hit_splits_the_input_exactly(wcli: Callable[..., Run]) -> None:
    # 1M input at 80%: 800k cached x 0.30 + 200k x 3
    run = wcli("cost", "cache-5m", "--input", "1M", "--cache-hit", "80%", "--json")
    (row,) = rows(run).values()
    assert row["total"] == "0.84"
    assert items(row) == [
        ("cache-5m", "input", 200_000, "3", "0.6"),
        ("cache-5m", "cached_input", 800_000, "0.3", "0.24"),
    ]
    assert (
        "--cache-hit 80%: 800k of the 1M input tokens read from the cache, 200k uncached"
        in run.json()["workload"]["assumptions"]
    )


def test_cache_hit_rounds_down_to_a_whole_token_and_says_so() -> None:
    w = build_workload(input_tokens=3, cache_hit=Decimal("0.5"))
    assert (w.input_tokens, w.cached_input_tokens) == (2, 1)
    assert (
        "--cache-hit 50%: 1 of the 3 input tokens read from the cache (rounded down to a "
        "whole token), 2 uncached" in w.assumptions
    )
    # a share that is not a binary fraction is still exact: 1/3 of 3M is 999,999.999... -> 999,999
    w = build_workload(input_tokens=3_000_000, cache_hit=Decimal("0.333333"))
    assert (w.input_tokens, w.cached_input_tokens) == (2_000_001, 999_999)


def test_cache_hit_splits_the_input_part_of_tokens() -> None:
    w = build_workload(tokens=4_000_000, cache_hit=Decimal("0.5"))  # 3M input, 1M output
    assert (w.input_tokens, w.cached_input_tokens, w.output_tokens) == (
        1_500_000,
        1_500_000,
        1_000_000,
    )


def test_tokens_must_add_up_with_cache_writes() -> None:
    with pytest.raises(Exception, match=r"is not --input \+ --cached-input \+ --cache-writes"):
        build_workload(tokens=10, input_tokens=5, output_tokens=5, cache_writes=1)
    with pytest.raises(Exception, match="--cache-writes 8 is more than the input part"):
        build_workload(tokens=8, cache_writes=8)
    with pytest.raises(Exception, match="--cached-input and --cache-writes 8 are more than"):
        build_workload(tokens=8, cached_input_tokens=4, cache_writes=4)


# --- reasoning ------------------------------------------------------------------------------------


def test_reasoning_tokens_are_billed_as_output_on_a_line_of_their_own(
    wcli: Callable[..., Run],
) -> None:
    # 1M x 3 + 1M x 15 + 2M x 15 (reasoning at the output rate)
    run = wcli("cost", "cache-both", "--input", "1M", "--output", "1M", "--reasoning-tokens", "2M")
    assert run.exit_code == 0, run.stderr
    assert "2M reasoning tokens × $15.00 per 1M tokens = $30.00" in run.stdout
    assert "$48.00" in run.stdout
    assert "are not in the output count" not in run.stdout


def test_a_reasoning_model_says_its_hidden_tokens_are_not_counted(wcli: Callable[..., Run]) -> None:
    (row,) = rows(wcli("cost", "cache-both", "--tokens", "1M", "--json")).values()
    assert row["notes"] == [
        "hidden reasoning tokens are billed as output and are not in the output count: add them "
        "with --reasoning-tokens N"
    ]
    (row,) = rows(wcli("cost", "plain-chat", "--tokens", "1M", "--json")).values()
    assert row["notes"] == []


def test_reasoning_tokens_on_a_model_not_marked_as_reasoning(wcli: Callable[..., Run]) -> None:
    run = wcli("cost", "plain-chat", "--output", "1M", "--reasoning-tokens", "1M", "--json")
    (row,) = rows(run).values()
    assert row["total"] == "16"
    assert row["notes"] == [
        "plain-chat is not marked as a reasoning model in the catalog; the reasoning tokens "
        "given are billed as output all the same"
    ]


def test_reasoning_under_batch_uses_the_batch_output_rate(wcli: Callable[..., Run]) -> None:
    run = wcli("cost", "cache-both", "--reasoning-tokens", "1M", "--batch", "--json")
    (row,) = rows(run).values()
    assert items(row) == [("cache-both", "reasoning", 1_000_000, "7.5", "7.5")]
    assert row["line_items"][0]["detail"] == "batch"


# --- errors ---------------------------------------------------------------------------------------

NEW_QUANTITIES = (
    "--cache-writes",
    "--reasoning-tokens",
    "--image-input",
    "--cached-image-input",
    "--image-output-tokens",
    "--audio-input-tokens",
    "--audio-output-tokens",
    "--audio-minutes",
    "--characters",
    "--video-seconds",
)


@pytest.mark.parametrize("option", NEW_QUANTITIES)
@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("-5", "must not be negative"),
        ("1.5", "is not a whole number"),
        ("lots", "is not a quantity"),
    ],
)
def test_bad_quantities(wcli: Callable[..., Run], option: str, value: str, why: str) -> None:
    usage_error(wcli("cost", "--input", "1M", option, value), f"{option}: {value!r} {why}")


@pytest.mark.parametrize("command", ["cost", "best"])
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--input", "1M", "--cached-input", "1M", "--cache-hit", "50%"),
            "--cache-hit and --cached-input both set the cached input",
        ),
        (
            ("--cache-writes", "1M", "--cache-ttl", "2h"),
            "--cache-ttl: '2h' is not a cache lifetime the catalog prices",
        ),
        (("--input", "1M", "--cache-hit", "150%"), "--cache-hit: '150%' is not between 0 and 1"),
        (
            ("--images", "10", "--cache-hit", "50%"),
            "--cache-hit splits the uncached input, and there is none",
        ),
    ],
)
def test_bad_cache_options(
    wcli: Callable[..., Run], command: str, args: tuple[str, ...], message: str
) -> None:
    # best on the usual fixture, which has tasks
    extra = ("--for", "image-generation") if command == "best" else ()
    env = {"AICOMPARE_BASE_CATALOG": str(HERE / "data" / "fixture.toml")} if extra else None
    run = wcli(command, *extra, *args, env=env)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.splitlines()[0].startswith(f"error: {message}"), run.stderr
    assert len(run.stderr.splitlines()) == 2


def test_cache_ttl_without_writes_is_ignored_and_said() -> None:
    w = build_workload(input_tokens=1, cache_ttl="1h")
    assert "--cache-ttl ignored: no --cache-writes" in w.assumptions
    assert w.cache_write_1h_tokens == 0


def test_nothing_to_price_names_the_media_options() -> None:
    with pytest.raises(Exception, match="nothing to price") as caught:
        build_workload()
    assert "--audio-minutes" in str(getattr(caught.value, "hint", ""))


def test_the_spec_parses_every_new_option() -> None:
    spec = WorkloadSpec(
        cache_writes="1",
        cache_ttl="1H",
        reasoning_tokens="2",
        image_input="3",
        cached_image_input="4",
        image_output_tokens="5",
        audio_input_tokens="6",
        audio_output_tokens="7",
        audio_minutes="8",
        characters="9",
        video_seconds="10",
        requests="11",
        searches="12",
        tier="Flex",
        thinking=True,
    )
    assert spec.given() and not WorkloadSpec(batch=True, per="day").given()
    # how a workload is billed is not a workload: a task's typical one still applies
    assert not WorkloadSpec(tier="flex", off_peak=True, thinking=True).given()
    w = parse_workload(spec, [])
    assert (w.tier, w.table, w.off_peak, w.thinking) == ("flex", "flex", False, True)
    assert [getattr(w, kind.quantity) for kind in BILLED] == [
        0,
        0,
        0,
        1,
        0,
        2,
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
    ]


# --- quote_all == estimate for every kind, on every model ---------------------------------------------


def _load(base: Path | None) -> Catalog:
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(ENV_CATALOG, raising=False)
        mp.setenv("AICOMPARE_NO_CACHE", "1")
        if base is None:
            mp.delenv(ENV_BASE, raising=False)
        else:
            mp.setenv(ENV_BASE, str(base))
        return load_catalog(include_user=False)


@pytest.fixture(scope="module")
def catalogs() -> Iterator[dict[str, Catalog]]:
    yield {"bundled": _load(None), "workloads": _load(WORKLOADS), "pricing": _load(PRICING)}


def _agree(catalog: Catalog, workload: Workload) -> int:
    models = list(catalog.models.values())
    priced = 0
    for model, quoted in zip(models, quote_all([rate_card(m) for m in models], workload)):
        full = estimate([model], workload).total
        # equal in value and in digits: a quote must print as the estimate does
        assert (quoted, str(quoted)) == (full, str(full)), (model.id, workload)
        priced += quoted is not None
    return priced


@pytest.mark.parametrize("name", ["bundled", "workloads", "pricing"])
@pytest.mark.parametrize("kind", [kind.quantity for kind in BILLED])
def test_quotes_equal_estimates_for_each_kind(
    catalogs: dict[str, Catalog], name: str, kind: str
) -> None:
    """Each kind alone, with images, with a prompt and images, under batch and with a tier."""
    catalog = catalogs[name]
    priced = 0
    extras: list[dict[str, Any]] = [
        {},
        {"images": 7},
        {"images": 7, "input_tokens": 1234},
        {"batch": True},
        {"input_tokens": 5, "request_tokens": 300_000},
        {"tier": "flex"},
        {"tier": "priority", "input_tokens": 5, "request_tokens": 300_000},
        {"off_peak": True},
        {"thinking": True},
        {"thinking": True, "batch": True, "input_tokens": 5, "request_tokens": 300_000},
    ]
    for extra in extras:
        counts = {**extra, kind: extra.get(kind, 0) + 1_234_567}
        priced += _agree(catalog, Workload(**counts))
    if name == "workloads":
        assert priced > 0  # every kind is priced somewhere in its fixture


counts = st.sampled_from([0, 0, 1, 999, 10**6, 123_456_789])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    batch=st.booleans(),
    images=st.sampled_from([0, 3]),
    request=st.sampled_from([None, 1, 300_000]),
    period=st.sampled_from(list(Period)),
)
def test_quotes_equal_estimates_for_any_mix(
    catalogs: dict[str, Catalog],
    data: st.DataObject,
    batch: bool,
    images: int,
    request: int | None,
    period: Period,
) -> None:
    quantities = {kind.quantity: data.draw(counts) for kind in BILLED}
    if not any(quantities.values()) and not images:
        quantities["input_tokens"] = 1
    workload = Workload(
        **quantities, images=images, batch=batch, request_tokens=request, period=period
    )
    for name in ("bundled", "workloads"):
        _agree(catalogs[name], workload)


def test_the_bundled_catalog_prices_every_new_kind_somewhere(catalogs: dict[str, Catalog]) -> None:
    catalog = catalogs["bundled"]
    for kind in BILLED:
        if kind.rate == "cache_write_1h":
            continue  # no 1-hour cache-write price in the data yet
        assert _agree(catalog, Workload(**{kind.quantity: 1000})) > 0, kind.key  # type: ignore[arg-type]


def test_the_documented_cost_document_is_what_cost_prints(wcli: Callable[..., Run]) -> None:
    """docs/json.md's `cost` example and its table of line-item kinds match the output."""
    import json
    import re

    text = (HERE.parent / "docs" / "json.md").read_text("utf-8")
    section = text.split("## `cost`\n", 1)[1].split("\n## ", 1)[0]
    example = json.loads(re.findall(r"```json\n(.*?)```", section, re.DOTALL)[0])
    doc = wcli("cost", "grid-tokens", "--images", "10", "--input", "1M", "--json").json()
    assert set(example) <= set(doc)
    assert list(example["workload"]) == list(doc["workload"])  # every count, in this order
    row, line = doc["results"][0], doc["results"][0]["line_items"][0]
    assert set(example["results"][0]) <= set(row)
    assert set(example["results"][0]["line_items"][0]) == set(line)
    kinds = re.findall(r"^\| `([a-z_0-9]+)` \| (per [^|]+?) \|", section, re.MULTILINE)
    assert kinds == [(kind.key, kind.unit) for kind in BILLED] + [("images", "per image")]


@pytest.mark.parametrize("module", ["cost", "best"])
def test_every_workload_field_is_a_parameter_of_the_command(module: str) -> None:
    """workload_spec reads a command's parameters by field name: a field without its parameter
    would be a KeyError on every run, so each command must declare every one."""
    import importlib
    import inspect

    from aicompare.tasks import WORKLOAD_KEYS

    command = importlib.import_module(f"aicompare.commands.{module}").command
    parameters = set(inspect.signature(command).parameters)
    wanted = {"input_" if f == "input" else f for f in WorkloadSpec._fields}
    assert wanted <= parameters, sorted(wanted - parameters)
    # how it is billed (batch, period, tier, off-peak, thinking) is no task's typical workload
    modes = {"batch", "per", "tier", "off_peak", "thinking"}
    assert set(WORKLOAD_KEYS) == set(WorkloadSpec._fields) - modes
