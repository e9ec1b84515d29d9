"""CI runs a few kill -9 trials of bench/chaos.py (one per target: web, worker, database) on the real stack."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))

pytestmark = [pytest.mark.worker,
              pytest.mark.skipif(not (PG_BIN / "postgres").exists(), reason="needs PostgreSQL's server binaries"),
              pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the chaos stack runs Celery on Redis")]


def test_three_kill_9_trials_lose_no_cent_double_none_and_leave_no_batch_stuck():
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run([sys.executable, "bench/chaos.py", "--trials", "3", "--seed", "15"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["trials"] == 3, result.stderr[-3000:]
    assert (summary["lost_cents"], summary["double_cents"], summary["stuck_batches"]) == (0, 0, 0), summary
    assert summary["failures"] == [], summary
    assert sum(summary["kills"].values()) == 3 and {"web", "db"} <= set(summary["kills"])
    assert result.returncode == 0
