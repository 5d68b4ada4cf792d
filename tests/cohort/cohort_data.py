"""Small cohorts for the cohort tests, made by scripts/generate_cohort.py, and what
``stridewise flags --json`` says about each athlete of one."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from stridewise.cli import cli
from stridewise.cohort.evaluate import finding_json
from stridewise.profile import load_profile
from stridewise.store import Store

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "generate_cohort.py"


def generator():
    """scripts/generate_cohort.py as a module."""
    if "generate_cohort" in sys.modules:
        return sys.modules["generate_cohort"]
    spec = importlib.util.spec_from_file_location("generate_cohort", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["generate_cohort"] = module
    spec.loader.exec_module(module)
    return module


def small_cohort(folder: Path, indexes: Sequence[int], weeks: int = 26, count: int = 200):
    """The generated athletes ``indexes`` (of a cohort of ``count``) over ``weeks`` weeks in one
    store ``folder/cohort.db``, their profiles in ``folder/profiles``; the athletes."""
    gen = generator()
    athletes = [gen.build_athlete(i, count, weeks) for i in indexes]
    (folder / "profiles").mkdir(parents=True, exist_ok=True)
    with Store(folder / "cohort.db") as store:
        for athlete in athletes:
            gen.store_athlete(store, athlete, gen.LAST_DAY)
            (folder / "profiles" / f"{athlete.name}.toml").write_text(
                gen.toml_text(athlete.profile), "utf-8"
            )
    return athletes


def export_with_profiles(folder: Path, out: Path) -> None:
    """The store exported with each athlete's own profile in the profile column."""
    from stridewise.cohort.parquet import export_store

    with Store(folder / "cohort.db", readonly=True) as store:
        export_store(store, out, lambda name: load_profile(folder / "profiles" / f"{name}.toml"))


def flags_json(db: Path, profiles: Path, athlete: str, config: Path | None = None) -> list[dict]:
    """``stridewise --db DB --config CONFIG --athlete NAME flags --json``; CONFIG is the
    athlete's own ``profiles/NAME.toml`` unless ``config`` is given."""
    config = config if config is not None else profiles / f"{athlete}.toml"
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "--config", str(config), "--athlete", athlete, "flags", "--json"],
    )
    if result.exit_code != 0:
        raise AssertionError(f"flags failed for {athlete}: {result.output}")
    return json.loads(result.stdout)


def flags_of_all(db: Path, profiles: Path, athletes: Sequence[str], workers: int = 2):
    """``flags_json`` of every athlete, in worker processes; {athlete: findings}."""
    with ProcessPoolExecutor(workers) as pool:
        found = pool.map(flags_json, [db] * len(athletes), [profiles] * len(athletes), athletes)
        return dict(zip(athletes, found, strict=True))


def cohort_findings(out: Path) -> dict[str, list[dict]]:
    """A cohort's findings table by athlete, each finding as ``flags --json`` shows it."""
    table = pd.read_parquet(out / "findings.parquet")
    table = table.sort_values(["athlete", "finding"], kind="stable")
    found: dict[str, list[dict]] = {}
    for row in table.to_dict("records"):
        found.setdefault(row["athlete"], []).append(finding_json(row))
    return found
