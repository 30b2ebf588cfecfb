"""Several app instances deploying together each run `flask db upgrade` at once: the
lock in env.py (the database's own, or a lock file for SQLite) lets one migrate while
the others wait, then find nothing to do."""

import os
import subprocess
import sys
from pathlib import Path

from {{ cookiecutter.package }}.extensions import db
from {{ cookiecutter.package }}.migration_state import code_heads, database_revisions

from .helpers import table_names

PROJECT = Path(__file__).resolve().parents[2]
PROCESSES = 4


def test_concurrent_upgrades_apply_the_schema_once(app, database_url):
    env = {
        **os.environ,
        "FLASK_APP": "{{ cookiecutter.package }}",
        "FLASK_CONFIG": "development",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "concurrent-upgrade-test",
    }
    upgrades = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "db", "upgrade"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]

    assert [process.returncode for process in upgrades] == [0] * PROCESSES, outputs
    ran_first_revision = [out for out in outputs if "Running upgrade  -> " in out]
    assert len(ran_first_revision) == 1, outputs
    assert database_revisions() == code_heads()
    assert table_names() == set(db.metadata.tables)
