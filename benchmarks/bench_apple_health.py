"""Benchmark: an Apple Health export of five years of an Apple Watch runner, about 1 GB of XML.

    python benchmarks/bench_apple_health.py [--days 1826] [--keep DIR]

Writes ``export.zip`` (``apple_health_export/export.xml`` streamed into the zip, never held in
memory, plus route GPX files for the last ``ROUTE_COUNT`` runs), then imports it in a child
process (``open_apple_health`` and every activity of ``activities()``, each dropped once built,
as the pipeline will save them one by one) and prints the time of each pass, records per second
and the child's peak resident memory (VmHWM).

What the export holds, by type and in time order within a type as HealthKit writes it (records
first, then workouts): heart rate every 5 minutes all day and every 5 s during runs, the watch's
and the phone's steps and distance every 15 minutes of the waking day and every 10 s during
runs, basal energy every 15 minutes, active energy every 20 s during runs, running speed, power,
ground contact time, vertical oscillation and stride length every 15 s during runs, a resting
heart rate a day, five HRV readings a day, a night's sleep in 14 intervals from the watch and
an InBed interval from the phone, and a run every other day (about 900 runs of 30-75 minutes).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "src"))

import generate_apple_export as gen  # noqa: E402

ZONE = ZoneInfo("Europe/Berlin")
FIRST_DAY = date(2021, 3, 1)
ROUTE_COUNT = 20  # route GPX files written (for the last runs); gpxpy reads each in ~0.3 s
WATCH = gen.WATCH
PHONE = gen.PHONE
WATCH_DEVICE = gen.WATCH_DEVICE
PHONE_DEVICE = gen.PHONE_DEVICE
RUN_TYPES = (
    ("RunningSpeed", "km/hr", lambda i: f"{11.5 + (i % 7) * 0.3:.2f}"),
    ("RunningPower", "W", lambda i: str(240 + i % 25)),
    ("RunningGroundContactTime", "ms", lambda i: str(235 + i % 15)),
    ("RunningVerticalOscillation", "cm", lambda i: f"{8.0 + (i % 9) * 0.1:.1f}"),
    ("RunningStrideLength", "m", lambda i: f"{1.15 + (i % 11) * 0.01:.2f}"),
)


class Clock:
    """Export date text for seconds of a local day, written with the day's offset."""

    def __init__(self, day: date) -> None:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=ZONE)
        offset = int(noon.utcoffset().total_seconds())
        sign = "+" if offset >= 0 else "-"
        self.suffix = f" {sign}{abs(offset) // 3600:02d}{abs(offset) % 3600 // 60:02d}"
        self.prefix = f"{day:%Y-%m-%d} "

    def at(self, second: int) -> str:
        second = min(second, 86399)
        hour, rest = divmod(second, 3600)
        return f"{self.prefix}{hour:02d}:{rest // 60:02d}:{rest % 60:02d}{self.suffix}"


def days(count: int) -> list[date]:
    return [FIRST_DAY + timedelta(days=n) for n in range(count)]


def run_of(day: date, index: int) -> tuple[int, int] | None:
    """(start, end) [s of the local day] of the day's run: every other day, 30-75 min."""
    if index % 2:
        return None
    start = 6 * 3600 + 1800 + (index * 137) % 5400
    return start, start + 1800 + (index * 311) % 2700


def record(
    kind: str,
    source: str,
    unit: str,
    start: str,
    end: str,
    value: str,
    device: str = "",
    children: str = "",
) -> str:
    device_attr = f' device="{device}"' if device else ""
    head = (
        f' <Record type="HKQuantityTypeIdentifier{kind}" sourceName="{source}" '
        f'sourceVersion="10.3"{device_attr} unit="{unit}" creationDate="{end}" '
        f'startDate="{start}" endDate="{end}" value="{value}"'
    )
    return f"{head}>\n{children} </Record>\n" if children else f"{head}/>\n"


def heart_rate(calendar: list[date]) -> Iterator[str]:
    motion = '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
    for index, day in enumerate(calendar):
        clock, run = Clock(day), run_of(day, index)
        chunk = []
        for second in range(0, 86400, 300):
            if run and run[0] <= second < run[1]:
                continue
            when = clock.at(second)
            chunk.append(
                record(
                    "HeartRate",
                    WATCH,
                    "count/min",
                    when,
                    when,
                    str(55 + (second // 300) % 40),
                    WATCH_DEVICE,
                    motion,
                )
            )
        if run:
            for second in range(run[0], run[1], 5):
                when = clock.at(second)
                chunk.append(
                    record(
                        "HeartRate",
                        WATCH,
                        "count/min",
                        when,
                        when,
                        str(140 + second % 30),
                        WATCH_DEVICE,
                    )
                )
        yield "".join(chunk)


def interval_type(
    calendar: list[date], kind: str, unit: str, per_15_min: float, per_10_s: float
) -> Iterator[str]:
    """Steps or distance of the phone and the watch: all waking day, and densely in runs."""
    for source, device in ((WATCH, WATCH_DEVICE), (PHONE, PHONE_DEVICE)):
        for index, day in enumerate(calendar):
            clock, run = Clock(day), run_of(day, index)
            chunk = []
            for second in range(7 * 3600, 23 * 3600, 900):
                if run and run[0] - 900 < second < run[1]:
                    continue
                value = per_15_min * (1 + (second // 900) % 5)
                chunk.append(
                    record(
                        kind,
                        source,
                        unit,
                        clock.at(second),
                        clock.at(second + 840),
                        f"{value:g}",
                        device,
                    )
                )
            if run:
                step = 10 if source == WATCH else 60
                for second in range(run[0], run[1], step):
                    value = per_10_s * step / 10
                    chunk.append(
                        record(
                            kind,
                            source,
                            unit,
                            clock.at(second),
                            clock.at(second + step),
                            f"{value:g}",
                            device,
                        )
                    )
            yield "".join(chunk)


def energy(calendar: list[date]) -> Iterator[str]:
    for index, day in enumerate(calendar):
        clock, run = Clock(day), run_of(day, index)
        chunk = [
            record("BasalEnergyBurned", WATCH, "kcal", clock.at(s), clock.at(s + 899), "17.3")
            for s in range(0, 86400, 900)
        ]
        if run:
            chunk += [
                record(
                    "ActiveEnergyBurned",
                    WATCH,
                    "kcal",
                    clock.at(s),
                    clock.at(s + 20),
                    "3.42",
                    WATCH_DEVICE,
                )
                for s in range(run[0], run[1], 20)
            ]
        yield "".join(chunk)


def running_dynamics(calendar: list[date]) -> Iterator[str]:
    for kind, unit, value in RUN_TYPES:
        for index, day in enumerate(calendar):
            clock, run = Clock(day), run_of(day, index)
            if run:
                yield "".join(
                    record(kind, WATCH, unit, clock.at(s), clock.at(s), value(s))
                    for s in range(run[0], run[1], 15)
                )


def wellness(calendar: list[date]) -> Iterator[str]:
    for day in calendar:
        clock = Clock(day)
        yield record(
            "RestingHeartRate",
            WATCH,
            "count/min",
            clock.at(0),
            clock.at(86399),
            str(46 + day.toordinal() % 6),
        )
    for day in calendar:
        clock = Clock(day)
        beats = "".join(
            f'   <InstantaneousBeatsPerMinute bpm="{58 + k}" time="3:0{k}:00.00 AM"/>\n'
            for k in range(8)
        )
        children = (
            f"  <HeartRateVariabilityMetadataList>\n{beats}  </HeartRateVariabilityMetadataList>\n"
        )
        yield "".join(
            record(
                "HeartRateVariabilitySDNN",
                WATCH,
                "ms",
                clock.at(h * 3600),
                clock.at(h * 3600 + 60),
                str(35 + (h + day.day) % 20),
                children=children,
            )
            for h in (2, 7, 11, 15, 20)
        )
    stages = ("Core", "Deep", "Core", "REM", "Awake", "Core", "REM")
    sleep = "HKCategoryTypeIdentifierSleepAnalysis"
    zone = '  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n'
    for day in calendar:
        clock = Clock(day)
        chunk = [
            f' <Record type="{sleep}" sourceName="{PHONE}" sourceVersion="17.3" '
            f'creationDate="{clock.at(7 * 3600)}" startDate="{clock.at(0)}" '
            f'endDate="{clock.at(7 * 3600)}" value="HKCategoryValueSleepAnalysisInBed">\n'
            f"{zone} </Record>\n"
        ]
        for n in range(14):
            start, end = n * 1800, n * 1800 + 1800
            value = "HKCategoryValueSleepAnalysis" + (
                stages[n % 7] if stages[n % 7] == "Awake" else f"Asleep{stages[n % 7]}"
            )
            chunk.append(
                f' <Record type="{sleep}" sourceName="{WATCH}" sourceVersion="10.3" '
                f'creationDate="{clock.at(end)}" startDate="{clock.at(start)}" '
                f'endDate="{clock.at(end)}" value="{value}">\n{zone} </Record>\n'
            )
        yield "".join(chunk)


def workouts(calendar: list[date], routed: set[int]) -> Iterator[str]:
    for index, day in enumerate(calendar):
        run = run_of(day, index)
        if not run:
            continue
        clock = Clock(day)
        start, end = clock.at(run[0]), clock.at(run[1])
        minutes = (run[1] - run[0]) / 60
        km = (run[1] - run[0]) / 10 * 0.035
        route = (
            f'  <WorkoutRoute sourceName="{WATCH}" sourceVersion="10.3" creationDate="{end}" '
            f'startDate="{start}" endDate="{end}">\n'
            f'   <FileReference path="/workout-routes/route_{day}_{index}.gpx"/>\n'
            "  </WorkoutRoute>\n"
            if index in routed
            else ""
        )
        yield (
            f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" '
            f'duration="{minutes:g}" durationUnit="min" sourceName="{WATCH}" '
            f'sourceVersion="10.3" device="{WATCH_DEVICE}" creationDate="{end}" '
            f'startDate="{start}" endDate="{end}">\n'
            '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
            '  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n'
            f'  <MetadataEntry key="HKElevationAscended" value="{4000 + index % 3000} cm"/>\n'
            f'  <WorkoutActivity uuid="{index:08d}-0000-4000-8000-000000000000" '
            f'startDate="{start}" endDate="{end}" duration="{minutes:g}" durationUnit="min">\n'
            '   <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
            "  </WorkoutActivity>\n"
            f'  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{start}" '
            f'endDate="{end}" average="152" minimum="120" maximum="178" unit="count/min"/>\n'
            '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
            f'startDate="{start}" endDate="{end}" sum="{km:.3f}" unit="km"/>\n'
            f"{route} </Workout>\n"
        )


def route_gpx(day: date, run: tuple[int, int]) -> str:
    clock_start = datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(seconds=run[0])
    points = []
    for second in range(run[1] - run[0]):
        when = clock_start + timedelta(seconds=second)
        lat = 52.52 + second * 3.5 / 111_195.0
        points.append(
            f'   <trkpt lon="13.404954" lat="{lat:.7f}"><ele>{34 + second % 40 * 0.1:.1f}</ele>'
            f"<time>{when.astimezone(ZoneInfo('UTC')):%Y-%m-%dT%H:%M:%SZ}</time><extensions>"
            "<speed>3.5</speed><course>0.0</course><hAcc>2.5</hAcc><vAcc>1.8</vAcc>"
            "</extensions></trkpt>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health '
        'Export" xmlns="http://www.topografix.com/GPX/1/1">\n <trk>\n  <trkseg>\n'
        + "".join(points)
        + "  </trkseg>\n </trk>\n</gpx>\n"
    )


def write_export(path: Path, day_count: int) -> tuple[int, int]:
    """Write the benchmark export; return (bytes of export.xml, records)."""
    calendar = days(day_count)
    runs = [i for i, day in enumerate(calendar) if run_of(day, i)]
    routed = set(runs[-ROUTE_COUNT:])
    size = records = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("apple_health_export/export.xml", "w", force_zip64=True) as xml:

            def write(text: str) -> None:
                nonlocal size, records
                data = text.encode()
                size += len(data)
                records += text.count("<Record ")
                xml.write(data)

            write(gen.prolog("ios17") + '<HealthData locale="de_DE">\n')
            write(f' <ExportDate value="{Clock(calendar[-1]).at(43200)}"/>\n')
            write(
                ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1988-07-02" '
                'HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" '
                'HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" '
                'HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" '
                'HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>\n'
            )
            for part in (
                heart_rate(calendar),
                interval_type(calendar, "StepCount", "count", 180, 28),
                interval_type(calendar, "DistanceWalkingRunning", "km", 0.12, 0.035),
                energy(calendar),
                running_dynamics(calendar),
                wellness(calendar),
                workouts(calendar, routed),
            ):
                for text in part:
                    write(text)
            write("</HealthData>\n")
        for index in sorted(routed):
            day = calendar[index]
            run = run_of(day, index)
            if run is None:  # routed runs are runs; a rest day has no route
                continue
            archive.writestr(
                f"apple_health_export/workout-routes/route_{day}_{index}.gpx", route_gpx(day, run)
            )
        archive.writestr("apple_health_export/export_cda.xml", gen.CDA)
    return size, records


CHILD = """
import sys, time, json
sys.path.insert(0, {src!r})
from stridewise.importers.apple_health import open_apple_health
started = time.perf_counter()
export = open_apple_health({path!r})
first = time.perf_counter() - started
count = samples = routes = 0
second = None
for activity in export.activities():
    if second is None:  # the record pass runs to its end before the first activity
        second = time.perf_counter() - started - first
    count += 1
    samples += len(activity.samples)
    routes += "lat_deg" in activity.samples
total = time.perf_counter() - started
export.close()
status = open("/proc/self/status").read()
peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
print(json.dumps({{"first_pass_s": first, "second_pass_s": second or 0.0, "total_s": total,
                  "activities": count, "samples": samples, "routes": routes,
                  "records": export.records_seen, "bytes": export.bytes_read,
                  "wellness_days": len(export.wellness), "warnings": export.warnings,
                  "problems": len(export.problems), "peak_rss_mb": peak_kb / 1024}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=1826, help="days of data (5 years: 1826)")
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-apple-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "export.zip"
    started = time.perf_counter()
    size, records = write_export(path, args.days)
    print(
        f"wrote {path}: export.xml {size / 2**20:,.0f} MB ({records:,} records), zip "
        f"{path.stat().st_size / 2**20:,.0f} MB, in {time.perf_counter() - started:.0f} s"
    )
    import json

    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(src=str(REPO / "src"), path=str(path))],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(result.stdout)
    total = figures["total_s"]
    build_s = total - figures["first_pass_s"] - figures["second_pass_s"]
    print(
        f"first pass (workouts, wellness, profile): {figures['first_pass_s']:.1f} s\n"
        f"second pass (records matched to workouts): {figures['second_pass_s']:.1f} s\n"
        f"activities built (frames, {figures['routes']} route GPX files): {build_s:.1f} s\n"
        f"whole import ({figures['activities']} activities, {figures['routes']} with a route, "
        f"{figures['samples']:,} sample rows, {figures['wellness_days']} wellness days): "
        f"{total:.1f} s\n"
        f"records/s over both passes: {figures['records'] * 2 / total:,.0f} "
        f"({figures['records']:,} records, {figures['bytes'] / 2**20 / total * 2:,.0f} MB/s "
        "of XML)\n"
        f"peak RSS (VmHWM) of the importing process: {figures['peak_rss_mb']:.0f} MB\n"
        f"warnings: {figures['warnings']}, problems: {figures['problems']}"
    )
    if not args.keep:
        path.unlink()
        os.rmdir(folder)


if __name__ == "__main__":
    main()
