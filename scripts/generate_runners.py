"""Generate the realistic-runner histories of the acceptance suite (issue 15).

The histories themselves live in tests/rules/realistic/runners.py (the suite imports them); this
script prints what each one holds, week by week, and with ``--out`` writes each history as the
files a watch would have produced: one FIT activity file per activity (1 Hz records where the
history has them, a session summary otherwise) and a config.toml with the runner's profile, so a
history can be imported and flagged with the command line:

    python scripts/generate_runners.py                          # print every history
    python scripts/generate_runners.py --only 'hot*' --out /tmp/runners
    stridewise --db /tmp/r.db import /tmp/runners/hot_climate_wrist_hr_runner
    stridewise --db /tmp/r.db --config /tmp/runners/hot_climate_wrist_hr_runner/config.toml flags

Deterministic: the same command writes byte-identical files every time.
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from fit_tool.data_message import DataMessage  # noqa: E402
from fit_tool.fit_file_builder import FitFileBuilder  # noqa: E402
from fit_tool.profile.messages.activity_message import ActivityMessage  # noqa: E402
from fit_tool.profile.messages.event_message import EventMessage  # noqa: E402
from fit_tool.profile.messages.file_id_message import FileIdMessage  # noqa: E402
from fit_tool.profile.messages.record_message import RecordMessage  # noqa: E402
from fit_tool.profile.messages.session_message import SessionMessage  # noqa: E402
from fit_tool.profile.profile_type import (  # noqa: E402
    Event,
    EventType,
    FileType,
    Manufacturer,
    Sport,
    SubSport,
)
from rules.realistic.runners import HISTORIES, RunnerHistory, local_day  # noqa: E402

from stridewise.model import Activity  # noqa: E402

FIT_EPOCH_UNIX_S = 631065600
SERIAL = 3_915_000_015
RECORD_COLUMNS = {
    "distance_m": "distance",
    "speed_mps": "enhanced_speed",
    "altitude_m": "enhanced_altitude",
    "heart_rate_bpm": "heart_rate",
    "temperature_c": "temperature",
}


# -- printing ------------------------------------------------------------------------------------
def describe(history: RunnerHistory) -> str:
    """What a history holds: its first docstring line, then one line per ISO week."""
    kind = "calm" if history.calm else "one planted risk"
    lines = [
        f"{history.name} ({kind}; asserted {history.since} to {history.until}, "
        f"{history.weeks} weeks; {len(history.activities)} activities)",
    ]
    marked = {id(activity): name for name, activity in history.marks.items()}
    rows = []
    for activity in history.activities:
        day = pd.Timestamp(local_day(activity))
        rows.append(
            {
                "week": day - pd.Timedelta(days=day.day_of_week),
                "day": day,
                "sport": activity.sport,
                "km": (activity.distance_m or 0.0) / 1000.0,
                "mark": marked.get(id(activity), ""),
            }
        )
    frame = pd.DataFrame(rows)
    for monday, week in frame.groupby("week"):
        runs = week[week["sport"] == "running"]
        other = week[week["sport"] != "running"]
        asserted = "*" if monday.date() >= history.since else " "
        text = (
            f"  {asserted} {monday:%G-W%V} {len(runs)} runs {runs['km'].sum():5.1f} km"
            f" (longest {runs['km'].max() if len(runs) else 0.0:4.1f})"
        )
        for sport, km in zip(other["sport"], other["km"], strict=True):
            text += f"; {sport} {km:.1f} km"
        for _, row in week[week["mark"] != ""].iterrows():
            text += f"; planted: {row['mark']} on {row['day']:%a %Y-%m-%d}"
        lines.append(text)
    return "\n".join(lines)


# -- FIT files -----------------------------------------------------------------------------------
def _ms(moment: datetime | pd.Timestamp) -> int:
    return int(round(moment.timestamp() * 1000))


class _Records:
    """Record messages holding only the fields in use (fit-tool's constructor builds all ~85,
    which makes an hour at 1 Hz take seconds)."""

    def __init__(self, names: Iterable[str]) -> None:
        wanted = set(names)
        self.field_types = [type(f) for f in RecordMessage().fields if f.name in wanted]

    def new(self) -> RecordMessage:
        message = RecordMessage.__new__(RecordMessage)
        DataMessage.__init__(
            message,
            name=RecordMessage.NAME,
            global_id=RecordMessage.ID,
            local_id=2,
            fields=[field_type(size=0, growable=True) for field_type in self.field_types],
        )
        message.growable = True
        return message


def fit_bytes(activity: Activity) -> bytes:
    """A FIT activity file of one activity: file id, timer events, records, session, activity."""
    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    start = activity.start_utc
    elapsed = float(activity.elapsed_s or 0.0)
    end_ms = _ms(start) + int(round(elapsed * 1000))
    file_id = FileIdMessage(local_id=0)
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.GARMIN.value
    file_id.product = 3113
    file_id.serial_number = SERIAL
    file_id.time_created = _ms(start)
    builder.add(file_id)
    builder.add(_timer_event(_ms(start), EventType.START))
    samples = activity.samples
    if not samples.empty:
        columns = [c for c in RECORD_COLUMNS if c in samples]
        names = [
            "timestamp",
            "cadence",
            "fractional_cadence",
            *(RECORD_COLUMNS[c] for c in columns),
        ]
        records = _Records(names)
        stamps = samples.index.as_unit("ms").asi8
        values = {c: samples[c].to_numpy() for c in columns}
        cadence = samples["cadence_spm"].to_numpy() if "cadence_spm" in samples else None
        for i, stamp in enumerate(stamps):
            message = records.new()
            message.timestamp = int(stamp)
            for column in columns:
                value = float(values[column][i])
                if column in ("heart_rate_bpm", "temperature_c"):
                    value = int(round(value))
                setattr(message, RECORD_COLUMNS[column], value)
            if cadence is not None:
                units = int(round(float(cadence[i]) / 2.0 * 128))  # strides/min in 1/128
                message.cadence, message.fractional_cadence = units // 128, (units % 128) / 128
            builder.add(message)
    builder.add(_timer_event(end_ms, EventType.STOP_ALL))
    builder.add(_session(activity, end_ms))
    closing = ActivityMessage(local_id=5)
    closing.timestamp = end_ms
    closing.total_timer_time = float(activity.timer_s or elapsed)
    closing.num_sessions = 1
    closing.local_timestamp = end_ms // 1000 - FIT_EPOCH_UNIX_S + int(activity.utc_offset_s or 0)
    builder.add(closing)
    return builder.build_bytes()


def _timer_event(timestamp_ms: int, kind: EventType) -> EventMessage:
    message = EventMessage(local_id=1)
    message.timestamp = timestamp_ms
    message.event = Event.TIMER
    message.event_type = kind
    message.event_group = 0
    return message


def _session(activity: Activity, end_ms: int) -> SessionMessage:
    session = SessionMessage(local_id=4)
    session.timestamp = end_ms
    session.start_time = _ms(activity.start_utc)
    session.sport = Sport.CYCLING if activity.sport == "cycling" else Sport.RUNNING
    session.sub_sport = SubSport.GENERIC
    session.total_elapsed_time = float(activity.elapsed_s or 0.0)
    session.total_timer_time = float(activity.timer_s or activity.elapsed_s or 0.0)
    session.total_distance = float(activity.distance_m or 0.0)
    if activity.avg_heart_rate_bpm is not None:
        session.avg_heart_rate = int(round(activity.avg_heart_rate_bpm))
    if activity.max_heart_rate_bpm is not None:
        session.max_heart_rate = int(round(activity.max_heart_rate_bpm))
    if activity.avg_cadence_spm is not None:
        session.avg_cadence = int(round(activity.avg_cadence_spm / 2.0))
    if activity.ascent_m is not None:
        session.total_ascent = int(round(activity.ascent_m))
    return session


def config_toml(history: RunnerHistory) -> str:
    """The runner's profile as the config file CLI.md describes."""
    profile = history.profile
    lines = ["[athlete]"]
    if profile.sex:
        lines.append(f'sex = "{profile.sex}"')
    if profile.max_hr:
        lines.append(f"max_hr = {profile.max_hr:g}")
    birth_year = getattr(profile, "birth_year", None)
    if birth_year:
        lines.append(f"birth_year = {birth_year}")
    return "\n".join(lines) + "\n"


def write(history: RunnerHistory, out: Path) -> int:
    """Write a history's FIT files and config.toml under ``out``/<name>; how many files."""
    folder = out / history.name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(config_toml(history), encoding="utf-8")
    for activity in history.activities:
        name = activity.source_name.rsplit("/", 1)[-1]
        (folder / name).write_bytes(fit_bytes(activity))
    return len(history.activities)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="history name pattern")
    parser.add_argument("--out", type=Path, help="write FIT files and config.toml here")
    args = parser.parse_args(argv)
    names = [
        name
        for name in HISTORIES
        if not args.only or any(fnmatch.fnmatch(name, pattern) for pattern in args.only)
    ]
    if not names:
        parser.error(f"no history matches {args.only}; known: {', '.join(HISTORIES)}")
    for name in names:
        history = HISTORIES[name]()
        print(describe(history))
        if args.out:
            count = write(history, args.out)
            print(f"  wrote {count} FIT files to {args.out / name}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
