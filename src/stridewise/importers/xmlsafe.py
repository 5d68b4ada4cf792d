"""XML from outside, read safely: the pieces the GPX and TCX readers share.

GPX and TCX files come from apps and web sites, so they are parsed as hostile input. Every
document goes through ``defusedxml`` with entity declarations and external references
forbidden: a "billion laughs" file or an external entity pointing at a local file is refused at
its declaration, before anything is expanded or read, so memory and time stay flat.

A ``<!DOCTYPE>`` that declares no entity is allowed: it has nothing to expand, and the parser
(expat) never fetches an external DTD. Leading whitespace and a byte-order mark before
``<?xml`` (Strava writes both) are tolerated.
"""

from __future__ import annotations

import codecs
import math
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from stridewise.errors import CorruptFile, UnsafeFile
from stridewise.inputs import one_line as one_line  # the XML readers' messages quote files too

#: XML's own whitespace, plus a byte-order mark that survived decoding.
_LEADING_JUNK = " \t\r\n\ufeff"

_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def entities_refused_message(source_name: str) -> str:
    """The one-line message for a file that declares XML entities."""
    return (
        f"{source_name}: XML entities are not allowed (possible entity-expansion attack); refused"
    )


def decode_xml(data: bytes, source_name: str) -> str:
    """The text of an XML file, without a byte-order mark or whitespace before ``<?xml``.

    The encoding comes from a byte-order mark, else from the XML declaration, else UTF-8.
    """
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        declared = _DECLARED_ENCODING.match(data[:1024])
        encoding = declared.group(1).decode("ascii") if declared else "utf-8"
    try:
        text = data.decode(encoding)
    except LookupError as exc:
        raise CorruptFile(
            f"{source_name}: not valid XML: unknown text encoding '{encoding}'"
        ) from exc
    except UnicodeDecodeError as exc:
        raise CorruptFile(
            f"{source_name}: not valid XML: not {encoding.upper()} text "
            f"(cannot decode the byte at offset {exc.start})"
        ) from exc
    return text.lstrip(_LEADING_JUNK)


def parse_xml(text: str, source_name: str) -> ET.Element:
    """Parse XML text with entities and external references forbidden; return the root.

    Raises ``UnsafeFile`` for entity declarations or external references and ``CorruptFile``
    for text that is not well-formed XML.
    """
    # loaded here: the streaming readers and a FIT import never parse a whole document
    import defusedxml.ElementTree as DefusedET
    from defusedxml.common import DefusedXmlException, EntitiesForbidden

    try:
        return DefusedET.fromstring(
            text, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except EntitiesForbidden as exc:
        raise UnsafeFile(entities_refused_message(source_name)) from exc
    except DefusedXmlException as exc:
        raise UnsafeFile(
            f"{source_name}: XML external references are not allowed; refused"
        ) from exc
    except ET.ParseError as exc:
        raise CorruptFile(f"{source_name}: not valid XML: {exc}") from exc


def split_tag(tag: object) -> tuple[str, str]:
    """(namespace URI, local name) of an element tag; comments and PIs give ("", "")."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def local_name(tag: object) -> str:
    """The local name of a tag, whatever its namespace or prefix."""
    return split_tag(tag)[1]


def finite_float(text: str | None) -> float | None:
    """A finite number from element text, or None when absent or not a number."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def iso_time(text: str | None) -> tuple[datetime | None, bool]:
    """(UTC instant, was_naive) from an ISO 8601 time; naive times are read as UTC.

    Returns (None, False) for a missing or unreadable time.
    """
    if not text:
        return None, False
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, False
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC), True
    return when.astimezone(UTC), False
