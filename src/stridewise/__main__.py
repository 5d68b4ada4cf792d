"""``python -m stridewise``: the same as the ``stridewise`` command."""

from stridewise.cli import main

main()
