"""The team page over a generated coach database (``scripts/generate_coach_db.py``): ranked as
planted, each athlete's own thresholds applied, every report linked, the database untouched.

The database is the script's, made smaller for speed (12 athletes, 20 weeks): the seven planted
athletes and five calm ones.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.errors import ConfigError, InvalidInput, StridewiseError
from stridewise.profile import Profile, load_config
from stridewise.store import Store
from stridewise.team import AthleteJob, build_team, evaluate_athlete, team_week

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import generate_coach_db as coach  # noqa: E402

ATHLETES = 12
WEEKS = 20


@pytest.fixture(scope="module")
def coach_db(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("coach")
    athletes = coach.coach_athletes(ATHLETES)
    with Store(folder / "coach.db") as store:
        coach.fill_coach_store(store, athletes, weeks=WEEKS)
    config = folder / "config.toml"
    config.write_text(coach.coach_config(athletes), encoding="utf-8")
    return folder / "coach.db", config


@pytest.fixture(scope="module")
def team(coach_db, tmp_path_factory):
    """The team page of 2026-W47 with every athlete's report written beside it."""
    db, config = coach_db
    out = tmp_path_factory.mktemp("team")
    page = build_team(db, load_config(config), coach.TEAM_WEEK, coach.TODAY, out)
    return page, out


def by_name(page) -> dict:
    return {row.athlete: row for row in page.rows}


def test_the_generated_database_holds_every_athlete_with_a_section_each(coach_db):
    db, config = coach_db
    with Store(db, readonly=True) as store:
        names = [summary.athlete for summary in store.athletes()]
    assert sorted(names) == sorted(a.name for a in coach.coach_athletes(ATHLETES))
    assert load_config(config).names == tuple(sorted(names))


def test_the_team_page_ranks_the_athletes_as_planted(team):
    page, _ = team
    order = [row.athlete for row in page.rows]
    # two warnings (by name: neither logged pain), three cautions, then pain, then the calm
    assert order[:6] == ["ana", "ben", "chen", "fay", "gus", "dara"]
    top = {row.athlete: (row.top_flag.rule, row.top_flag.severity) for row in page.rows[:5]}
    assert top == {
        "ana": ("session_spike", "warning"),
        "ben": ("shoe_mileage", "warning"),
        "chen": ("rest_days", "caution"),
        "fay": ("session_spike", "caution"),  # her own warning_pct = 300
        "gus": ("shoe_mileage", "caution"),
    }
    rows = by_name(page)
    assert (rows["dara"].pain.pain_days, rows["dara"].pain.max_score) == (3, 6)
    calm = [row for row in page.rows[6:]]
    assert {row.athlete for row in calm} == {"eli", "hana", "ivo", "jo", "kai", "lena"}
    for row in calm:
        assert row.severity in (None, "info"), (row.athlete, row.flags)
        assert row.worn_shoes == ()
    assert [row.athlete for row in calm] == sorted(row.athlete for row in calm)


def test_an_athlete_without_activities_this_week_is_listed_as_such(team):
    page, _ = team
    eli = by_name(page)["eli"]
    assert not eli.has_data and eli.activities == 0 and eli.totals.runs == 0
    assert eli.last_activity == date(2026, 11, 1)  # the Sunday of 2026-W44
    assert eli.report_path is not None


def test_the_worn_pairs_and_the_rules_not_evaluated_come_from_the_reports(team):
    page, out = team
    rows = by_name(page)
    (ben_shoe,) = rows["ben"].worn_shoes
    assert ben_shoe.status == "past limit" and ben_shoe.limit_km == 600.0
    (gus_shoe,) = rows["gus"].worn_shoes
    assert gus_shoe.status == "near limit" and 540.0 <= gus_shoe.distance_km < 600.0
    report = json.loads((out / rows["ben"].report_path).with_name("report.json").read_text())
    assert [s["name"] for s in report["shoes"] if s["status"] == "past limit"] == [ben_shoe.name]
    assert rows["ana"].rules_not_evaluated == tuple(
        dict.fromkeys(
            item["rule"]
            for item in json.loads(
                (out / rows["ana"].report_path).with_name("report.json").read_text()
            )["not_evaluated"]
        )
    )


def test_each_row_links_to_that_athletes_own_weekly_report(team):
    page, out = team
    for row in page.rows:
        index = out / row.report_path
        assert index.is_file(), row.athlete
        report = json.loads(index.with_name("report.json").read_text(encoding="utf-8"))
        assert (report["athlete"], report["week"]) == (row.athlete, "2026-W47")
        assert report["totals"]["runs"] == row.totals.runs
        flags = sorted((f["rule"], f["severity"]) for f in report["flags"])
        assert flags == sorted((f.rule, f.severity) for f in row.flags)
    folders = {Path(row.report_path).parent.name for row in page.rows}
    assert len(folders) == len(page.rows)


def test_the_imperial_athletes_report_reads_miles(team):
    page, out = team
    jo = by_name(page)["jo"]
    assert jo.imperial and jo.own_profile[-1] == "units" or "units" in jo.own_profile
    report = json.loads((out / jo.report_path).with_name("report.json").read_text())
    assert report["units"]["shown"] == "mi"


def rows_with(db: Path, config: Path, text: str, tmp_path: Path) -> dict:
    """The rows (no reports written) with the config changed to ``text``."""
    changed = tmp_path / "changed.toml"
    changed.write_text(text, encoding="utf-8")
    return by_name(build_team(db, load_config(changed), coach.TEAM_WEEK, coach.TODAY))


def unlinked(rows: dict) -> dict:
    """Rows as ``rows_with`` builds them: without the link to a written report."""
    return {name: replace(row, report_path=None) for name, row in rows.items()}


def test_an_override_for_one_athlete_changes_only_that_athletes_row(team, coach_db, tmp_path):
    db, config = coach_db
    before = unlinked(by_name(team[0]))
    # hana wants four rest days a week: her four-run weeks now fall short
    text = config.read_text(encoding="utf-8") + (
        "\n[athletes.hana.rules.rest_days]\nmin_rest_days = 4\n"
    )
    after = rows_with(db, config, text, tmp_path)
    assert sorted(name for name in before if before[name] != after[name]) == ["hana"]
    assert before["hana"].severity in (None, "info")  # at most the strength_mobility hint
    assert (after["hana"].top_flag.rule, after["hana"].top_flag.severity) == (
        "rest_days",
        "caution",
    )
    assert after["hana"].own_rules == (("rest_days", "min_rest_days", 4),)


def test_removing_fays_own_threshold_changes_only_her_row(team, coach_db, tmp_path):
    db, config = coach_db
    with_override = unlinked(by_name(team[0]))
    text = config.read_text(encoding="utf-8").replace(
        "[athletes.fay.rules.session_spike]\nwarning_pct = 300\n", ""
    )
    assert "warning_pct = 300" not in text
    without = rows_with(db, config, text, tmp_path)
    assert sorted(n for n in with_override if with_override[n] != without[n]) == ["fay"]
    assert without["fay"].severity == "warning" and with_override["fay"].severity == "caution"
    assert with_override["fay"].own_rules == (("session_spike", "warning_pct", 300),)


def test_a_wrong_setting_of_any_athlete_stops_before_any_work(coach_db, tmp_path):
    db, config = coach_db
    bad = tmp_path / "bad.toml"
    bad.write_text(
        config.read_text(encoding="utf-8") + "\n[athletes.kai.rules.monotony]\nmonotony = inf\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        build_team(db, load_config(bad), coach.TEAM_WEEK, coach.TODAY)
    assert str(info.value) == (
        f"{bad}: athletes.kai.rules.monotony.monotony must be a number of 0 or more, not inf"
    )


def job(db: Path, athlete: str, profile=None) -> AthleteJob:
    return AthleteJob(
        str(db), athlete, profile or Profile(), coach.TEAM_MONDAY, coach.TODAY, out_dir=None
    )


def test_an_athlete_with_nothing_imported_gets_a_row(coach_db):
    db, _ = coach_db
    with Store(db, readonly=True) as store:
        newcomer = evaluate_athlete(job(db, "newcomer"), store)
    assert newcomer.error is None and not newcomer.has_data
    assert newcomer.last_activity is None and newcomer.flags == ()
    assert newcomer.totals.runs == 0


def test_an_athlete_whose_analysis_fails_gets_a_row_saying_why(coach_db, monkeypatch):
    from stridewise.history import History

    db, config = coach_db

    def failing(*args, **kwargs):
        raise StridewiseError("activity 12: samples damaged")

    monkeypatch.setattr(History, "from_store", failing)
    profile = load_config(config).profile("kai")
    with Store(db, readonly=True) as store:
        row = evaluate_athlete(job(db, "kai", profile), store)
    assert (row.athlete, row.error, row.flags) == ("kai", "activity 12: samples damaged", ())
    assert row.own_profile == profile.overrides


def test_the_team_week(tmp_path):
    wednesday = date(2026, 11, 25)
    assert team_week(None, wednesday) == date(2026, 11, 16)  # the last complete week
    assert team_week(None, date(2026, 11, 23)) == date(2026, 11, 16)  # a Monday
    assert team_week("2026-W48", wednesday) == date(2026, 11, 23)  # this week, not over
    assert team_week(date(2026, 11, 19), wednesday) == date(2026, 11, 16)
    with pytest.raises(InvalidInput) as info:
        team_week("2026-W49", wednesday)
    assert str(info.value) == "week 2026-W49 has not started yet (today is 2026-11-25)"


# -- the command -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def planted_db(tmp_path_factory) -> tuple[Path, Path]:
    """The seven planted athletes over ten weeks: small enough to write every report again."""
    folder = tmp_path_factory.mktemp("planted")
    athletes = coach.coach_athletes(7)
    with Store(folder / "coach.db") as store:
        coach.fill_coach_store(store, athletes, weeks=10)
    config = folder / "config.toml"
    config.write_text(coach.coach_config(athletes), encoding="utf-8")
    return folder / "coach.db", config


def test_the_command_writes_the_page_and_leaves_the_database_untouched(planted_db, tmp_path):
    db, config = planted_db
    before = db.read_bytes()
    out = tmp_path / "w47"
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "--config", str(config), "team", "--week", "2026-W47", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "2026-W47 (Mon 16 Nov 2026 – Sun 22 Nov 2026): 7 athletes; "
        "2 warning · 3 caution · 1 info · 1 no activities.",
        f"Team page: {out / 'index.html'}",
    ]
    assert db.read_bytes() == before
    assert {p.name for p in out.iterdir()} == {"index.html", "team.md", "team.json", "athletes"}
    document = json.loads(
        (out / "team.json").read_text(encoding="utf-8"),
        parse_constant=lambda name: pytest.fail(f"{name} in team.json"),
    )
    assert [entry["athlete"] for entry in document["athletes"]] == [
        "ana",
        "ben",
        "chen",
        "fay",
        "gus",
        "dara",
        "eli",
    ]
    assert document["counts"] == {"warning": 2, "caution": 3, "info": 1, "no activities": 1}
    for entry in document["athletes"]:
        assert (out / entry["report"]).is_file()


def test_the_command_on_an_empty_database(tmp_path):
    Store(tmp_path / "empty.db").close()
    out = tmp_path / "team"
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "empty.db"), "team", "--week", "2026-W47", "--out", str(out)]
    )
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        "2026-W47: no athletes in this database yet. Import for one with: "
        "stridewise --athlete NAME import PATH"
    )
    assert json.loads((out / "team.json").read_text())["athletes"] == []


def test_the_command_refuses_a_week_that_has_not_started(coach_db, tmp_path):
    db, _ = coach_db
    result = CliRunner().invoke(cli, ["--db", str(db), "team", "--week", "2099-W01"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: week 2099-W01 has not started yet (today is ")


def test_the_command_never_creates_a_database(tmp_path):
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "nope.db"), "team", "--out", str(tmp_path / "t")]
    )
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert not (tmp_path / "nope.db").exists()


def test_rows_survive_the_worker_boundary(team):
    """Rows come back from worker processes by pickling: equal to themselves once more."""
    import pickle

    page, _ = team
    assert pickle.loads(pickle.dumps(page.rows)) == page.rows
    assert replace(page.rows[0]) == page.rows[0]


def test_each_athlete_reads_the_per_run_metrics_cached_at_import(tmp_path, monkeypatch):
    import stridewise.history

    athletes = coach.coach_athletes(7)[:2]
    with Store(tmp_path / "coach.db") as store:
        coach.fill_coach_store(store, athletes, weeks=6, records_weeks=1)  # caches them

    def not_again(*args, **kwargs):
        raise AssertionError("per-run metrics computed again")

    monkeypatch.setattr(stridewise.history, "summarize_run", not_again)
    with Store(tmp_path / "coach.db", readonly=True) as store:
        rows = [evaluate_athlete(job(tmp_path / "coach.db", a.name), store) for a in athletes]
    assert [row.error for row in rows] == [None, None]
    assert all(row.totals.runs > 0 for row in rows)
