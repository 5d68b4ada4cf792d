"""Streaming XML for the track readers: one pass of expat over a GPX or TCX file, safe and bounded.

Why: building a tree of a whole track file (ElementTree, then gpxpy's objects and deep copies)
costs seconds and about twenty times the file in memory, and the XML safety check parsed every
file a second time. Here each file is parsed once, a chunk at a time, and the reader keeps only
the values it needs, so memory follows the number of track points, not the size of the markup.

What ``stream_xml`` guarantees, in the same pass that reads the values:

* Text: bytes are decoded a chunk at a time exactly as ``xmlsafe.decode_xml`` decodes a whole
  file (byte-order mark, else the declared encoding, else UTF-8; the same one-line messages and
  byte offsets for text that does not decode), and a byte-order mark or whitespace before
  ``<?xml`` is skipped. A binary stream (a ``gzip.GzipFile``) is read the same way, so a
  ``.gpx.gz`` is never unpacked into memory as a whole.
* Safety: expat is set up as ``defusedxml`` sets it up for ``xmlsafe.parse_xml``: an entity
  declaration (internal, external, parameter or unparsed) is refused where it is declared,
  before anything is expanded or fetched, with ``xmlsafe.entities_refused_message``; a
  ``<!DOCTYPE>`` without entities is allowed and an external DTD is never read. An element
  nested deeper than ``MAX_DEPTH`` is refused while streaming: no recursion anywhere.
* Errors: the parser is the one ElementTree uses (expat, namespaces resolved with ``}``), fed the
  same text, so broken XML gets the very message the tree readers give, with line and column.

The format readers (``gpx``, ``tcx``) supply the element callbacks and keep their own columns;
``points_refused`` is the one message for a file with more than ``MAX_TRACK_POINTS``.
"""

from __future__ import annotations

import codecs
import os
import re
import sys
import xml.parsers.expat as expat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO, Protocol

import numpy as np

from stridewise.errors import ConfigError, CorruptFile, UnsafeFile
from stridewise.importers.xmlsafe import entities_refused_message

#: Elements may nest this deep [levels]. Real GPX and TCX files nest under 15 levels (a
#: TrackPointExtension value is 7 deep); libxml2 draws its line at 256 as well. Deeper is a
#: hostile file: gpxpy's deep copy of 160,000 nested elements crashed the process.
MAX_DEPTH = 256

#: Track points one file may hold [points]: 250,000 is 69 hours at one point a second,
#: comfortably above the 48 hours (172,800 points at 1 Hz) past which the pipeline's cleaning
#: refuses an activity anyway (``MAX_DURATION_S``), and room for a day and a half recorded at
#: 2 Hz. Each point costs about 100 bytes in the columns and a few hundred while its samples are
#: worked out, so the cap also bounds the memory of a small gzip file that unpacks to a huge XML
#: (225 MB of bare points in 546 KB): refused at the cap, while streaming.
MAX_TRACK_POINTS = 250_000

#: The reference readers (gpxpy, ElementTree) take about twenty times the XML in memory; a file
#: the fast reader declines is handed to them only up to this size [bytes], so that memory stays
#: within four times the file plus 100 MB. A larger file is refused with the reason.
MAX_FALLBACK_BYTES = 4 * 2**20

#: Bytes decoded and parsed at a time [bytes].
CHUNK_BYTES = 2**20

_LEADING_JUNK = " \t\r\n\ufeff"
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

XmlSource = bytes | BinaryIO


class FastReaderDeclined(Exception):
    """The file holds something the streaming reader does not reproduce exactly (not a safety
    refusal): the reference reader should read it. ``reason`` is one line for the summary."""

    def __init__(self, source_name: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{source_name}: the fast reader cannot read this file ({reason})")


class Handler(Protocol):
    """Element callbacks of a format reader (expat's, names as ``uri}local[}prefix]``), and
    the parser, set before parsing starts (for its position)."""

    parser: Any

    def start(self, name: str, attributes: dict[str, str]) -> None: ...

    def end(self, name: str) -> None: ...

    def text(self, data: str) -> None: ...


def depth_refused_message(source_name: str) -> str:
    """The one-line message for a file nested deeper than ``MAX_DEPTH``."""
    return f"{source_name}: XML nested more than {MAX_DEPTH} elements deep; refused"


def points_refused_message(source_name: str) -> str:
    """The one-line message for a file with more than ``MAX_TRACK_POINTS`` track points."""
    hours = MAX_TRACK_POINTS / 3600
    return (
        f"{source_name}: more than {MAX_TRACK_POINTS:,} track points "
        f"({hours:.0f} hours at one point a second); refused"
    )


def stream_xml(
    source: XmlSource,
    source_name: str,
    handler: Handler,
    *,
    namespace_prefixes: bool = False,
    on_chunk: Callable[[str], None] | None = None,
    namespace_start: Callable[[str | None, str | None], None] | None = None,
    namespace_end: Callable[[str | None], None] | None = None,
) -> expat.XMLParserType:
    """Parse ``source`` (bytes or a binary stream) once, calling ``handler`` for each element.

    ``on_chunk`` sees each piece of text before expat does; the namespace callbacks get default
    and prefixed declarations. Raises ``UnsafeFile`` for entities, external references and deep
    nesting, and ``CorruptFile`` for text that does not decode or is not well-formed XML;
    exceptions raised by the handler pass through. Returns the finished parser.
    """
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.namespace_prefixes = namespace_prefixes
    _refuse_entities(parser, source_name)
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    handler.parser = parser
    if namespace_start is not None:
        parser.StartNamespaceDeclHandler = namespace_start
    if namespace_end is not None:
        parser.EndNamespaceDeclHandler = namespace_end
    try:
        for chunk in decoded_chunks(source, source_name):
            if on_chunk is not None:
                on_chunk(chunk)
            parser.Parse(chunk, False)
        parser.Parse("", True)
    except expat.ExpatError as exc:
        raise CorruptFile(f"{source_name}: not valid XML: {exc}") from exc
    return parser


def _refuse_entities(parser: expat.XMLParserType, source_name: str) -> None:
    """defusedxml's settings (forbid_entities, forbid_external), plus ElementTree's handling of
    an entity that a document with a DTD leaves undefined."""

    def entity_declared(*_: object) -> None:
        raise UnsafeFile(entities_refused_message(source_name))

    def external_reference(*_: object) -> None:
        raise UnsafeFile(f"{source_name}: XML external references are not allowed; refused")

    def default(text: str) -> None:
        # expat passes "&name;" here only when a DTD might have defined it; ElementTree fails
        if text[:1] == "&":
            raise CorruptFile(
                f"{source_name}: not valid XML: undefined entity {text}: "
                f"line {parser.ErrorLineNumber}, column {parser.ErrorColumnNumber}"
            )

    parser.EntityDeclHandler = entity_declared
    parser.UnparsedEntityDeclHandler = entity_declared
    parser.ExternalEntityRefHandler = external_reference
    parser.DefaultHandlerExpand = default


def decoded_chunks(source: XmlSource, source_name: str) -> Iterator[str]:
    """The text of an XML file a piece at a time, decoded and stripped as ``decode_xml`` does."""
    read = _reader(source)
    head = b""
    while len(head) < 1024 and (more := read(1024 - len(head))):
        head += more
    encoding, skip = _encoding(head)
    decoder = _decoder(encoding, head, source_name)
    data, offset, at_start = head[skip:], 0, True
    while True:
        final = not data
        pending = len(decoder.getstate()[0])  # bytes of a character cut at the last chunk's end
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise CorruptFile(
                f"{source_name}: not valid XML: not {encoding.upper()} text "
                f"(cannot decode the byte at offset {offset - pending + exc.start})"
            ) from exc
        offset += len(data)
        if at_start:
            text = text.lstrip(_LEADING_JUNK)
            at_start = not text
        if text:
            yield text
        if final:
            return
        data = read(CHUNK_BYTES)


def _reader(source: XmlSource) -> Callable[[int], bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        position = 0

        def read(size: int) -> bytes:
            nonlocal position
            piece = bytes(view[position : position + size])
            position += len(piece)
            return piece

        return read
    return source.read


def _encoding(head: bytes) -> tuple[str, int]:
    """(encoding, bytes to skip) as ``decode_xml`` chooses them. For UTF-8 with a byte-order
    mark the mark is skipped and offsets count from after it, as ``bytes.decode`` reports them."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", len(codecs.BOM_UTF8)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    declared = _DECLARED_ENCODING.match(head)
    return (declared.group(1).decode("ascii") if declared else "utf-8"), 0


def _decoder(encoding: str, head: bytes, source_name: str) -> codecs.IncrementalDecoder:
    try:
        info = codecs.lookup("utf-8" if encoding == "utf-8-sig" else encoding)
        if not getattr(info, "_is_text_encoding", True):  # base64, zlib: not text encodings
            raise LookupError(encoding)
    except LookupError as exc:
        raise CorruptFile(
            f"{source_name}: not valid XML: unknown text encoding '{encoding}'"
        ) from exc
    if info.name in ("utf-16", "utf-32") and not head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    ):
        # bytes.decode reads a UTF-16 or UTF-32 text without a mark in the machine's byte
        # order; the incremental decoder would refuse it
        order = "le" if sys.byteorder == "little" else "be"
        return codecs.getincrementaldecoder(f"{info.name}-{order}")()
    return info.incrementaldecoder()


# --- times ---------------------------------------------------------------------------------------

#: The usual shape of a track time, checked field by field: read in bulk by numpy. Anything else
#: goes to the format's own reading of one time.
_USUAL_TIME = re.compile(
    r"([0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?)"
    r"(Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
)


_USUAL_BASE = _USUAL_TIME.pattern.split(")(")[0][1:]
#: Every time of a batch in UTC ("Z"), or every one naive: checked in one go, newline-separated.
_ALL_UTC = re.compile(f"(?:{_USUAL_BASE}Z\n)*{_USUAL_BASE}Z")
_ALL_NAIVE = re.compile(f"(?:{_USUAL_BASE}\n)*{_USUAL_BASE}")


def _bulk_times(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``utc_microseconds`` of a batch whose times all share one usual shape, else None."""
    joined = "\n".join(texts)
    if "0000-" in joined:
        return None  # year 0: numpy reads it, datetime does not
    if _ALL_UTC.fullmatch(joined):
        bases, naive = [text[:-1] for text in texts], False
    elif _ALL_NAIVE.fullmatch(joined):
        bases, naive = texts, True
    else:
        return None
    try:
        micros = np.array(bases, dtype="datetime64[us]").astype(np.int64)
    except ValueError:
        return None
    count = len(texts)
    return micros, np.full(count, naive), np.ones(count, dtype=bool)


def utc_microseconds(
    texts: list[str | None], read_one: Callable[[str], datetime | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(microseconds since 1970 UTC [us], was_naive, readable) of each time text.

    Times of the usual shape are converted in bulk; any other text, and every text of a batch
    with an impossible date, goes to ``read_one``, which returns an aware or naive datetime or
    None. A naive time is read as UTC. ``read_one`` may raise for a time it cannot convert.
    """
    count = len(texts)
    if count and texts.count(None) == 0:
        together = _bulk_times(texts)  # type: ignore[arg-type]
        if together is not None:
            return together
    micros = np.zeros(count, dtype=np.int64)
    naive = np.zeros(count, dtype=bool)
    readable = np.zeros(count, dtype=bool)
    bases: list[str] = []
    offsets_min: list[int] = []
    usual: list[int] = []
    unusual: list[int] = []
    match = _USUAL_TIME.fullmatch
    for index, text in enumerate(texts):
        found = match(text) if text else None
        if found is None or text.startswith("0000"):  # type: ignore[union-attr]
            if text:
                unusual.append(index)
            continue
        base, zone = found.groups()
        usual.append(index)
        bases.append(base)
        if zone is None:
            naive[index] = True
            offsets_min.append(0)
        elif zone == "Z":
            offsets_min.append(0)
        else:
            minutes = int(zone[1:3]) * 60 + int(zone[4:6])
            offsets_min.append(-minutes if zone[0] == "-" else minutes)
    if usual:
        try:
            local = np.array(bases, dtype="datetime64[us]").astype(np.int64)
        except ValueError:  # 30 February and the like: let the format's reader decide
            unusual.extend(usual)
        else:
            where = np.array(usual)
            micros[where] = local - np.array(offsets_min, dtype=np.int64) * 60_000_000
            readable[where] = True
    for index in unusual:
        naive[index] = False
        when = read_one(texts[index])  # type: ignore[arg-type]
        if when is None:
            continue
        if when.tzinfo is None or when.utcoffset() is None:
            naive[index] = True
            when = when.replace(tzinfo=UTC)
        micros[index] = (when - _UNIX_EPOCH) // _MICROSECOND
        readable[index] = True
    return micros, naive, readable


# --- choosing the reader: the fast one, or the reference one --------------------------------

#: A reader of one format: (bytes or stream, file name, default time zone) -> activities.
Reader = Callable[[Any, str, "str | None"], list[Any]]


#: Environment variable choosing the GPX and TCX reader: "auto" (default: the fast reader, the
#: reference reader for a file it declines), "fast" (a declined file is an error) or "gpxpy" (the
#: reference readers: gpxpy for GPX, the ElementTree reader for TCX).
READER_VARIABLE = "STRIDEWISE_GPX_READER"


def read_with_chosen_reader(
    data: XmlSource,
    source_name: str,
    *,
    fast: Reader,
    reference: Reader,
    reference_name: str,
    default_timezone: str | None,
) -> list[Any]:
    """Read with the reader ``$STRIDEWISE_GPX_READER`` chooses (shared by GPX and TCX).

    In "auto", a file the fast reader declines (never one it refused for safety or size) is
    read by the reference reader when it is at most ``MAX_FALLBACK_BYTES``; a larger one is
    refused with the fast reader's reason, since the reference reader's memory grows with it.
    """
    choice = os.environ.get(READER_VARIABLE, "auto").strip().lower() or "auto"
    if choice not in ("auto", "fast", "gpxpy"):
        raise ConfigError(
            f"{READER_VARIABLE} must be auto, fast or gpxpy, not '{choice}' ({source_name})"
        )
    if choice == "gpxpy":
        activities = reference(_whole(data, source_name), source_name, default_timezone)
        decoder = reference_name
    else:
        try:
            activities = fast(data, source_name, default_timezone)
            decoder = "fast"
        except FastReaderDeclined as declined:
            if choice == "fast":
                raise CorruptFile(str(declined)) from declined
            payload = _whole(data, source_name, limit=MAX_FALLBACK_BYTES)
            if payload is None:
                raise CorruptFile(
                    f"{declined} and it is larger than "
                    f"{MAX_FALLBACK_BYTES // 2**20} MB for the reference reader"
                ) from declined
            activities = reference(payload, source_name, default_timezone)
            decoder = f"{reference_name}-fallback: {declined.reason}"
    for activity in activities:
        activity.decoder = decoder
    return activities


def _whole(data: XmlSource, source_name: str, limit: int | None = None) -> bytes | None:
    """All the bytes of ``data`` (a stream is read again from its start), or None when there are
    more than ``limit``. A stream's own size cap (``dispatch.GunzipStream``) still applies."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data) if limit is None or len(data) <= limit else None
    data.seek(0)
    payload = data.read() if limit is None else data.read(limit + 1)
    return payload if limit is None or len(payload) <= limit else None
