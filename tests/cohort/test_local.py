"""The cohort command with the local engine: the findings of flags for every athlete, bad input
named in one line each, a folder of stores converted on the fly."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.cohort import run_cohort
from stridewise.cohort.output import iso_week
from stridewise.errors import InvalidInput

from .cohort_data import cohort_findings, export_with_profiles, flags_json, generator, small_cohort

#: A session spike, a comeback, a move to trail, a calm athlete, and the cyclist (no runs).
INDEXES = [1, 3, 5, 8, 199]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cohort")
    athletes = small_cohort(folder, INDEXES)
    export_with_profiles(folder, folder / "parquet")
    names = [a.name for a in athletes]
    reference = {
        name: flags_json(folder / "cohort.db", folder / "profiles", name) for name in names
    }
    return folder, names, reference


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_local_engine_finds_what_flags_finds_for_every_athlete(cohort, tmp_path):
    folder, names, reference = cohort
    result = invoke("cohort", str(folder / "parquet"), "--out", str(tmp_path), "--jobs", "2")
    assert result.exit_code == 0, result.output
    found = cohort_findings(tmp_path)
    for name in names:
        assert found.get(name, []) == reference[name], name
    assert sum(len(f) for f in reference.values()) > 50  # the planted patterns were found
    assert result.stderr == "athlete a199: no runs; nothing to evaluate\n"
    years = pd.read_parquet(tmp_path / "athletes.parquet")["years"].sum()
    assert result.stdout.startswith(
        f"Evaluated 4 of 5 athletes (local engine): {sum(map(len, reference.values()))} findings "
        f"over {years:.1f} athlete-years in "
    )


def test_the_csv_holds_the_same_findings_as_the_parquet(cohort, tmp_path):
    folder, *_ = cohort
    run_cohort(folder / "parquet", tmp_path, jobs=1)
    table = pd.read_parquet(tmp_path / "findings.parquet")
    text = pd.read_csv(tmp_path / "findings.csv", keep_default_na=False, na_values=[""])
    assert list(text.columns) == list(table.columns)
    assert list(text["message"]) == list(table["message"])
    assert list(text["date"]) == [d.isoformat() for d in table["date"]]


def test_the_summary_counts_athletes_per_rule_and_severity_each_week(cohort, tmp_path):
    folder, *_ = cohort
    run_cohort(folder / "parquet", tmp_path, jobs=1)
    findings = pd.read_parquet(tmp_path / "findings.parquet")
    summary = pd.read_parquet(tmp_path / "summary.parquet")
    findings["week"] = [iso_week(d) for d in findings["date"]]
    counted = findings.groupby(["week", "rule", "severity"])["athlete"].nunique()
    cells = summary.set_index(["week", "rule", "severity"])["athletes"]
    assert cells.to_dict() == counted.to_dict()
    assert summary["athletes"].max() >= 2  # several athletes flagged in one week somewhere


def test_bad_input_is_named_in_one_line_each_and_the_others_are_evaluated(cohort, tmp_path):
    folder, names, reference = cohort
    broken = tmp_path / "broken"
    shutil.copytree(folder / "parquet", broken)
    # a partition written by a stridewise of another export schema version
    path = broken / "activities" / "athlete=a003" / "part-0.parquet"
    table = pq.read_table(path)
    pq.write_table(table.replace_schema_metadata({b"stridewise.schema_version": b"99"}), path)
    # a damaged file: the second half of a wellness file gone
    path = broken / "wellness" / "athlete=a005" / "part-0.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = invoke("cohort", str(broken), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "athlete a003: activities/athlete=a003/part-0.parquet has schema version 99, this "
        "stridewise reads version 1; not evaluated",
        "athlete a005: wellness/athlete=a005/part-0.parquet is damaged or not a Parquet file "
        "(no Parquet footer); not evaluated",
        "athlete a199: no runs; nothing to evaluate",
    ]
    found = cohort_findings(tmp_path / "out")
    assert set(found) == {"a001", "a008"}
    assert found["a001"] == reference["a001"] and found["a008"] == reference["a008"]
    status = pd.read_csv(tmp_path / "out" / "athletes.csv")
    assert list(status["athlete"]) == ["a001", "a008", "a199"]
    assert list(status["status"]) == ["evaluated", "evaluated", "nothing to evaluate"]


def test_a_folder_of_stores_is_evaluated_with_the_profile_beside_each(cohort, tmp_path):
    folder, names, reference = cohort
    gen = generator()
    stores = tmp_path / "stores"
    stores.mkdir()
    for index in (1, 5):
        athlete = gen.build_athlete(index, 200, 26)
        (stores / f"{athlete.name}.toml").write_text(gen.toml_text(athlete.profile), "utf-8")
        athlete.name = "me"
        with gen.Store(stores / f"a{index:03d}.db") as store:
            gen.store_athlete(store, athlete, gen.LAST_DAY)
    (stores / "broken.db").write_bytes(b"not a database at all" * 100)
    before = {p.name: p.read_bytes() for p in stores.glob("*.db")}
    result = invoke("cohort", str(stores), "--out", str(tmp_path / "out"))
    assert {p.name: p.read_bytes() for p in stores.glob("*.db")} == before  # never written
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith("store broken.db: ")
    assert result.stderr.splitlines()[0].endswith("; not evaluated")
    found = cohort_findings(tmp_path / "out")
    assert set(found) == {"a001", "a005"}
    for name in found:  # what flags says on each athlete's own store (its own activity ids)
        own = invoke(
            "--db", str(stores / f"{name}.db"), "--config", str(stores / f"{name}.toml"),
            "flags", "--json",
        )  # fmt: skip
        assert found[name] == json.loads(own.stdout)
        assert len(found[name]) == len(reference[name])


def test_the_master_url_is_for_the_spark_engine_only(cohort, tmp_path):
    folder, *_ = cohort
    result = invoke(
        "cohort", str(folder / "parquet"), "--out", str(tmp_path), "--master", "local[2]"
    )
    assert result.exit_code == 2
    assert "--master applies to --engine spark only" in result.output


def test_the_output_folder_must_not_be_inside_the_cohort(cohort):
    folder, *_ = cohort
    with pytest.raises(InvalidInput) as error:
        run_cohort(folder / "parquet", folder / "parquet" / "flags")
    assert str(error.value) == (
        f"{folder / 'parquet' / 'flags'}: --out must not be inside the cohort folder "
        f"{folder / 'parquet'}"
    )


def test_a_folder_that_is_no_cohort_is_refused(tmp_path):
    (tmp_path / "in").mkdir()
    result = invoke("cohort", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'in'}: neither a Parquet export (activities/athlete=NAME/ folders) "
        "nor a folder of stridewise databases (*.db)\n"
    )


def _club_config(path, name: str):
    """A coach's config: a shared default and one athlete's own section."""
    path.write_text(
        '[athlete]\nmax_hr = 185\ntimezone = "Europe/Amsterdam"\n'
        f"[athletes.{name}]\nmax_hr = 200\n[athletes.{name}.rules.session_spike]\nenabled = false\n"
    )
    return path


def test_a_config_judges_each_athlete_by_their_own_section_as_flags_does(cohort, tmp_path):
    folder, names, _ = cohort
    config = _club_config(tmp_path / "club.toml", names[0])
    out = tmp_path / "out"
    result = invoke(
        "--config", str(config), "cohort", str(folder / "parquet"), "--out", str(out), "--jobs", "1"
    )
    assert result.exit_code == 0, result.output
    found = cohort_findings(out)
    for name in names[:-1]:
        reference = flags_json(folder / "cohort.db", folder / "profiles", name, config)
        assert found.get(name, []) == reference, name
    assert not any(f["rule"] == "session_spike" for f in found[names[0]])  # their section


def test_the_export_carries_each_athletes_own_profile(cohort, tmp_path):
    from stridewise.cohort.parquet import read_partition, scan_export

    folder, names, _ = cohort
    config = _club_config(tmp_path / "club.toml", names[0])
    out = tmp_path / "export"
    result = invoke("--db", str(folder / "cohort.db"), "--config", str(config), "export", str(out))
    assert result.exit_code == 0, result.output
    scan = scan_export(out)
    max_hr = {
        p.athlete: read_partition(out, p)["athletes"]["max_hr"].iloc[0] for p in scan.partitions
    }
    assert max_hr[names[0]] == 200 and max_hr[names[1]] == 185
