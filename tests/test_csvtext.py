"""The CSV text layer on its own: decode, records, delimiters, decimal marks, numbers, durations,
dates. Each case is a few bytes made here, named after its edge case."""

from __future__ import annotations

import codecs
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from stridewise.csvtext import (
    MAX_COLUMNS,
    CellError,
    Columns,
    Limits,
    Record,
    cell,
    check_table,
    checked_zone,
    decimal_mark,
    decode,
    parse_datetime,
    parse_duration_s,
    parse_number,
    parse_time_of_day,
    read_table,
    slash_order,
    sniff_delimiter,
    to_utc,
)
from stridewise.errors import ConfigError, CorruptFile, UnsupportedFile

LOG = Limits("a run log")
TEXT = "date;distance (km);notes\n14.03.2026;10,5;Café, Zürich\n"


def encoded(text: str, encoding: str) -> bytes:
    """``text`` as a file saved in ``encoding`` (the UTF-16 ones with the BOM Excel writes)."""
    if encoding == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


# --- decode -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8"),
        ("utf-16-le", "UTF-16"),
        ("utf-16-be", "UTF-16"),
    ],
)
def test_unicode_encodings_decode_alike_without_a_warning(encoding, name):
    text = decode(encoded(TEXT, encoding), "log.csv")
    assert (text.text, text.encoding, text.warning) == (TEXT, name, None)


def test_windows_1252_is_read_with_a_warning_that_says_so():
    text = decode(encoded(TEXT + "2 € water\n", "cp1252"), "log.csv")
    assert text.text == TEXT + "2 € water\n"
    assert text.encoding == "Windows-1252"
    assert text.warning == (
        "read as Windows-1252: the file is not UTF-8 or UTF-16 text (check letters such as é and €)"
    )


def test_a_byte_windows_1252_leaves_undefined_is_read_as_latin_1():
    text = decode(b"date,notes\n2026-03-14,caf\xe9 \x81\n", "log.csv")
    assert (text.text, text.encoding) == ("date,notes\n2026-03-14,café \x81\n", "Latin-1")
    assert text.warning.startswith("read as Latin-1: ")


@pytest.mark.parametrize(
    "data",
    [
        b"\x0e\x10\x08\x00.FIT\x00\x00",  # a FIT file named .csv
        b"\xff\xfe\x00\x00\x00",  # a UTF-16 BOM, then NULs and half a character
        codecs.BOM_UTF16_LE + "a,b\x00".encode("utf-16-le"),  # UTF-16 holding a NUL
        b"date,km\n" + b"\x00" * 8,  # NULs far from the start
    ],
    ids=["fit-bytes", "utf16-bom-then-nul", "utf16-with-nul", "late-nul"],
)
def test_binary_bytes_are_refused_in_one_line(data):
    with pytest.raises(UnsupportedFile) as refused:
        decode(data, "watch.csv")
    assert str(refused.value) == "watch.csv: is a binary file, not CSV text"


def test_utf16_cut_in_half_a_character_is_damaged_text():
    with pytest.raises(CorruptFile) as damaged:
        decode(codecs.BOM_UTF16_LE + "date".encode("utf-16-le") + b"d", "log.csv")
    assert str(damaged.value) == "log.csv: not valid UTF-16 text (truncated data)"


# --- delimiters and records ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("date,distance,duration", ","),
        ("date;distance;duration", ";"),
        ("date\tdistance\tduration", "\t"),
        ("date|distance|duration", "|"),
        ("date", ","),  # one column: the first delimiter
    ],
)
def test_delimiter_is_the_one_that_splits_the_header_most(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_known_header_names_decide_over_the_count_of_cells():
    # ";" gives 3 cells, 2 of them names a reader knows; "," gives 3 cells, none of them known
    line = "date;distance (km, road);time, min"
    known = {"date", "distance (km, road)", "time, min"}
    assert sniff_delimiter(line) == ","
    assert sniff_delimiter(line, lambda cell: cell in known) == ";"


def test_excel_sep_line_names_the_delimiter_and_is_not_a_row():
    table = read_table(b"sep=|\r\ndate|km\r\n2026-03-14|10,5\r\n", "log.csv", LOG)
    assert (table.delimiter, table.header, table.header_row) == ("|", ["date", "km"], 1)
    assert table.rows == [Record(2, ["2026-03-14", "10,5"])]


def test_rows_keep_spreadsheet_numbers_across_blank_lines_and_line_breaks_in_cells():
    data = b'\n date,notes\n2026-03-14,"windy,\nvery"\n\n , \n2026-03-15, "quoted, after a space"\n'
    table = read_table(data, "log.csv", LOG)
    assert (table.header, table.header_row) == (["date", "notes"], 2)
    assert table.rows == [
        Record(3, ["2026-03-14", "windy,\nvery"]),
        Record(6, ["2026-03-15", "quoted, after a space"]),
    ]


def test_leading_spaces_kept_when_asked():
    table = read_table(b"date,note\n2026-03-14,sore, after hills\n", "p.csv", LOG)
    kept = read_table(
        b"date,note\n2026-03-14,sore, after hills\n", "p.csv", LOG, keep_leading_spaces=True
    )
    assert table.rows[0].cells == ["2026-03-14", "sore", "after hills"]
    assert kept.rows[0].cells == ["2026-03-14", "sore", " after hills"]


def test_the_same_table_from_every_unicode_encoding():
    for encoding in ("utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"):
        table = read_table(encoded(TEXT, encoding), "log.csv", LOG)
        assert (table.delimiter, table.header, table.header_row) == (
            ";",
            ["date", "distance (km)", "notes"],
            1,
        )
        assert table.rows == [Record(2, ["14.03.2026", "10,5", "Café, Zürich"])]


@pytest.mark.parametrize("data", [b"", b"\n \r\n", b"sep=;\n"], ids=["no-bytes", "blank", "sep"])
def test_an_empty_file_is_an_empty_table_for_the_reader_to_judge(data):
    table = read_table(data, "empty.csv", LOG)
    assert table.empty
    assert (table.header, table.rows) == ([], [])


def test_a_million_columns_are_refused_before_the_header_is_split():
    data = ("," * 1_000_000).encode()
    with pytest.raises(UnsupportedFile) as refused:
        read_table(data, "wide.csv", Limits("a pain journal"))
    assert str(refused.value) == (
        "wide.csv, row 1: 1,000,001 columns (at most 1,000); not a pain journal"
    )


def test_too_many_columns_in_a_data_row():
    data = b"date,km\n" + b"1," * MAX_COLUMNS + b"1\n"
    with pytest.raises(UnsupportedFile, match=r"^wide\.csv, row 2: 1,001 columns \(at most"):
        read_table(data, "wide.csv", LOG)


def test_too_many_rows():
    data = b"date,km\n" + b"2026-03-14,1\n" * 11
    with pytest.raises(UnsupportedFile) as refused:
        read_table(data, "long.csv", Limits("a run log", rows=10))
    assert str(refused.value) == "long.csv: more than 10 rows; not a run log"


def test_limits_checked_again_on_a_table_read_under_looser_ones():
    data = b"date,notes\n2026-03-14," + b"x" * 20 + b"\n"
    table = read_table(data, "log.csv", Limits("a list", cell_chars=100))
    with pytest.raises(UnsupportedFile) as refused:
        check_table(table, Limits("a run log", cell_chars=10), "log.csv")
    assert str(refused.value) == (
        "log.csv, row 2: a cell of 20 characters (at most 10); not a run log"
    )


def test_a_cell_beyond_the_csv_modules_own_limit():
    data = b'date,notes\n2026-03-14,"' + b"x" * 200_000 + b'"\n'
    with pytest.raises(UnsupportedFile, match=r"^log\.csv: a cell is larger than [\d,]+ char"):
        read_table(data, "log.csv", Limits("a run log", cell_chars=10**6))


# --- headers and cells --------------------------------------------------------------------------


def test_columns_by_name_and_occurrence_ignoring_case_bom_and_spaces():
    columns = Columns(["\ufeffActivity  ID", "Distance", " elapsed time ", "DISTANCE"])
    assert columns.find(["activity id"]) == 0
    assert (columns.find(["Distance"]), columns.find(["Distance"], 2)) == (1, 3)
    assert columns.find(["Distance"], 3) is None
    assert columns.find(["Elapsed Time"]) == 2
    assert columns.count(["distance", "distanz"]) == 2


@pytest.mark.parametrize("text", ["", " -- ", "NaN", "n/a", "None", "\u2013", "null"])
def test_placeholders_are_missing_cells(text):
    assert cell([text], 0) is None


def test_cells_are_stripped_and_short_rows_missing():
    assert cell(["  Evening Run  "], 0) == "Evening Run"
    assert cell(["a"], 3) is None
    assert cell(["a"], None) is None


# --- decimal mark and numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "delimiter", "mark"),
    [
        (["10,5 km", "8"], ",", ","),  # a decimal comma inside a cell with its unit
        (["0,500"], ",", ","),  # a leading zero is never grouped
        (["1,234,567"], ";", "."),  # commas that group twice: the point is the decimal mark
        (["1.234.567"], ",", ","),
        (["1,500"], ",", "."),  # nothing decides: the delimiter does
        (["1,500"], ";", ","),
        ([], ";", ","),
        (["6.29", "10,5"], ";", ","),  # one of each: the delimiter does
        (["6.29", "7.5", "10,5"], ";", "."),  # more points than commas
        ([None, "", "--"], ",", "."),
    ],
)
def test_decimal_mark_from_unambiguous_numbers_else_the_delimiter(values, delimiter, mark):
    assert decimal_mark(values, delimiter) == mark


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("10,5", ".", 10.5),  # not three digits after it: a decimal comma in any file
        ("1,500", ",", 1.5),
        ("1,500", ".", 1500.0),
        ("1.500", ",", 1500.0),
        ("0,500", ".", 0.5),
        ("1,234,567", ",", 1234567.0),
        ("1 234,5", ",", 1234.5),
        ("1'000", ".", 1000.0),
        ("5\u202f000", ".", 5000.0),
        (".5", ".", 0.5),
        ("2432.77001953125", ".", 2432.77001953125),
        ("1,23.4", ".", None),  # bad grouping
        ("-5", ".", None),  # no value here is negative
        ("10 km", ".", None),
        ("inf", ".", None),
        ("9" * 400, ".", None),  # longer than any value
        ("", ".", None),
        (None, ".", None),
    ],
)
def test_parse_number(text, mark, value):
    assert parse_number(text, mark) == value


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bare_unit_s", "seconds"),
    [
        ("1:02:03", 1.0, 3723.0),
        ("95:10", 1.0, 5710.0),  # minutes may pass 59
        ("3:30.5", 1.0, 210.5),
        ("00:01:18,0", 1.0, 78.0),
        ("979", 1.0, 979.0),  # a list's bare seconds
        ("45", 60.0, 2700.0),  # a log's bare minutes
        ("12,5", 60.0, 750.0),
        ("1h05", 60.0, 3900.0),
        ("1h 20m 30s", 60.0, 4830.0),
        ("45 min", 1.0, 2700.0),
        ("90 s", 60.0, 90.0),
        ("1:75", 1.0, None),  # no 75 seconds in a minute
        ("1:02:61", 1.0, None),
        ("soon", 1.0, None),
        ("", 1.0, None),
        (None, 1.0, None),
    ],
)
def test_parse_duration(text, bare_unit_s, seconds):
    assert parse_duration_s(text, ",", bare_unit_s=bare_unit_s) == seconds


# --- dates and times ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", datetime(2026, 3, 14)),
        ("2026/03/14", datetime(2026, 3, 14)),
        ("14.03.2026", datetime(2026, 3, 14)),
        ("14. 3. 26", datetime(2026, 3, 14)),
        ("14 Mar 2026", datetime(2026, 3, 14)),
        ("Sat, 14 March 2026, 7:30 AM", datetime(2026, 3, 14, 7, 30)),
        ("Oct 6, 2022, 11:19:20 PM", datetime(2022, 10, 6, 23, 19, 20)),
        ("Oct 6, 2022, 11:19:20\u202fPM", datetime(2022, 10, 6, 23, 19, 20)),
        ("Sept 6, 2022", datetime(2022, 9, 6)),
        ("20.09.2026, 14:12:12", datetime(2026, 9, 20, 14, 12, 12)),
        ("2020-03-02 15:05:08", datetime(2020, 3, 2, 15, 5, 8)),
        ("2024-08-24T15:24:46", datetime(2024, 8, 24, 15, 24, 46)),
        ("2017-03-04T08:12:45Z", datetime(2017, 3, 4, 8, 12, 45, tzinfo=UTC)),
        (
            "2026-03-14T07:30:00+01:00",
            datetime(2026, 3, 14, 7, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
    ],
)
def test_parse_datetime(text, expected):
    parsed = parse_datetime(text)
    assert parsed == expected
    assert (parsed.tzinfo is None) == (expected.tzinfo is None)


def test_slash_dates_follow_the_order_given_else_a_day_above_12():
    assert parse_datetime("03/04/2026", True) == datetime(2026, 4, 3)
    assert parse_datetime("03/04/2026", False) == datetime(2026, 3, 4)
    assert parse_datetime("14/03/2026") == datetime(2026, 3, 14)


def test_a_time_from_its_own_column_or_the_default():
    assert parse_datetime("2026-03-14", time_text="7:05 pm") == datetime(2026, 3, 14, 19, 5)
    assert parse_datetime("2026-03-14", default_time=time(12)) == datetime(2026, 3, 14, 12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", "date 'yesterday' is not a date like 2026-03-14, 14.03.2026 or 03/14/2026"),
        ("2026-02-30", "date '2026-02-30' does not exist"),
        (
            "14 Foo 2026",
            "date '14 Foo 2026' is not a date like 2026-03-14, 14.03.2026 or 03/14/2026",
        ),
        ("2026-03-14 25:00", "start time '25:00' is not a time of day like 07:30 or 7:30 PM"),
    ],
)
def test_unreadable_dates_say_why(text, message):
    with pytest.raises(CellError) as unreadable:
        parse_datetime(text)
    assert str(unreadable.value) == message


def test_time_of_day_with_am_and_pm():
    assert parse_time_of_day("12:15 a.m.") == time(0, 15)
    assert parse_time_of_day("12:15 PM") == time(12, 15)
    with pytest.raises(CellError):
        parse_time_of_day("13:00 PM")


def test_slash_order_from_a_day_above_12():
    assert slash_order([(2, "03/04/2026"), (3, "14/04/2026, 07:00")], "log.csv") is True
    assert slash_order([(2, "03/04/2026"), (3, "04/14/2026")], "log.csv") is False
    assert slash_order([(2, "05/05/2026"), (3, "2026-03-14")], "log.csv") is None


def test_undecided_slash_dates_are_refused_unless_the_format_decides():
    dates = [(2, "03/04/2026")]
    with pytest.raises(CorruptFile) as refused:
        slash_order(dates, "log.csv")
    assert str(refused.value) == (
        "log.csv: the date '03/04/2026' in row 2 could be 3 April or March 4, and no date in "
        "the file has a day above 12 to tell which; write dates as YYYY-MM-DD"
    )
    assert slash_order(dates, "activities.csv", default=True) is True


def test_slash_dates_in_both_orders_are_refused():
    with pytest.raises(CorruptFile) as refused:
        slash_order([(2, "14/03/2026"), (3, "03/15/2026")], "log.csv", default=True)
    assert str(refused.value) == (
        "log.csv: dates are day-first in row 2 ('14/03/2026') but month-first in row 3 "
        "('03/15/2026'); use one order, or write dates as YYYY-MM-DD"
    )


# --- local time ---------------------------------------------------------------------------------


def test_wall_clock_in_a_zone_to_utc_with_its_offset():
    # 07:30 in New York on 14 March 2026 is daylight time (UTC-4)
    start = datetime(2026, 3, 14, 7, 30)
    assert to_utc(start, "America/New_York") == (datetime(2026, 3, 14, 11, 30, tzinfo=UTC), -14400)
    assert to_utc(start, None) == (datetime(2026, 3, 14, 7, 30, tzinfo=UTC), None)
    aware = datetime(2026, 3, 14, 7, 30, tzinfo=timezone(timedelta(hours=1)))
    assert to_utc(aware, "America/New_York") == (datetime(2026, 3, 14, 6, 30, tzinfo=UTC), 3600)


def test_a_start_at_the_end_of_the_calendar_is_a_cell_error():
    with pytest.raises(CellError, match="end of the calendar"):
        to_utc(datetime(1, 1, 1, 0, 30), "Pacific/Auckland")


def test_unknown_zone_is_the_profiles_error():
    assert checked_zone("Europe/Copenhagen") == "Europe/Copenhagen"
    assert checked_zone(None) is None
    assert checked_zone("") is None
    with pytest.raises(ConfigError) as unknown:
        checked_zone("Mars/Olympus")
    assert str(unknown.value) == "unknown time zone 'Mars/Olympus'"


def test_two_digit_years_are_not_in_the_future():
    this_year = date.today().year % 100
    assert parse_datetime(f"14.03.{this_year:02d}").year == 2000 + this_year
    assert parse_datetime("14.03.98").year == 1998
