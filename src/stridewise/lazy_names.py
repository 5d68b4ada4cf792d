"""Names a package exports but loads on first use (PEP 562 module ``__getattr__``), so that
importing the package loads none of the modules behind them (``stridewise`` for ``--help``,
``stridewise.metrics`` for the import's per-run path)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(
    package: str, where: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: each name of ``where`` (name -> the
    module that defines it) is imported from its module when first asked for, then kept in the
    package."""

    def get(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(where[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    def names() -> list[str]:
        return sorted([*vars(sys.modules[package]), *where])

    return get, names
