"""stridewise: training signals associated with running injury, from a runner's watch data.

Public API (what the README shows)::

    from stridewise import (
        read_activities, Store, import_paths, load_profile,
        History, evaluate, build_report, write_report,
    )

The names are loaded on first use, so that ``import stridewise`` (and ``stridewise --help``)
does not import pandas, numpy or matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stridewise.lazy_names import lazy_names

#: The package's version; pyproject.toml reads it from here. ``stridewise --version`` prints it
#: without importlib.metadata, whose search of the installed distributions doubles the start-up.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from stridewise.errors import StridewiseError
    from stridewise.history import History
    from stridewise.model import SAMPLE_COLUMNS, Activity
    from stridewise.pipeline import ImportReport, import_paths, read_activities
    from stridewise.profile import Profile, load_profile
    from stridewise.report import build_report, write_report
    from stridewise.rules import evaluate
    from stridewise.store import Store

#: Public name -> the module that defines it.
_WHERE = {
    "SAMPLE_COLUMNS": "stridewise.model",
    "Activity": "stridewise.model",
    "History": "stridewise.history",
    "ImportReport": "stridewise.pipeline",
    "Profile": "stridewise.profile",
    "Store": "stridewise.store",
    "StridewiseError": "stridewise.errors",
    "build_report": "stridewise.report",
    "evaluate": "stridewise.rules",
    "import_paths": "stridewise.pipeline",
    "load_profile": "stridewise.profile",
    "read_activities": "stridewise.pipeline",
    "write_report": "stridewise.report",
}

__all__ = [
    "SAMPLE_COLUMNS",
    "Activity",
    "History",
    "ImportReport",
    "Profile",
    "Store",
    "StridewiseError",
    "build_report",
    "evaluate",
    "import_paths",
    "load_profile",
    "read_activities",
    "write_report",
]


__getattr__, __dir__ = lazy_names(__name__, _WHERE)
