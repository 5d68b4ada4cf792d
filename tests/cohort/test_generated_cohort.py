"""Must-show 1 of issue 20: the generated cohort (scripts/generate_cohort.py, 200 athletes × 2
years) evaluated with ``--engine local`` and ``--engine spark`` (local[2]) finds, for every
athlete, exactly what ``stridewise flags --json --athlete X`` finds on the single store.

Marked ``slow`` (a few minutes on two cores): the default test run leaves it out and
``scripts/test`` runs it as a second pytest invocation (``-m slow``).
"""

from __future__ import annotations

import time

import pandas as pd
import pytest
from click.testing import CliRunner

from stridewise.cli import cli

from .cohort_data import cohort_findings, flags_of_all, generator

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    started = time.perf_counter()
    files = generator().write_cohort(folder, 200, 2, parquet=True)
    generated_s = time.perf_counter() - started
    reference = flags_of_all(files.store, files.profiles, files.athletes)
    print(f"generated in {generated_s:.0f} s, flags of 200 athletes in "
          f"{time.perf_counter() - started - generated_s:.0f} s")  # fmt: skip
    return files, reference


@pytest.mark.parametrize("engine", ["local", "spark"])
def test_every_athlete_gets_the_findings_of_flags(generated, tmp_path, engine):
    pytest.importorskip("pyspark" if engine == "spark" else "pyarrow")
    files, reference = generated
    result = CliRunner().invoke(
        cli, ["cohort", str(files.parquet), "--out", str(tmp_path), "--engine", engine]
    )
    print(result.stdout)
    assert result.exit_code == 0, result.output
    found = cohort_findings(tmp_path)
    differing = [name for name in files.athletes if found.get(name, []) != reference[name]]
    assert differing == [], f"{len(differing)} athletes differ, e.g. {differing[:5]}"
    assert sum(len(f) for f in reference.values()) > 10_000
    assert result.stderr == f"athlete {files.athletes[-1]}: no runs; nothing to evaluate\n"
    status = pd.read_parquet(tmp_path / "athletes.parquet")
    assert (status["status"] == "evaluated").sum() == 199


def test_every_planted_pattern_is_found(generated):
    files, reference = generated
    gen = generator()
    expected = {"session_spike": "session_spike", "weekly_jump": "weekly_jump",
                "comeback": "comeback", "no_rest": "rest_days", "trail_move": "surface_change",
                "worn_shoes": "shoe_mileage"}  # fmt: skip
    for index, name in enumerate(files.athletes[:-1]):
        pattern = gen.PATTERNS[index % len(gen.PATTERNS)]
        if pattern in expected:
            rules = {f["rule"] for f in reference[name]}
            assert expected[pattern] in rules, f"{name} ({pattern}): {sorted(rules)}"
