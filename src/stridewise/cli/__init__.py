"""The command line: thin commands over the library, one module per command (group).

``app`` holds the group, its global options and the session every command shares; each other
module registers its command(s) on it when imported here. Commands import the library inside
their function, so ``stridewise --help`` loads neither pandas nor matplotlib.
"""

from stridewise.cli import activities, cohort, export, flags, importing, pain, report, shoes
from stridewise.cli.app import Session, cli

__all__ = [
    "Session",
    "cli",
    "main",
    "activities",
    "cohort",
    "export",
    "flags",
    "importing",
    "pain",
    "report",
    "shoes",
]


def main() -> None:
    cli(prog_name="stridewise")
