"""The night on SQLite (the embedded default): a fresh database migrates, takes demo data and runs
``run_nightly`` twice, the second run queueing nothing new. Subprocesses, so the suite's own
PostgreSQL connection is untouched."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(env, *args):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_run_nightly_on_sqlite_runs_every_step_and_a_rerun_changes_nothing(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'night.sqlite3'}"}
    _manage(env, "migrate", "-v0")
    _manage(env, "seed_demo", "--accounts", "300")
    first = json.loads(_manage(env, "run_nightly").strip().splitlines()[-1])
    for step in ("promises", "plans", "settlements", "interest", "reprioritize", "dashboards", "reminders"):
        assert "seconds" in first[step], step
    assert first["reprioritize"]["accounts"] > 0
    again = json.loads(_manage(env, "run_nightly").strip().splitlines()[-1])
    assert again["reminders"]["queued"] == 0 and again["interest"]["entries"] == 0
    assert again["promises"] == {**again["promises"], "kept": 0, "partial": 0, "broken": 0}
