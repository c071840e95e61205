"""docs/architecture.md stays true: every path and module it names exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"


def test_every_path_named_exists() -> None:
    text = DOC.read_text("utf-8")
    paths = set(re.findall(r"((?:src|tools|tests|docs|bench|data)/[\w./<>-]+)", text))
    paths = {p.rstrip(".") for p in paths if "<" not in p}
    assert len(paths) >= 15
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert missing == []


def test_every_dotted_name_exists() -> None:
    text = DOC.read_text("utf-8")
    names = set(
        re.findall(
            r"`((?:_entry|cli|stdout_guard|loader|cache|catalog|pricing|costing|"
            r"render/\w+|plain|filters|safe_text|errors)\.[\w.]+)",
            text,
        )
    )
    assert len(names) >= 12
    missing = []
    for name in sorted(n for n in names if not n.endswith(".py")):
        module, _, attrs = name.replace("render/", "render.").partition(".")
        if module == "render":
            sub, _, attrs = attrs.partition(".")
            module = f"render.{sub}"
        if module == "plain":
            module = "render.plain"
        obj: object = importlib.import_module(f"aicompare.{module}")
        for attr in attrs.split("."):
            if not hasattr(obj, attr):
                missing.append(name)
                break
            obj = getattr(obj, attr)
    assert missing == []
