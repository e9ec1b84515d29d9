"""The laptop path: every migration applies to a fresh SQLite file (the embedded default), the
dashboard's summary triggers end up installed, and a second run is a no-op that keeps them."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _migrate(path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{path}"}
    return subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _triggers(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                            " AND name LIKE 'dash%'").fetchone()[0]


def test_all_migrations_apply_on_a_fresh_sqlite_database(tmp_path):
    db = tmp_path / "laptop.sqlite3"
    first = _migrate(db)
    assert first.returncode == 0, first.stderr[-2000:]
    installed = _triggers(db)
    assert installed > 0
    again = _migrate(db)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "No migrations to apply" in again.stdout
    assert _triggers(db) == installed
