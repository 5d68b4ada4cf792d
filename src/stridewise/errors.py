"""One exception family. The CLI catches StridewiseError in one place and prints its message."""

from __future__ import annotations


class StridewiseError(Exception):
    """Base of every error a runner may see. The message names the file and what is wrong."""


class SkippedFile(StridewiseError):
    """A file that is readable but holds no activity to store (settings, routes, monitoring)."""


class UnsupportedFile(StridewiseError):
    """A file whose format stridewise does not read."""


class CorruptFile(StridewiseError):
    """A file that claims a supported format but has nothing usable in it."""


class UnsafeFile(StridewiseError):
    """A file refused for safety: XML entities, zip bombs, paths escaping an archive."""


class ConfigError(StridewiseError):
    """A wrong key or value in the athlete profile."""


class InvalidInput(StridewiseError):
    """A bad value given on the command line or through the API (a date, a score, a name)."""


class StoreError(StridewiseError):
    """The database cannot be opened, is newer than this version, or refused a write."""


class MissingExtra(StridewiseError):
    """An optional dependency a command needs is not installed; the message names the extra."""
