"""The FIT messages the mapping reads, as plain values: shared by both FIT decoders.

``fit.py`` (fitparse) and ``fit_bulk.py`` (numpy) both turn bytes into a ``FitMessages`` and file
each decoded message through ``file_message``, so that they keep exactly the same messages. Times
stay raw FIT times: whole seconds since 1989-12-31T00:00Z, a value below ``FIRST_REAL_FIT_TIME``
being device-relative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from stridewise.errors import SkippedFile

#: Unix time of the FIT epoch, 1989-12-31T00:00Z [s].
FIT_EPOCH_UNIX_S = 631065600

#: FIT times below this are seconds since the device powered on, not dates [s].
FIRST_REAL_FIT_TIME = 0x10000000

#: Degrees per semicircle, the FIT unit of latitude and longitude [degree].
DEGREES_PER_SEMICIRCLE = 180.0 / 2**31


@dataclass
class FitMessages:
    """Plain values of the FIT messages the mapping needs, in file order.

    Each message is a dict of field name -> value as fitparse names and scales them; times are raw
    FIT seconds (see the module docstring). ``warnings`` are what decoding had to forgive.
    """

    file_id: dict[str, Any] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    # a list from fitparse; from the bulk decoder, RecordColumns: the same dicts, kept as columns
    records: Sequence[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    activity: dict[str, Any] | None = None
    sports: list[dict[str, Any]] = field(default_factory=list)  # `sport` messages
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None  # why decoding stopped early, in plain words; None when it did not


def file_message(name: str, values: dict[str, Any], result: FitMessages, source_name: str) -> None:
    """File one message's plain values into ``result``; stop at a non-activity ``file_id``.

    Shared by both decoders, so that they keep the same messages.
    """
    if name == "record":
        result.records.append(values)
    elif name == "event":
        result.events.append(values)
    elif name == "session":
        result.sessions.append(values)
    elif name == "file_id" and not result.file_id:
        result.file_id = values
        file_type = result.file_id.get("type")
        # a file_id without a type (Moxy sensors) is judged later, by what the file holds
        if file_type is not None and file_type != "activity":
            raise SkippedFile(f"{source_name}: not an activity ({file_type})")
    elif name == "activity" and result.activity is None:
        result.activity = values
    elif name == "sport":
        result.sports.append(values)
