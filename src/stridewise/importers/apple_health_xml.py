"""Streaming an Apple Health ``export.xml`` through expat: the DOCTYPE skipped, nothing expanded.

Real exports are 0.5-4 GB of XML, so the file is never held or turned into a tree: its bytes are
fed to expat a chunk at a time and the caller's start/end handlers see each element as it goes
by (a handler keeps what it needs and nothing else), so memory does not grow with the file.

Quirks handled here:

* **The DOCTYPE**. Every export starts with an internal DTD, and since iOS 16 that DTD is
  malformed: ``<!ATTLIST VisionPrescription …`` lacks its closing ``>``, so expat stops at the
  next ``<!ELEMENT RightEye …`` with "syntax error". The DTD declares nothing the data needs, so
  ``skip_doctype`` cuts it out of the byte stream before expat sees it, scanning only quotes,
  comments and processing instructions (which may hold a ``]``), never the declarations
  themselves. Its line breaks are kept, so expat's line numbers are the file's own.
* **Entities**. An ``<!ENTITY`` anywhere in the DOCTYPE refuses the file (``UnsafeFile``, the
  message the GPX reader gives), before anything is parsed. With the DOCTYPE gone, a reference
  to any entity but XML's five is an "undefined entity" error, so nothing can be expanded; the
  parser also refuses a DOCTYPE, an entity declaration or an external entity that got past the
  scan (belt and braces), and never reads anything external.
* **A file cut short** (a copy interrupted, a zip entry damaged) is a ``CorruptFile`` that says
  where the cut is: the export is refused whole, never half-read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import BinaryIO
from xml.parsers import expat

from stridewise.errors import CorruptFile, UnsafeFile
from stridewise.importers.xmlsafe import entities_refused_message

#: Bytes read from the stream at a time [bytes].
CHUNK_BYTES = 1 << 20

#: Longest prolog (XML declaration, comments, DOCTYPE) accepted before the root [bytes]. Apple's
#: DTD is about 10 KB; a prolog of megabytes is not an export.
MAX_PROLOG_BYTES = 4 << 20

StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]


class _NeedMore(Exception):
    """The prolog scan reached the end of the bytes read so far."""


def skip_doctype(head: bytes, label: str) -> bytes | None:
    """``head`` (the first bytes of the file) with its DOCTYPE replaced by its line breaks.

    Returns None when ``head`` ends before the DOCTYPE does (read more and call again), and
    ``head`` unchanged when the file has no DOCTYPE. Raises ``UnsafeFile`` for an entity
    declaration in it.
    """
    try:
        span = _doctype_span(head, label)
    except _NeedMore:
        return None
    if span is None:
        return head
    start, end = span
    return head[:start] + b"\n" * head.count(b"\n", start, end) + head[end:]


def _doctype_span(head: bytes, label: str) -> tuple[int, int] | None:
    """(start, end) of the DOCTYPE in ``head``, None when there is none before the root."""
    at = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        at = _skip_space(head, at)
        if head.startswith(b"<?", at):
            at = _after(head, b"?>", at + 2)
        elif head.startswith(b"<!--", at):
            at = _after(head, b"-->", at + 4)
        elif head.startswith(b"<!DOCTYPE", at):
            return at, _doctype_end(head, at + 9, label)
        elif len(head) - at < 9 and b"<!DOCTYPE".startswith(head[at:]):
            raise _NeedMore  # "<!DOC" at the end of what was read
        else:
            return None


def _doctype_end(head: bytes, at: int, label: str) -> int:
    """Index just after the DOCTYPE's closing ``>``, scanning from after ``<!DOCTYPE``."""
    in_subset = False
    size = len(head)
    while at < size:
        byte = head[at : at + 1]
        if byte in (b'"', b"'"):
            at = _after(head, byte, at + 1)
        elif in_subset and head.startswith(b"<!--", at):
            at = _after(head, b"-->", at + 4)
        elif in_subset and head.startswith(b"<?", at):
            at = _after(head, b"?>", at + 2)
        elif in_subset and head.startswith(b"<!ENTITY", at):
            raise UnsafeFile(entities_refused_message(label))
        elif in_subset and size - at < 8 and b"<!ENTITY".startswith(head[at:]):
            raise _NeedMore
        elif byte == b"[":
            in_subset = True
            at += 1
        elif byte == b"]":
            in_subset = False
            at += 1
        elif byte == b">" and not in_subset:
            return at + 1
        else:
            at += 1
    raise _NeedMore


def _skip_space(head: bytes, at: int) -> int:
    while at < len(head) and head[at] in b" \t\r\n":
        at += 1
    return at


def _after(head: bytes, token: bytes, at: int) -> int:
    found = head.find(token, at)
    if found < 0:
        raise _NeedMore
    return found + len(token)


def stream_elements(
    stream: BinaryIO, label: str, start: StartHandler, end: EndHandler | None = None
) -> int:
    """Parse an export from ``stream``, calling ``start(name, attributes)`` for each element and
    ``end(name)`` after it; return the number of bytes read.

    Raises ``UnsafeFile`` for entities, ``CorruptFile`` for XML that is not well-formed (with
    its line and column), for a file cut short (with where it ends) and for a damaged stream
    (a zip entry whose data or checksum is bad). Exceptions raised by the handlers pass through.
    """
    parser = _safe_parser(label)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    total = 0
    head = b""
    body: bytes | None = None
    while body is None:  # the prolog: read until the DOCTYPE is behind us
        chunk = _read(stream, label)
        if not chunk and not head:
            raise CorruptFile(f"{label}: the file is empty")
        total += len(chunk)
        head += chunk
        body = skip_doctype(head, label) if chunk else head
        if body is None and len(head) > MAX_PROLOG_BYTES:
            raise CorruptFile(
                f"{label}: not an Apple Health export (no end of its DOCTYPE in the first "
                f"{MAX_PROLOG_BYTES >> 20} MB)"
            )
    _feed(parser, body, label, total, final=False)
    while True:
        chunk = _read(stream, label)
        total += len(chunk)
        _feed(parser, chunk, label, total, final=not chunk)
        if not chunk:
            break
    return total


def _read(stream: BinaryIO, label: str) -> bytes:
    try:
        return stream.read(CHUNK_BYTES)
    except EOFError as exc:
        raise CorruptFile(
            f"{label}: cut short inside the archive ({exc or 'end of data'})"
        ) from exc
    except Exception as exc:  # zipfile.BadZipFile (bad CRC), zlib.error, OSError: damaged data
        if isinstance(exc, (UnsafeFile, CorruptFile)):
            raise
        raise CorruptFile(f"{label}: damaged inside the archive ({exc})") from exc


def _feed(parser: expat.XMLParserType, data: bytes, label: str, total: int, final: bool) -> None:
    try:
        parser.Parse(data, final)
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code)
        where = f"line {exc.lineno:,}, column {exc.offset + 1}"
        if final and exc.code in _CUT_SHORT_CODES:
            raise CorruptFile(
                f"{label}: cut short at {where} (after {total:,} bytes, inside an element "
                "still open); the export was not imported: export it again from the Health app"
            ) from None
        if exc.code == _UNDEFINED_ENTITY:
            raise UnsafeFile(entities_refused_message(label)) from None
        raise CorruptFile(f"{label}: not valid XML: {reason} ({where})") from None
    except LookupError as exc:  # an encoding declaration naming no known encoding
        raise CorruptFile(f"{label}: not valid XML: {exc}") from None


_CUT_SHORT_CODES = frozenset(
    {
        expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN],
        expat.errors.codes[expat.errors.XML_ERROR_PARTIAL_CHAR],
        expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION],
    }
)
_UNDEFINED_ENTITY = expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]


def _safe_parser(label: str) -> expat.XMLParserType:
    """An expat parser that refuses DTDs, entity declarations and external entities."""
    parser = expat.ParserCreate()
    parser.buffer_text = False
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(*_args: object) -> None:
        raise UnsafeFile(
            f"{label}: a second DOCTYPE inside the document; refused (possible entity attack)"
        )

    def refuse_entities(*_args: object) -> None:
        raise UnsafeFile(entities_refused_message(label))

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entities
    parser.UnparsedEntityDeclHandler = refuse_entities
    parser.ExternalEntityRefHandler = refuse_entities  # type: ignore[assignment]
    return parser


# --- dates ---------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$")
_UNIX_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


@lru_cache(maxsize=1 << 14)
def _day_seconds(day: str) -> int:
    """Seconds from 1970-01-01 to the start of ISO date ``day`` [s]."""
    return (date.fromisoformat(day).toordinal() - _UNIX_EPOCH_ORDINAL) * 86400


def parse_date(text: str) -> tuple[int, int]:
    """(UTC instant [s since 1970], UTC offset [s]) of an export date such as
    ``"2020-02-24 09:44:00 -0800"`` (local wall-clock time and its offset).

    Raises ValueError for any other text. Called for every record, so the usual layout is read
    by slicing; anything that differs from it goes through the full pattern.
    """
    if (
        len(text) == 25
        and text[10] == " "
        and text[13] == ":"
        and text[16] == ":"
        and text[19] == " "
        and text[20] in "+-"
    ):
        day, hour, minute, second = text[:10], text[11:13], text[14:16], text[17:19]
        sign, off_h, off_m = text[20], text[21:23], text[23:25]
    else:
        match = _DATE.match(text.strip())
        if match is None:
            raise ValueError(f"not an export date: {text!r}")
        day, hour, minute, second, sign, off_h, off_m = match.groups()
    offset = int(off_h) * 3600 + int(off_m) * 60
    if sign == "-":
        offset = -offset
    wall = int(hour) * 3600 + int(minute) * 60 + int(second)
    if not (0 <= wall < 86400 + 1) or int(minute) > 59 or int(second) > 60:
        raise ValueError(f"not an export date: {text!r}")
    return _day_seconds(day) + wall - offset, offset
