"""Reading the runner's files safely: regular files only, never more bytes than allowed, and names
shown as printable text.

A path may be anything a file system can hold: a FIFO that blocks a reader forever, ``/dev/zero``
behind a symbolic link, a symlink loop, a name that is not UTF-8. Every file stridewise reads
from the runner's disk (activity files, the pain journal, the profile) is opened here: the open
never blocks, anything but a regular file is refused with one line, and the cap applies to the
bytes actually read, not to what ``stat`` says.
"""

from __future__ import annotations

import math
import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import BinaryIO

from stridewise.errors import CorruptFile, UnsafeFile, UnsupportedFile

_CHUNK_BYTES = 2**20


def printable(text: str) -> str:
    """``text`` with every control or unprintable character replaced by a visible escape
    (``\\x1b``), and bytes that were not UTF-8 (a file name's surrogates) by ``\\xNN``: what a
    terminal, a log or a database may safely be given (no escape sequence reaches a terminal).
    """
    if text.isprintable():  # the usual case, in C: no control, format, private or surrogate
        return text  # character (str.isprintable is False for exactly those and separators)
    return _escaped(text)


def _escaped(text: str) -> str:
    """``printable``'s rule, one character at a time."""
    out = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for a byte that was not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char == " " or (
            char.isprintable() and unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
        ):
            out.append(char)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return "".join(out)


def one_line(text: str) -> str:
    """``text`` with its line breaks shown as ↵: a message quoting a file stays on one line."""
    return _LINE_BREAK.sub(" ↵ ", text)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def short_text(text: str, limit: int) -> str:
    """``text`` as a name from outside is shown among other text: one line of ``printable``
    characters, cut to ``limit`` characters with "…" when longer. Cheap on any size: a
    100,000-character shoe name is never split or laid out whole."""
    head = text[: limit * 4]
    flat = " ".join(printable(" ".join(head.split())).split())
    if len(flat) <= limit and len(head) == len(text):
        return flat
    return flat[: limit - 1].rstrip() + "…"


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path as the runner is shown it (``printable``)."""
    return printable(os.fspath(path))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (following symbolic links), or None when it can."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "is a symbolic link loop"
        if path.is_symlink():
            return "is a symbolic link to nothing"
        return f"cannot be read ({exc.strerror or exc})"
    if not stat.S_ISREG(mode):
        return f"is {file_kind(mode)}, not a regular file"
    return None


def open_regular_file(path: Path, label: str) -> BinaryIO:
    """A regular file opened for reading in binary, opened without blocking (a FIFO cannot hang
    the reader). ``UnsupportedFile`` for anything but a regular file and ``CorruptFile`` when it
    cannot be opened, both starting with ``label``."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        problem = regular_file_problem(path) or f"cannot be read ({exc.strerror or exc})"
        error = CorruptFile if problem.startswith("cannot") else UnsupportedFile
        raise error(f"{label}: {problem}") from exc
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):  # before fdopen, which refuses a folder with its own error
        os.close(descriptor)
        raise UnsupportedFile(f"{label}: is {file_kind(mode)}, not a regular file")
    return os.fdopen(descriptor, "rb")


def read_regular_file(path: Path, limit: int, what: str, *, label: str | None = None) -> bytes:
    """A regular file's bytes, at most ``limit`` of them [bytes].

    Raises ``UnsupportedFile`` for anything but a regular file (opened without blocking, so a
    FIFO cannot hang the reader), ``UnsafeFile`` when it holds more than ``limit`` bytes (``what``
    names the format in the message: "a FIT file") and ``CorruptFile`` when it cannot be read.
    ``label`` is the name messages start with (default: the file name).
    """
    name = label if label is not None else shown_path(path.name)
    with open_regular_file(path, name) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise too_large(name, size, limit, what)
        try:
            # what stat says in one piece (one allocation, no copy: a 250 MB GPX costs 250 MB,
            # not twice that); then whatever the file holds beyond it (it grew, or it is a /proc
            # file whose stat says 0), a chunk at a time, never past the limit
            data = handle.read(size) if size else b""
            chunks: list[bytes] = []
            total = len(data)
            while chunk := handle.read(min(_CHUNK_BYTES, limit + 1 - total)):
                total += len(chunk)
                if total > limit:
                    raise too_large(name, total, limit, what)
                chunks.append(chunk)
        except OSError as exc:
            raise CorruptFile(f"{name}: cannot be read ({exc.strerror or exc})") from exc
    return b"".join([data, *chunks]) if chunks else data


def too_large(name: str, size: int, limit: int, what: str) -> UnsafeFile:
    """The refusal of a file of ``size`` bytes over its format's ``limit``."""
    # rounded up, so that a file just over the limit does not read "64 MB is too large"
    return UnsafeFile(
        f"{name}: {math.ceil(size / 2**20)} MB is too large for {what} "
        f"(at most {limit // 2**20} MB); refused"
    )
