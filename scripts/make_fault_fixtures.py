"""Write the recordings with the faults of real ones (issue 14) to a folder, to try by hand.

    python scripts/make_fault_fixtures.py /tmp/faults
    stridewise --db /tmp/faults.db import /tmp/faults
    stridewise --db /tmp/faults.db activities

Each file is built by code in tests/recording_faults.py (nothing is copied from anywhere) and is
named after its fault: a phone app's clock jitter, a car ride inside a run, a watch clock that
jumps when GPS time arrives, a file offset that contradicts the position, one file holding two
outings weeks apart, an elapsed time shorter than the timer, a treadmill's moving time, runs that
name no sport, GPS-only and barometric altitude, and one run as the watch's FIT, an app's GPX and
a row of Strava's activities.csv. The tests under tests/pipeline import the same files and assert
what is stored and what the import says; the same command writes the same bytes every time.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from recording_faults import all_fixtures, device_and_app_copies  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where to write the files (created)")
    folder = parser.parse_args().folder
    folder.mkdir(parents=True, exist_ok=True)
    for fixture in all_fixtures():
        (folder / fixture.name).write_bytes(fixture.data)
        print(f"{fixture.name}: {len(fixture.data):,} bytes")
    (folder / "activities.csv").write_bytes(device_and_app_copies()[2])
    print("activities.csv: Strava's row of the run the watch and the app recorded")


if __name__ == "__main__":
    main()
