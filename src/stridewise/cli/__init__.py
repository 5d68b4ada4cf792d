"""The command line: thin commands over the library, one module per command (group).

``app`` holds the group, its global options and the session every command shares; each other
module registers its command(s) on it when imported here. Commands import the library inside
their function, so ``stridewise --help`` loads neither pandas nor matplotlib.
"""

# one command module per line, so that adding a command touches one line
from stridewise.cli import activities  # noqa: I001
from stridewise.cli import activity_add
from stridewise.cli import activity_set
from stridewise.cli import athletes
from stridewise.cli import cohort
from stridewise.cli import export
from stridewise.cli import flags
from stridewise.cli import importing
from stridewise.cli import pain
from stridewise.cli import report
from stridewise.cli import rules
from stridewise.cli import shoes
from stridewise.cli import shoes_manage
from stridewise.cli import team
from stridewise.cli.app import Session, cli

__all__ = [
    "Session",
    "cli",
    "main",
    "activities",
    "activity_add",
    "athletes",
    "activity_set",
    "cohort",
    "export",
    "flags",
    "importing",
    "pain",
    "report",
    "rules",
    "shoes",
    "shoes_manage",
    "team",
]


def main() -> None:
    # numpy's OpenBLAS starts a thread per core when numpy is imported: ~100 ms of CPU time per
    # command on two cores, for linear algebra stridewise never does (its arrays are a run's
    # records, its matrices tiny). One thread, unless the user set it; workers inherit it.
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    cli(prog_name="stridewise")
