"""Name resolution: ids, aliases, display names, provider:model, snapshots, suggestions."""

from __future__ import annotations

import pytest

from aicompare.errors import AmbiguousModelError, UnknownModelError
from aicompare.loader import load_catalog


@pytest.fixture
def catalog():
    return load_catalog(include_user=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gpt-image-1", "gpt-image-1"),
        ("GPT Image 1", "gpt-image-1"),
        ("gpt image 1 mini", "gpt-image-1-mini"),
        ("GPT-4.1 Mini", "gpt-4.1-mini"),
        ("gpt_4.1_MINI", "gpt-4.1-mini"),
        ("openai:o4-mini", "o4-mini"),
        ("OpenAI:GPT-5 mini", "gpt-5-mini"),
        ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
        ("  o3-mini  ", "o3-mini"),
    ],
)
def test_resolves(catalog, name: str, expected: str) -> None:
    assert catalog.resolve(name).id == expected


def test_unknown_with_suggestion(catalog) -> None:
    with pytest.raises(UnknownModelError) as info:
        catalog.resolve("o4mni")
    assert info.value.message == "unknown model 'o4mni'"
    assert info.value.suggestions[0] == "o4-mini"
    assert info.value.hint is not None and info.value.hint.startswith("did you mean: o4-mini")


def test_unknown_provider_prefix_is_not_a_provider(catalog) -> None:
    with pytest.raises(UnknownModelError):
        catalog.resolve("anthropic:o4-mini")


def test_ambiguous_lists_candidates(cli) -> None:
    # the fixture's 'alpha' alias is exact; the loose name 'alpha' + 'Alpha Large' resolve to one model,
    # so build an ambiguity from two display names that normalise the same
    from aicompare.catalog import Catalog
    from aicompare.model import Model

    cat = Catalog({"a-1": Model("a-1", "x", "text", "Twin"), "b-1": Model("b-1", "y", "text", "twin")})
    with pytest.raises(AmbiguousModelError) as info:
        cat.resolve("TWIN")
    assert info.value.candidates == ["a-1", "b-1"]
    assert cat.resolve("x:twin").id == "a-1"
