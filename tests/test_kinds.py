"""The kinds of sessions (``stridewise.kinds``): the tables of docs/KINDS.md and of the module's
docstring agree, and every name in them — as stored, and as each source writes it — gives the
kind of its row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stridewise import kinds
from stridewise.importers.activity_types import known_type, sport_of
from stridewise.importers.apple_health import sport_of as apple_sport_of
from stridewise.importers.garmin_export import garmin_sport
from stridewise.kinds import (
    CROSS,
    KINDS,
    MOBILITY,
    OTHER,
    RUN,
    SESSION_SPORTS,
    STRENGTH,
    kind_of,
    session_sport,
)
from stridewise.pipeline import read_activities

DOC = Path(__file__).resolve().parents[1] / "docs" / "KINDS.md"


def _tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of a text: rows of cells (header and rule lines left out)."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if current is None:
                current = []
                tables.append(current)
                continue  # the header
            if not set("".join(cells)) <= set("-: "):
                current.append(cells)
        else:
            current = None
    return tables


def _names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def _kind_rows(table: list[list[str]]) -> dict[str, list[list[str]]]:
    rows = {_names(row[0])[0]: [_names(cell) for cell in row[1:]] for row in table}
    assert list(rows) == list(KINDS)
    return rows


DOC_TABLES = _tables(DOC.read_text(encoding="utf-8"))
STORED = _kind_rows(DOC_TABLES[0])
SOURCES = _kind_rows(DOC_TABLES[1])


def test_the_module_docstring_holds_the_doc_table():
    docstring = (kinds.__doc__ or "").replace("``", "`")
    assert _tables(docstring) == [DOC_TABLES[0]]


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind, [names] in STORED.items() for name in names]
)
def test_every_stored_name_in_the_table_has_its_rows_kind(kind, name):
    sport, _, sub_sport = name.partition("/")
    assert kind_of(sport, sub_sport or None) == kind


def _source_cases(column: int) -> list[tuple[str, str]]:
    return [(kind, name) for kind, cells in SOURCES.items() for name in cells[column]]


@pytest.mark.parametrize(("kind", "key"), _source_cases(0))
def test_garmin_export_types(kind, key):
    sport, sub_sport, _ = garmin_sport(key)
    assert kind_of(sport, sub_sport) == kind


@pytest.mark.parametrize(("kind", "word"), _source_cases(1))
def test_strava_and_garmin_list_words(kind, word):
    sport, sub_sport, _, _ = sport_of(word)
    assert kind_of(sport, sub_sport) == kind


@pytest.mark.parametrize(("kind", "name"), _source_cases(2))
def test_apple_health_workout_types(kind, name):
    sport, sub_sport, _ = apple_sport_of(f"HKWorkoutActivityType{name}", {})
    assert kind_of(sport, sub_sport) == kind


def test_csv_log_and_activities_add_words(tmp_path):
    """Each word as a CSV log's sport (read through the pipeline), and as an ``activities add``
    SPORT where it is one."""
    cases = _source_cases(3)
    rows = "".join(f"2026-03-{day:02d},30:00,{word}\n" for day, (_, word) in enumerate(cases, 1))
    log = tmp_path / "log.csv"
    log.write_text("date,duration,sport\n" + rows, encoding="utf-8")
    read = [kind_of(a.sport, a.sub_sport) for a in read_activities(log)]
    assert read == [kind for kind, _ in cases]
    for kind, word in cases:
        named = session_sport(word)
        if word in SESSION_SPORTS:
            assert named is not None and named.kind == kind


def test_every_activities_add_sport_is_in_the_doc():
    assert set(SESSION_SPORTS) <= {name for cells in SOURCES.values() for name in cells[3]}


@pytest.mark.parametrize(
    ("sport", "sub_sport", "kind"),
    [
        ("running", None, RUN),
        ("running", "treadmill", RUN),
        ("fitness_equipment", "yoga", MOBILITY),  # the sub-sport decides first
        ("generic", "strength_training", STRENGTH),
        ("training", None, CROSS),  # a gym session that says no more
        ("Training", "Strength Training", STRENGTH),  # words as a person writes them
        ("tai-chi", None, MOBILITY),
        ("physio", None, OTHER),
        (None, None, OTHER),
        (float("nan"), float("nan"), OTHER),  # a text column with gaps, read by pandas
        ("71", "12", OTHER),  # enum numbers a newer FIT profile knows and fitparse does not
    ],
)
def test_kind_of_edge_cases(sport, sub_sport, kind):
    assert kind_of(sport, sub_sport) == kind


def test_list_words_known_by_name_are_never_other_by_accident():
    """Every word the lists' table registers names training of some kind: none falls to
    ``other`` (a sport missing from the kinds' sets)."""
    from stridewise.importers.activity_types import _TYPE_WORDS

    other = sorted(word for word, (s, sub, _) in _TYPE_WORDS.items() if kind_of(s, sub) == OTHER)
    assert other == []


def test_list_words_of_the_gym_name_their_sub_sport():
    assert known_type("Weight Training") == ("training", "strength_training", "unknown")
    assert known_type("Yoga") == ("training", "yoga", "unknown")
    assert known_type("Pilates") == ("training", "pilates", "unknown")
    assert known_type("Breathwork") == ("training", "breathing", "unknown")
    assert known_type("Stretching") == ("training", "flexibility_training", "unknown")
    assert known_type("HIIT") == ("training", "hiit", "unknown")
    assert known_type("Workout") == ("training", None, "unknown")
    assert known_type("Zumba") is None


def test_garmin_type_keys_lose_their_version_suffix():
    assert garmin_sport("rowing_v2") == ("rowing", None, "unknown")
    assert garmin_sport("cross_country_skiing_ws") == ("cross_country_skiing", None, "unknown")
    assert garmin_sport("resort_skiing_snowboarding_ws") == ("alpine_skiing", "resort", "unknown")
