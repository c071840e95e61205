"""Name resolution: ids, aliases, display names, provider:model, snapshots, suggestions.

On the fixture catalog (tests/data/fixture.toml); tests/test_catalog_golden.py resolves the
bundled catalog's makers' names."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicompare.errors import AmbiguousModelError, UnknownModelError
from aicompare.loader import load_catalog

FIXTURE = Path(__file__).resolve().parent / "data" / "fixture.toml"


@pytest.fixture
def catalog(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AICOMPARE_BASE_CATALOG", str(FIXTURE))
    return load_catalog(include_user=False)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pixel-one", "pixel-one"),  # the id
        ("Alpha Large", "alpha-large"),  # the display name
        ("pixel flat", "pixel-flat"),  # the id or name, spaces for hyphens, any case
        ("Alpha-Mini", "alpha-mini"),
        ("ALPHA_MINI", "alpha-mini"),
        ("acme:alpha-mini", "alpha-mini"),  # provider:model
        ("ACME:Alpha mini", "alpha-mini"),
        ("alpha-large-2025-01-15", "alpha-large"),  # a snapshot
        ("alpha", "alpha-large"),  # an alias
        ("  alpha-old  ", "alpha-old"),
    ],
)
def test_resolves(catalog, name: str, expected: str) -> None:
    assert catalog.resolve(name).id == expected


def test_unknown_with_suggestion(catalog) -> None:
    with pytest.raises(UnknownModelError) as info:
        catalog.resolve("alpah-mini")
    assert info.value.message == "unknown model 'alpah-mini'"
    assert info.value.suggestions[0] == "alpha-mini"
    assert info.value.hint is not None and info.value.hint.startswith("did you mean: alpha-mini")


def test_unknown_provider_prefix_is_not_a_provider(catalog) -> None:
    with pytest.raises(UnknownModelError):
        catalog.resolve("pixel:alpha-mini")  # a real provider, but not this model's


def test_ambiguous_lists_candidates(cli) -> None:
    # the fixture's 'alpha' alias is exact; the loose name 'alpha' + 'Alpha Large' resolve to one model,
    # so build an ambiguity from two display names that normalise the same
    from aicompare.catalog import Catalog
    from aicompare.model import Model

    cat = Catalog(
        {"a-1": Model("a-1", "x", "text", "Twin"), "b-1": Model("b-1", "y", "text", "twin")}
    )
    with pytest.raises(AmbiguousModelError) as info:
        cat.resolve("TWIN")
    assert info.value.candidates == ["a-1", "b-1"]
    assert cat.resolve("x:twin").id == "a-1"
