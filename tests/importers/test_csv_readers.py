"""Every CSV reader on the one CSV text layer: the same content saved in any encoding (UTF-8 with
or without BOM, UTF-16 LE or BE as Excel saves "Unicode text", Windows-1252) imports to the same
activities, field for field; a Windows-1252 file says it was read as such; the dispatch reads a
file once, each reader keeping its own limits.

Real lists come from the real-file corpus's export/ (tests/realdata.py; skipped when absent);
the small ones are made here, named after what they hold.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from exports import Run, StravaActivity, StravaExportSpec, strava_activities_csv

from stridewise import csvtext
from stridewise.errors import UnsupportedFile
from stridewise.importers.csv_log import read_csv_log
from stridewise.importers.dispatch import unpack
from stridewise.importers.garmin_list import read_garmin_activities
from stridewise.importers.strava_list import parse_strava_csv
from stridewise.model import Activity
from stridewise.pipeline import read_raw

#: Every field of an activity's summary. The file's sha256 differs by encoding, as it should;
#: a summary-only activity has no samples (checked apart).
SUMMARY_FIELDS = [
    f.name
    for f in dataclasses.fields(Activity)
    if f.name not in ("table", "packed_samples", "source_sha256")
]
UNICODE = ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be")
CP1252_WARNING = (
    "read as Windows-1252: the file is not UTF-8 or UTF-16 text (check letters such as é and €)"
)
START = datetime(2026, 9, 20, 14, 12, 12, tzinfo=UTC)


def saved_as(text: str, encoding: str) -> bytes:
    """``text`` as a file saved in ``encoding``; UTF-16 with the BOM Excel writes."""
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


def summaries(activities: list[Activity], *, warnings: bool = True) -> list[dict]:
    assert all(not activity.has_records for activity in activities)
    names = [n for n in SUMMARY_FIELDS if warnings or n != "warnings"]
    return [{name: getattr(activity, name) for name in names} for activity in activities]


def imported(data: bytes, name: str, zone: str | None = "Europe/Copenhagen") -> list[Activity]:
    """What an import makes of a file: the .csv dispatch, then sanity cleaning."""
    return read_raw(unpack(data, name), default_timezone=zone)


# --- tiny lists, named after what they hold -----------------------------------------------------


def strava_list_with_gear_umlauts_and_a_manual_entry() -> str:
    spec = StravaExportSpec(
        [
            StravaActivity(Run(START, 3000, 10_500.5), 77, "Trail Run", "Über Zürich", gear="Hoka"),
            StravaActivity(Run(START.replace(day=21), 1800, 5000.0), 78, file_kind=None),
        ]
    )
    return strava_activities_csv(spec).decode("utf-8")


def garmin_list_with_danish_letters_and_thousands() -> str:
    return (
        "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,"
        "Avg Run Cadence,Total Ascent,Avg Stride Length,Steps\n"
        'Trail Running,2026-09-20 07:30:00,false,"Skovløb, Rude Skov","12.43","1,706",'
        '"01:54:29","151","170","172","412","0.93","13,290"\n'
        'Running,2026-09-21 18:00:00,false,"Æbleløb ®","8.00","600","00:45:00","140",'
        '"160","168","--","1.06","7,560"\n'
    )


def semicolon_log_with_decimal_commas() -> str:
    return (
        "date;distance (km);duration;rpe;shoe;notes\n"
        "14.03.2026;10,5;52:30;6,5;Pegasus 40;Café am Ziel, müde\n"
        '15.03.2026;21,1;1:55:02;8;Pegasus 40;"Regen; 2 € Wasser"\n'
    )


# --- the same content in every encoding ---------------------------------------------------------


def test_real_strava_list_in_every_unicode_encoding(real_dir: Path):
    text = (real_dir / "export/strava/activities.csv").read_bytes().decode("utf-8-sig")
    expected = summaries(imported(saved_as(text, "utf-8"), "activities.csv"))
    assert len(expected) == 610
    for encoding in UNICODE[1:]:
        assert summaries(imported(saved_as(text, encoding), "activities.csv")) == expected


def test_strava_rows_match_in_every_encoding_so_an_export_links_them_alike():
    text = strava_list_with_gear_umlauts_and_a_manual_entry()
    reference = parse_strava_csv(saved_as(text, "utf-8"), "activities.csv")
    assert [row.file_name for row in reference] == ["activities/1000077.fit.gz", None]
    assert reference[0].activity.name == "Über Zürich"
    for encoding in (*UNICODE[1:], "cp1252"):
        rows = parse_strava_csv(saved_as(text, encoding), "activities.csv")
        links = [(r.row_number, r.activity_id, r.file_name, r.sha256) for r in rows]
        assert links == [(r.row_number, r.activity_id, r.file_name, r.sha256) for r in reference]
        got = summaries([row.activity for row in rows], warnings=False)
        assert got == summaries([row.activity for row in reference], warnings=False)


def test_generated_strava_list_imports_alike_in_every_unicode_encoding():
    text = strava_list_with_gear_umlauts_and_a_manual_entry()
    expected = summaries(imported(saved_as(text, "utf-8"), "activities.csv"))
    assert [(a.distance_m, a.shoe, a.surface) for a in imported(text.encode(), "a.csv")] == [
        (pytest.approx(10_500.5), "Hoka", "trail"),
        (5000.0, None, "unknown"),
    ]
    for encoding in UNICODE[1:]:
        assert summaries(imported(saved_as(text, encoding), "activities.csv")) == expected


def test_strava_list_saved_by_excel_as_tab_separated_unicode_text():
    text = strava_list_with_gear_umlauts_and_a_manual_entry()
    tabbed = io.StringIO()
    csv.writer(tabbed, delimiter="\t", lineterminator="\r\n").writerows(
        csv.reader(io.StringIO(text))
    )
    expected = summaries(imported(text.encode(), "activities.csv"))
    assert summaries(imported(saved_as(tabbed.getvalue(), "utf-16-le"), "activities.csv")) == (
        expected
    )


@pytest.mark.parametrize(
    "name",
    [
        "Activities_danish.csv",
        "Activities_imperial_running_dynamics.csv",
        "Activities_metric_trail.csv",
    ],
)
def test_real_garmin_lists_in_every_unicode_encoding(real_dir: Path, name: str):
    text = (real_dir / "export/garmin_connect" / name).read_bytes().decode("utf-8-sig")
    expected = summaries(imported(saved_as(text, "utf-8"), name))
    assert {a.source_format for a in imported(text.encode(), name)} == {"garmin-csv"}
    for encoding in UNICODE[1:]:
        assert summaries(imported(saved_as(text, encoding), name)) == expected


def test_generated_garmin_list_in_every_encoding():
    text = garmin_list_with_danish_letters_and_thousands()
    expected = summaries(imported(saved_as(text, "utf-8"), "Activities.csv"))
    assert [(a.name, a.distance_m, a.timer_s) for a in imported(text.encode(), "A.csv")] == [
        ("Skovløb, Rude Skov", pytest.approx(12_430.0), 6869.0),
        ("Æbleløb ®", 8000.0, 2700.0),
    ]
    for encoding in UNICODE[1:]:
        assert summaries(imported(saved_as(text, encoding), "Activities.csv")) == expected
    windows = imported(saved_as(text, "cp1252"), "Activities.csv")
    assert summaries(windows, warnings=False) == summaries(
        imported(saved_as(text, "utf-8"), "Activities.csv"), warnings=False
    )


def test_semicolon_log_with_decimal_commas_in_utf8_utf16_and_windows_1252():
    text = semicolon_log_with_decimal_commas()
    expected = summaries(imported(saved_as(text, "utf-8"), "log.csv"))
    assert [(run["distance_m"], run["rpe"], run["notes"]) for run in expected] == [
        (10_500.0, 6.5, "Café am Ziel, müde"),
        (21_100.0, 8.0, "Regen; 2 € Wasser"),
    ]
    for encoding in UNICODE[1:]:
        assert summaries(imported(saved_as(text, encoding), "log.csv")) == expected
    windows = imported(saved_as(text, "cp1252"), "log.csv")
    assert summaries(windows, warnings=False) == summaries(
        imported(saved_as(text, "utf-8"), "log.csv"), warnings=False
    )


# --- Windows-1252 is said -----------------------------------------------------------------------


def test_windows_1252_log_says_how_it_was_read():
    data = saved_as(semicolon_log_with_decimal_commas(), "cp1252")
    first, second = read_csv_log(data, "log.csv", default_timezone="Europe/Berlin")
    assert first.warnings == [CP1252_WARNING]
    assert second.warnings == []
    assert imported(data, "log.csv")[0].warnings == [CP1252_WARNING]
    assert read_csv_log(data, "log.csv")[0].warnings == [
        CP1252_WARNING,
        "no time zone in the profile: the log's dates and times are read as UTC "
        "(set timezone under [athlete])",
    ]


def test_windows_1252_lists_say_how_they_were_read():
    strava = parse_strava_csv(
        saved_as(strava_list_with_gear_umlauts_and_a_manual_entry(), "cp1252"), "activities.csv"
    )
    assert strava[0].activity.warnings == [CP1252_WARNING]
    garmin = read_garmin_activities(
        saved_as(garmin_list_with_danish_letters_and_thousands(), "cp1252"),
        "Activities.csv",
        default_timezone="Europe/Copenhagen",
    )
    assert garmin[0].warnings == [CP1252_WARNING]
    assert garmin[1].warnings == []


def test_unicode_files_carry_no_encoding_warning():
    for encoding in UNICODE:
        data = saved_as(semicolon_log_with_decimal_commas(), encoding)
        assert all(run.warnings == [] for run in imported(data, "log.csv"))


# --- one read per file, each reader's limits -----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        strava_list_with_gear_umlauts_and_a_manual_entry(),
        garmin_list_with_danish_letters_and_thousands(),
        semicolon_log_with_decimal_commas(),
    ],
    ids=["strava", "garmin", "log"],
)
def test_the_dispatch_decodes_a_file_once(monkeypatch, text: str):
    decoded = []
    decode = csvtext.decode

    def counting(data: bytes, source_name: str) -> csvtext.Text:
        decoded.append(source_name)
        return decode(data, source_name)

    monkeypatch.setattr(csvtext, "decode", counting)
    assert imported(saved_as(text, "utf-16-le"), "some.csv")
    assert decoded == ["some.csv"]


def test_a_long_strava_description_is_read_but_a_log_keeps_its_cell_limit():
    description = "km by km: " + "splits " * 3000  # 21,010 characters, a race report
    spec = StravaExportSpec(
        [StravaActivity(Run(START, 3000, 10_000.0), 5, description=description)]
    )
    data = strava_activities_csv(spec)
    [row] = parse_strava_csv(data, "activities.csv")
    assert row.activity.notes == description.strip()
    assert imported(data, "activities.csv")[0].notes == description.strip()
    log = f'date,km,duration,notes\n2026-03-14,10,50:00,"{description}"\n'.encode()
    message = "log.csv, row 2: a cell of 21,010 characters (at most 10,000); not a run log"
    for read in (lambda: read_csv_log(log, "log.csv"), lambda: imported(log, "log.csv")):
        with pytest.raises(UnsupportedFile) as refused:
            read()
        assert str(refused.value) == message
