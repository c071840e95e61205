"""The parse-once cache: used when exact, rebuilt on any change, never a source of errors."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from aicompare import cache
from aicompare.loader import load_catalog


@pytest.fixture
def layer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(
        "AICOMPARE_BASE_CATALOG", str(Path(__file__).parent / "data" / "fixture.toml")
    )
    path = tmp_path / "xdg" / "aicompare" / "models.toml"
    path.parent.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path.write_text("[models.alpha-mini.prices]\ninput = 0.90\n")
    return path


def test_second_load_comes_from_cache(layer: Path) -> None:
    first = load_catalog()
    assert not isinstance(first.models, cache.LazyModels)
    second = load_catalog()
    assert isinstance(second.models, cache.LazyModels)
    assert second.resolve("Alpha Mini").price("input") == Decimal("0.90")
    assert second.resolve("alpha-mini").origin("prices.input") == str(layer)
    assert [m.id for m in second.models.values()] == [m.id for m in first.models.values()]
    assert second.resolve("alpha-old").status  # built lazily on first use
    assert second.suggest("alpah-mini") == ["alpha-mini"]


def test_same_size_edit_with_old_mtime_is_seen(layer: Path) -> None:
    load_catalog()
    stat = layer.stat()
    layer.write_text("[models.alpha-mini.prices]\ninput = 0.91\n")  # same size
    os.utime(layer, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the old mtime
    assert layer.stat().st_size == stat.st_size
    assert load_catalog().resolve("alpha-mini").price("input") == Decimal("0.91")


def test_new_and_removed_layers_are_seen(layer: Path, tmp_path: Path) -> None:
    load_catalog()
    layer.unlink()
    assert load_catalog().resolve("alpha-mini").price("input") == Decimal("1.10")
    extra = tmp_path / "extra.toml"
    extra.write_text("[models.alpha-mini.prices]\ninput = 0.5\n")
    assert load_catalog([str(extra)]).resolve("alpha-mini").price("input") == Decimal("0.5")
    assert load_catalog().resolve("alpha-mini").price("input") == Decimal("1.10")


def test_corrupt_cache_is_ignored(layer: Path) -> None:
    load_catalog()
    (target,) = cache.cache_file(load_catalog().layers).parent.glob("catalog-*.marshal")
    target.write_bytes(b"\x00garbage")
    assert load_catalog().resolve("alpha-mini").price("input") == Decimal("0.90")


def test_a_cache_file_cut_short_is_ignored(layer: Path) -> None:
    load_catalog()
    (target,) = cache.cache_file(load_catalog().layers).parent.glob("catalog-*.marshal")
    data = target.read_bytes()
    target.write_bytes(data[:-100])  # the header is intact, the last section is not
    again = load_catalog()
    assert not isinstance(again.models, cache.LazyModels)  # rebuilt from the files
    assert again.resolve("alpha-mini").price("input") == Decimal("0.90")
    assert isinstance(load_catalog().models, cache.LazyModels)  # and cached again, whole


def test_unwritable_cache_dir_is_not_an_error(layer: Path, tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_catalog().resolve("alpha-mini").price("input") == Decimal("0.90")
    assert load_catalog().resolve("alpha-mini").price("input") == Decimal("0.90")


def test_invalid_layer_is_never_cached(layer: Path) -> None:
    layer.write_text("[models.alpha-mini.prices]\ninput = -1\n")
    for _ in range(2):
        with pytest.raises(Exception) as info:
            load_catalog()
        assert "must not be negative" in str(info.value.problems)  # type: ignore[attr-defined]


def test_cache_can_be_disabled(layer: Path, monkeypatch) -> None:
    monkeypatch.setenv("AICOMPARE_NO_CACHE", "1")
    load_catalog()
    assert not isinstance(load_catalog().models, cache.LazyModels)


def test_tasks_are_built_once_typed_and_kept_in_the_cache(layer: Path) -> None:
    """The loader builds the tasks; the catalog holds Task records, cached as they are."""
    from aicompare.tasks import Requirements, Task

    first = load_catalog()
    assert list(first.tasks) == ["image-generation", "chat", "huge"]
    chat = first.tasks["chat"]
    assert chat == Task(
        "chat",
        "Chat",
        None,
        Requirements(types=("text",), capabilities=("function_calling",)),
        ("prefer", "newest", "cost"),
        ("vision",),
        {"tokens": "1M"},
        (),
    )
    assert type(chat) is Task and type(chat.requires) is Requirements
    second = load_catalog()
    assert isinstance(second.models, cache.LazyModels)  # served by the cache
    assert dict(second.tasks) == dict(first.tasks)
    assert all(type(task) is Task for task in second.tasks.values())
