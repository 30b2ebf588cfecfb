"""The benchmark commands run end to end (at a tiny size) and print every figure.
Timings are only printed, never asserted: they belong to benchmarks/, not to tests."""

import re
import sys
from pathlib import Path

import sqlalchemy as sa
from helpers import run, server_url

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
FIGURES = r"\s+-?[\d,./ %]+"  # a label, then its figures


def test_benchmark_prints_the_tables_and_every_ratio_against_its_target(tmp_path):
    command = [sys.executable, str(BENCHMARKS / "run.py"), "--runs", "1", "--seconds", "1"]
    command += ["--rounds", "1", "--messages", "3000"]
    output = run(command, tmp_path).stdout
    for row in (
        "generation with the setup hook",
        "full check, once per process",
        "the guard itself, after that",
        "guard per request (on - off)",
        "naive: no hooks + init/migrate/upgrade",
        "board first page, 1,000 msgs",
        "board first page, 3,000 msgs",
        "board first page, 3,000 msgs, cache off",
        "board deep page, 3,000 msgs, cache off",
        "board first page, 3,000 msgs, logged in",
        "API list, 3,000 msgs",
        "API list 304, 3,000 msgs",
        "board, 3,000 msgs",
        "board, 3,000 msgs, cache off",
    ):
        assert re.search(rf"^{re.escape(row)}{FIGURES}", output, re.MULTILINE), row
    ratios = output.split("\nratio ")[-1]
    for name in (
        "hook/floor",
        "anonymous/bare",
        "cache off/bare",
        "logged in/bare",
        "api/bare",
        "1M/1k",
        "deep/first",
        "api 304/200",
    ):
        verdict = rf"^{re.escape(name)}\s+\d+\.\d\d\s+[<>]=\s*\d\.\d\d  (met|NOT met)$"
        assert re.search(verdict, ratios, re.MULTILINE), name


def test_profile_splits_a_page_by_component_on_postgresql_and_drops_its_database(tmp_path):
    admin = server_url("postgresql")
    command = [sys.executable, str(BENCHMARKS / "profile_pages.py"), "--messages", "500"]
    command += ["--requests", "3", "--database", "postgresql"]
    output = run(command, tmp_path, {"TEST_POSTGRESQL_URL": admin}).stdout
    for row in (
        "Flask request setup/teardown",
        "session (open, save)",
        "login (user load)",
        "CSRF",
        "Flask-Limiter",
        "SQL (building and execution)",
        "template rendering",
        "total (the request in Flask)",
        "without the profiler, client incl.",
    ):
        assert re.search(rf"^{re.escape(row)}{FIGURES}", output, re.MULTILINE), row
    engine = sa.create_engine(admin)
    with engine.connect() as connection:
        names = connection.scalars(sa.text("SELECT datname FROM pg_database")).all()
    engine.dispose()
    assert not [name for name in names if name.startswith("benchmark_")]
