"""The maintainer tooling of a source checkout, for the commands that run it (`catalog build`).

The tooling lives in the checkout's top-level `tools/` package, which the wheel does not carry.
From an editable install (the package imported from `<checkout>/src/aicompare`, the catalog at
`<checkout>/data/models.toml`) it is imported from that checkout; an installed copy says that
building needs a source checkout.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from aicompare.errors import AicompareError

if TYPE_CHECKING:
    from tools.catalog_build import Audit, Build

CATALOG_BUILD = "tools.catalog_build"


class CatalogBuild(Protocol):
    """What `catalog build` and `catalog audit` use of tools.catalog_build (the module itself
    satisfies it)."""

    def build(self, reference: Path, curation_path: Path) -> Build: ...

    def audit(self, catalog: Path, reference: Path, curation_path: Path) -> Audit: ...

    def default_paths(self, start: Path | None = None) -> tuple[Path, Path | None, Path]: ...


def checkout_root() -> Path | None:
    """The source checkout this package is imported from, or None for an installed copy.

    A checkout has the package at src/aicompare with no bundled data inside it (the wheel puts
    data/models.toml into the package), and pyproject.toml and tools/ at its root."""
    package = Path(__file__).resolve().parent
    root = package.parent.parent
    if package.parent.name != "src" or os.path.isfile(package / "data" / "models.toml"):
        return None
    if not (
        os.path.isfile(root / "pyproject.toml")
        and os.path.isfile(root / "tools" / "catalog_build" / "__init__.py")
    ):
        return None
    return root


def _not_here(what: str) -> AicompareError:
    return AicompareError(
        f"building the catalog needs a source checkout of aicompare; {what}",
        "clone the repository, install it with 'pip install -e .' and run 'aicompare catalog "
        "build' (or 'python -m tools.catalog_build') in the checkout",
    )


def catalog_build_tooling() -> CatalogBuild:
    """tools.catalog_build of this package's checkout; AicompareError (exit 1) without one."""
    root = checkout_root()
    if root is None:
        where = Path(__file__).parent
        raise _not_here(f"this copy is installed without its build tooling ({where})")
    expected = root / "tools" / "catalog_build"
    module = sys.modules.get(CATALOG_BUILD)
    if module is None:
        # the checkout root on sys.path for this one import only: tools/ is a regular package,
        # so its submodules load through its own __path__ afterwards
        sys.path.insert(0, str(root))
        try:
            module = importlib.import_module(CATALOG_BUILD)
        except ModuleNotFoundError as exc:
            if exc.name not in ("tools", CATALOG_BUILD):
                raise  # a module the tooling imports is missing: a bug, with its traceback
            # another package named `tools` was imported first
            raise AicompareError(
                f"cannot import {CATALOG_BUILD} from {root}: {exc}",
                "run 'python -m tools.catalog_build' from the checkout root",
            ) from None
        finally:
            sys.path.remove(str(root))
    where = Path(module.__file__ or "").resolve().parent
    if where != expected:
        # e.g. `python -m tools.catalog_build` in one checkout, aicompare installed from another
        raise AicompareError(
            f"{CATALOG_BUILD} is imported from {where}, but aicompare from the checkout {root}",
            "run it with the aicompare of the same checkout: "
            f"'pip install -e .' in {where.parents[1]}",
        )
    return cast(CatalogBuild, module)
