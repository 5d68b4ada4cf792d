"""Strava bulk export (FORMATS.md), zipped or unpacked.

``activities.csv`` lists every activity (see ``strava_list.parse_strava_csv``); the ``Filename``
of a row names its file under ``activities/`` (``.fit``, ``.fit.gz``, ``.gpx``, ``.gpx.gz``,
``.tcx.gz``), decoded by the ordinary readers. The row's name, shoe and surface (``Trail Run``)
are merged into its file's activity; a row without a file (a manual entry), or whose file is
missing or unreadable, is kept as a summary-only activity (the import pipeline pairs rows and files
by name, ``MATCH_BY_FILE_NAME``). ``shoes.csv`` lists the shoes; the name an activity's
``Activity Gear`` carries is used for each, so that both match.

This module decodes only: ``read_strava_export`` returns the export's ``ExportContents``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from stridewise.archive import Source
from stridewise.csvtext import Columns, Limits, cell, read_table
from stridewise.errors import SkippedFile, StridewiseError
from stridewise.importers.exports import (
    MATCH_BY_FILE_NAME,
    ExportContents,
    ExportProblem,
    ExportShoe,
    ExportSummary,
)
from stridewise.importers.sizes import MAX_DECOMPRESSED_BYTES
from stridewise.importers.strava_list import StravaRow, parse_strava_csv
from stridewise.limits import ON_FOOT_SPORTS
from stridewise.model import Activity

_SHOE_NAME = ("Shoe Name", "Schuhname")
_SHOE_BRAND = ("Shoe Brand", "Schuhmarke")
_SHOE_MODEL = ("Shoe Model", "Schuhmodell")
_BIKE_NAME = ("Bike Name", "Fahrradname")
_BIKE_BRAND = ("Bike Brand", "Fahrradmarke")
_BIKE_MODEL = ("Bike Model", "Fahrradmodell")

SOURCE_FORMAT = "strava-csv"


def file_key(name: str) -> str:
    """A file name as rows and archive entries are compared: lower case, forward slashes."""
    return PurePosixPath(name.replace("\\", "/").lower()).as_posix().removeprefix("./")


def read_strava_export(source: Source, *, default_timezone: str | None = None) -> ExportContents:
    """A Strava export's activities.csv and shoes.csv (its files are read later).

    A member's problem is named by the export and the member (``strava.zip/shoes.csv: ...``),
    so that with several exports the runner can tell which one it is in.
    """
    export = ExportContents(kind="strava", match=MATCH_BY_FILE_NAME)
    names = source.names()
    listing = _shallowest(names, "activities.csv")
    if listing is None:
        export.problems.append(
            ExportProblem(source.label, f"{source.label}: no activities.csv in the Strava export")
        )
        return export
    root = str(PurePosixPath(listing).parent)
    root = "" if root == "." else root + "/"
    listing_label = f"{source.label}/{listing}"
    try:
        rows = parse_strava_csv(
            source.read(listing, MAX_DECOMPRESSED_BYTES),
            listing_label,
            default_timezone=default_timezone,
            foot_gear_only=False,
        )
    except StridewiseError as exc:
        export.problems.append(ExportProblem(listing_label, str(exc)))
        return export
    gear_names = {_gear_key(r.activity.shoe) for r in rows if r.activity.shoe}
    shoe_names = _read_gear_list(
        export,
        source,
        _shallowest(names, "shoes.csv"),
        gear_names,
        (_SHOE_NAME, _SHOE_BRAND, _SHOE_MODEL),
    )
    bike_names = _read_gear_list(
        export,
        source,
        _shallowest(names, "bikes.csv"),
        gear_names,
        (_BIKE_NAME, _BIKE_BRAND, _BIKE_MODEL),
    )
    export.shoes = [ExportShoe(name=name) for name in shoe_names]
    shoe_keys = {_gear_key(name) for name in shoe_names}
    bike_keys = {_gear_key(name) for name in bike_names}
    present = {file_key(name) for name in names}
    for row in rows:
        _decide_gear(row.activity, shoe_keys, bike_keys)
        export.summaries.append(_summary(row, root, present))
    return export


def _summary(row: StravaRow, root: str, present: set[str]) -> ExportSummary:
    key = f"activities.csv #{row.activity_id or row.row_number}"
    activity = row.activity
    activity.source_name = key
    activity.source_format = SOURCE_FORMAT
    activity.source_sha256 = row.sha256
    file_name = f"{root}{row.file_name}" if row.file_name else None
    if file_name and file_key(file_name) not in present:
        activity.warnings.append(f"its file {row.file_name} is not in the export")
    return ExportSummary(key, activity, row.sha256, file_name)


def _decide_gear(activity: Activity, shoe_keys: set[str], bike_keys: set[str]) -> None:
    """A row's gear is its shoe when shoes.csv lists it, or when it is on foot and no bike."""
    if not activity.shoe:
        return
    key = _gear_key(activity.shoe)
    if key in shoe_keys:
        return
    if key in bike_keys or activity.sport not in ON_FOOT_SPORTS:
        activity.shoe = None


def _gear_key(name: str) -> str:
    return re.sub(r"\s+", "", name).casefold()


def _read_gear_list(
    export: ExportContents,
    source: Source,
    member: str | None,
    used_names: set[str],
    aliases: tuple[tuple[str, ...], ...],
) -> list[str]:
    """``_gear_list`` of a member of the export; none (and a problem) when it cannot be read."""
    if member is None:
        return []
    label = f"{source.label}/{member}"
    try:
        data = source.read(member, MAX_DECOMPRESSED_BYTES)
        return _gear_list(data, label, used_names, aliases)
    except SkippedFile:  # an empty list: no gear, nothing wrong
        return []
    except StridewiseError as exc:
        export.problems.append(ExportProblem(label, str(exc)))
        return []


def _gear_list(
    data: bytes, name: str, used_names: set[str], aliases: tuple[tuple[str, ...], ...]
) -> list[str]:
    """The name of each pair (or bike) in shoes.csv (bikes.csv), spelled as activities name it.

    Strava's ``Activity Gear`` joins brand, model and the runner's name for the pair; a list row
    gives the three apart. Of the spellings, the one activities use wins.
    """
    table = read_table(data, name, Limits("Strava's gear list"))
    columns = Columns(table.header)
    name_col, brand_col, model_col = (columns.find(a) for a in aliases)
    names: list[str] = []
    for _, cells in table.rows:
        own, brand, model = cell(cells, name_col), cell(cells, brand_col), cell(cells, model_col)
        spellings = [
            " ".join(part for part in (brand, model, own) if part),
            own or "",
            " ".join(part for part in (brand, model) if part),
            " ".join(part for part in (model, own) if part),
        ]
        spellings = [" ".join(s.split()) for s in spellings if s and s.strip()]
        if not spellings:
            continue
        used = next((s for s in spellings if _gear_key(s) in used_names), None)
        names.append(used or spellings[0])
    return names


def _shallowest(names: list[str], base: str) -> str | None:
    found = [n for n in names if PurePosixPath(n).name.lower() == base]
    return min(found, key=lambda n: (n.count("/"), n)) if found else None
