"""One athlete's stored records as plain tables: what an export writes and a cohort reads.

``AthleteRecords`` is the store's content for one athlete before anything is derived from it —
the activities with their per-run metric entries, the pairs of shoes and explicit assignments,
daily wellness, the pain journal and the profile. It is read from a store
(``records_from_store``), turned into the export's tables (``tables_from_records``) and back
(``records_from_tables``, which Parquet files and Spark groups both go through), and becomes a
``History`` by ``history_of`` — ``History.from_frames`` with exactly the arguments
``History.from_store`` gives it, so the rules see the same history whichever way it came.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stridewise.cohort.schema import TABLES
from stridewise.errors import ConfigError, InvalidInput
from stridewise.history import History, run_metric_entries
from stridewise.localtime import local_starts
from stridewise.metrics.run import METRICS_VERSION, RUN_METRIC_FIELDS
from stridewise.model import shoe_name_key
from stridewise.pain import journal_frame
from stridewise.profile import Profile, profile_from_dict, with_facts
from stridewise.shoes import ShoeBook
from stridewise.store import Store, StoredShoe

#: Columns of the store's activities frame that are derived, not stored: recomputed on reading.
_DERIVED = ("local_start", "local_date", "duration_s")


@dataclass(frozen=True)
class AthleteRecords:
    """One athlete's records (see the module text).

    - ``activities``: the store's activities frame without its local-time columns (``id``,
      ``athlete``, ``start_utc``, ``utc_offset_s``, the summary columns, ``n_samples``);
    - ``metric_entries``: per-run metric entries by activity id, as the store keeps them;
    - ``shoes``/``assignments``: the pairs and the explicit activity id -> shoe id assignments;
    - ``wellness``: date (ISO text), resting_hr_bpm, hrv_sdnn_ms, sleep_s;
    - ``pain``: (date, score, note) per logged day;
    - ``profile``: the profile exported with the athlete (None: none was);
    - ``facts``: what exports said about the athlete (``Store.athlete_facts``: key -> (value,
      source)), filled into whichever profile the athlete is evaluated with, as the store's
      history does.
    """

    athlete: str
    activities: pd.DataFrame
    metric_entries: Mapping[int, dict] = field(default_factory=dict)
    shoes: tuple[StoredShoe, ...] = ()
    assignments: Mapping[int, int] = field(default_factory=dict)
    wellness: pd.DataFrame = field(default_factory=pd.DataFrame)
    pain: tuple[tuple[date, int, str | None], ...] = ()
    profile: Profile | None = None
    facts: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def runs(self) -> int:
        return int(self.activities["sport"].eq("running").sum()) if len(self.activities) else 0


def records_from_store(store: Store, athlete: str, profile: Profile) -> AthleteRecords:
    """An athlete's records read from a store (never written). Per-run metrics the store lacks
    in this version are computed from the records in memory, as ``History.from_store`` does."""
    frame = store.activities_frame(athlete, default_timezone=profile.timezone)
    entries, _ = run_metric_entries(store, athlete, frame)
    return AthleteRecords(
        athlete=athlete,
        activities=frame.drop(columns=list(_DERIVED)),
        metric_entries=entries,
        shoes=tuple(store.shoes(athlete)),
        assignments=store.shoe_assignments(athlete),
        wellness=store.wellness_frame(athlete),
        pain=tuple(store.pain_entries(athlete)),
        profile=profile,
        facts=store.athlete_facts(athlete),
    )


def history_of(records: AthleteRecords, profile: Profile) -> History:
    """The athlete's history, as ``History.from_store`` builds it from the same records."""
    profile, sources = with_facts(profile, dict(records.facts))
    return History.from_frames(
        records.activities,
        metric_entries=records.metric_entries,
        shoe_book=ShoeBook(records.shoes, records.assignments),
        profile=profile,
        wellness=records.wellness,
        pain=journal_frame(list(records.pain)),
        profile_sources=sources,
    )


# -- records to the export's tables ---------------------------------------------------------------
def tables_from_records(records: AthleteRecords) -> dict[str, pd.DataFrame]:
    """The export's tables of one athlete (``schema.TABLES`` columns, samples aside)."""
    return {
        "athletes": _athlete_table(records.profile, records.facts),
        "activities": _activity_table(records),
        "shoes": pd.DataFrame(
            {
                "shoe_id": [s.id for s in records.shoes],
                "name": [s.name for s in records.shoes],
                "initial_km": [s.initial_km for s in records.shoes],
                "limit_km": [s.limit_km for s in records.shoes],
                "since": [s.since for s in records.shoes],
                "retired_on": [s.retired_on for s in records.shoes],
                "is_default": [s.is_default for s in records.shoes],
                "origin": [s.origin for s in records.shoes],
            }
        ),
        "wellness": pd.DataFrame(
            {
                "date": [date.fromisoformat(str(d)) for d in records.wellness.get("date", [])],
                **{
                    column: records.wellness[column].astype("float64").to_numpy()
                    for column in ("resting_hr_bpm", "hrv_sdnn_ms", "sleep_s")
                    if column in records.wellness
                },
            }
        ),
        "pain": pd.DataFrame(
            {
                "date": [p[0] for p in records.pain],
                "score": [p[1] for p in records.pain],
                "note": [p[2] for p in records.pain],
            }
        ),
    }


def _activity_table(records: AthleteRecords) -> pd.DataFrame:
    frame = records.activities.rename(columns={"id": "activity_id"}).drop(columns=["athlete"])
    start = pd.to_datetime(frame["start_utc"], utc=True, format="ISO8601")
    offsets = pd.to_numeric(frame["utc_offset_s"], errors="coerce")
    profile = records.profile or Profile()
    frame["local_start"] = local_starts(start, offsets, profile.timezone)
    frame["local_date"] = frame["local_start"].dt.date
    frame["start_utc"] = start
    frame["assigned_shoe_id"] = [records.assignments.get(int(i)) for i in frame["activity_id"]]
    entries = [records.metric_entries.get(int(i)) for i in frame["activity_id"]]
    frame["metrics_version"] = [METRICS_VERSION if e is not None else None for e in entries]
    for name in RUN_METRIC_FIELDS:
        frame[f"metric_{name}"] = [_number(e.get(name)) if e else None for e in entries]
    frame["metric_hr_hist"] = [
        json.dumps(e["hr_hist"]) if e and e.get("hr_hist") is not None else None for e in entries
    ]
    frame["metric_errors"] = [
        json.dumps(e["errors"], sort_keys=True) if e and e.get("errors") else None for e in entries
    ]
    return frame[[c.name for c in TABLES["activities"]]]


def _athlete_table(
    profile: Profile | None, facts: Mapping[str, tuple[str, str]]
) -> pd.DataFrame:
    facts_json = json.dumps({k: list(v) for k, v in facts.items()}, sort_keys=True)
    facts_json = facts_json if facts else None
    if profile is None:
        table = pd.DataFrame({c.name: [None] for c in TABLES["athletes"]})
        table["facts_json"] = [facts_json]
        return table
    return pd.DataFrame(
        {
            "sex": [profile.sex],
            "max_hr": [profile.max_hr],
            "resting_hr": [profile.resting_hr],
            "threshold_pace_s_per_km": [profile.threshold_pace_s_per_km],
            "timezone": [profile.timezone],
            "units": [profile.units],
            "birth_year": [profile.birth_year],
            "rules_json": [json.dumps(profile.rules, sort_keys=True) if profile.rules else None],
            "facts_json": [facts_json],
        }
    )


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


# -- the export's tables back to records ---------------------------------------------------
def records_from_tables(athlete: str, tables: Mapping[str, pd.DataFrame]) -> AthleteRecords:
    """An athlete's records from the export's tables (read from Parquet, or one Spark group).

    Rows may come in any order (a Spark group keeps none): each table is put in the store's
    order. Raises ``InvalidInput`` naming what is wrong with a table.
    """
    activities = tables.get("activities")
    if activities is None:
        raise InvalidInput("no activities table")
    activities = activities.sort_values(["start_utc", "activity_id"], kind="stable")
    activities = activities.reset_index(drop=True)
    versions = pd.to_numeric(activities["metrics_version"], errors="coerce")
    foreign = sorted({int(v) for v in versions.dropna()} - {METRICS_VERSION})
    if foreign:
        raise InvalidInput(
            f"per-run metrics of version {foreign[0]}, this stridewise computes version "
            f"{METRICS_VERSION}; export the store again with this stridewise"
        )
    return AthleteRecords(
        athlete=athlete,
        activities=_store_activities(athlete, activities),
        metric_entries=_metric_entries(activities, versions),
        shoes=_shoes(tables.get("shoes")),
        assignments={
            int(a): int(s)
            for a, s in zip(activities["activity_id"], activities["assigned_shoe_id"], strict=True)
            if _present(s)
        },
        wellness=_wellness(tables.get("wellness")),
        pain=_pain(tables.get("pain")),
        profile=_profile(athlete, tables.get("athletes")),
        facts=_facts(athlete, tables.get("athletes")),
    )


def _store_activities(athlete: str, table: pd.DataFrame) -> pd.DataFrame:
    """The table as the store's activities frame (before local time) would hold it."""
    summary = [c.name for c in TABLES["activities"] if c.name not in ("local_start", "local_date")]
    summary = [c for c in summary if c != "assigned_shoe_id" and not c.startswith("metric")]
    frame = table[summary].rename(columns={"activity_id": "id"})
    frame.insert(1, "athlete", athlete)
    frame["id"] = frame["id"].astype("int64")
    frame["start_utc"] = pd.to_datetime(frame["start_utc"], utc=True)
    return frame


def _metric_entries(table: pd.DataFrame, versions: pd.Series) -> dict[int, dict]:
    entries: dict[int, dict] = {}
    columns = {name: table[f"metric_{name}"].to_numpy() for name in RUN_METRIC_FIELDS}
    histograms = table["metric_hr_hist"].to_numpy()
    errors = table["metric_errors"].to_numpy()
    for row, activity_id in enumerate(table["activity_id"]):
        if not _present(versions.iloc[row]):
            continue
        entry: dict[str, Any] = {
            name: None if not _present(values[row]) else float(values[row])
            for name, values in columns.items()
        }
        entry["hr_hist"] = json.loads(histograms[row]) if _present(histograms[row]) else None
        if _present(errors[row]):
            entry["errors"] = json.loads(errors[row])
        entries[int(activity_id)] = entry
    return entries


def _shoes(table: pd.DataFrame | None) -> tuple[StoredShoe, ...]:
    if table is None or table.empty:
        return ()
    shoes = [
        StoredShoe(
            id=int(row["shoe_id"]),
            name=str(row["name"]),
            initial_km=float(row["initial_km"]) if _present(row["initial_km"]) else 0.0,
            limit_km=float(row["limit_km"]) if _present(row["limit_km"]) else None,
            since=_day(row["since"]),
            retired_on=_day(row["retired_on"]),
            is_default=bool(row["is_default"]) if _present(row["is_default"]) else False,
            origin=str(row["origin"]) if _present(row["origin"]) else "user",
        )
        for row in table.to_dict("records")
    ]
    return tuple(sorted(shoes, key=lambda s: shoe_name_key(s.name)))  # the store's order


def _wellness(table: pd.DataFrame | None) -> pd.DataFrame:
    columns = ["date", "resting_hr_bpm", "hrv_sdnn_ms", "sleep_s"]
    if table is None or table.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    frame = table.reindex(columns=columns).copy()
    frame["date"] = [_day(d).isoformat() for d in frame["date"]]  # type: ignore[union-attr]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _pain(table: pd.DataFrame | None) -> tuple[tuple[date, int, str | None], ...]:
    if table is None or table.empty:
        return ()
    entries = [
        (_day(row["date"]), int(row["score"]), row["note"] if _present(row["note"]) else None)
        for row in table.to_dict("records")
    ]
    return tuple(sorted(entries, key=lambda entry: entry[0]))  # type: ignore[arg-type, return-value]


def _profile(athlete: str, table: pd.DataFrame | None) -> Profile | None:
    """The exported profile as a profile file would give it (checked the same way), or None."""
    if table is None or table.empty:
        return None
    row = table.iloc[0]
    values = {key: row.get(key) for key in ("sex", "timezone", "units")}
    athlete_table: dict[str, Any] = {k: str(v) for k, v in values.items() if _present(v)}
    for key in ("max_hr", "resting_hr"):
        if _present(row.get(key)):
            athlete_table[key] = float(row[key])
    if _present(row.get("birth_year")):
        athlete_table["birth_year"] = int(row["birth_year"])
    pace = row.get("threshold_pace_s_per_km")
    if _present(pace):
        minutes, seconds = divmod(round(float(pace)), 60)
        athlete_table["threshold_pace"] = f"{minutes}:{seconds:02d}"
    document: dict[str, Any] = {"athlete": athlete_table}
    rules = row.get("rules_json")
    if _present(rules):
        try:
            document["rules"] = json.loads(rules)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"profile of athlete {athlete}: rules_json is not JSON") from exc
    return profile_from_dict(document, Path(f"profile of athlete {athlete}"))


def _facts(athlete: str, table: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    """What exports said about the athlete, as ``Store.athlete_facts`` gives it."""
    if table is None or table.empty or not _present(table.iloc[0].get("facts_json")):
        return {}
    try:
        document = json.loads(table.iloc[0]["facts_json"])
        return {str(key): (str(value), str(source)) for key, (value, source) in document.items()}
    except (json.JSONDecodeError, AttributeError, TypeError, ValueError) as exc:
        raise InvalidInput(
            f"athletes table of athlete {athlete}: facts_json is not a JSON object of "
            "[value, source] pairs"
        ) from exc


def _present(value: Any) -> bool:
    """Whether a cell holds a value (None, NaN and NaT are missing, whatever the source)."""
    if value is None or value is pd.NaT:
        return False
    if isinstance(value, float | np.floating):
        return not math.isnan(value)
    return True


def _day(value: Any) -> date | None:
    """A date from whatever a source gave: a date, a timestamp (Spark), ISO text."""
    if not _present(value):
        return None
    if isinstance(value, datetime):  # pd.Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()
