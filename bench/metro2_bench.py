"""The monthly Metro 2 run at N accounts, timed beside its SQL floor, in one run (no HTTP).

    DATABASE_URL=... .venv/bin/python bench/metro2_bench.py --accounts 100000 [--chunk 2000] [--keep]

Uses the database in DATABASE_URL, seeded by `manage.py seed_demo --accounts N` (it refuses to run when the
database holds fewer than N accounts). For every creditor with accounts, in one run:
  ours   -> `metro2_run_create` as the command runs it: keyset chunks, the gate's `decide_many` per chunk,
            the file streamed to storage with its SHA-256, every account's outcome inserted; inside a
            transaction that is ROLLED BACK afterwards (unless --keep), so reruns measure the same work;
  floor  -> the bare SQL that reads the same accounts' rows (accounts of the creditor placed by the as-of
            date, consumer debts, in the file's order) through a server-side cursor, and nothing else;
            also the same rows joined with their debtors, for reference.
Also the gate alone on a sample of accounts: `credit_report_check` one at a time against `decide_many`.
Peak memory: the process's RSS high-water mark (sampled every 50 ms, and ru_maxrss) against its RSS before
the run. Prints a table and one JSON line, with the extrapolation to 1,000,000 accounts.
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class RssSampler(threading.Thread):
    """The highest resident set size seen while running, sampled every ``every`` seconds."""

    def __init__(self, every: float = 0.05):
        super().__init__(daemon=True)
        self.every, self.peak, self.stop = every, _rss_mb(), threading.Event()

    def run(self):
        while not self.stop.wait(self.every):
            self.peak = max(self.peak, _rss_mb())

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.join()
        self.peak = max(self.peak, _rss_mb())


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=2000)
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--sample", type=int, default=300, help="accounts for the one-at-a-time gate comparison")
    parser.add_argument("--keep", action="store_true", help="commit the runs instead of rolling them back")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Account, Creditor
    from compliance.bureau import selectors
    from compliance.bureau.services import metro2_run_create
    from compliance.gate import credit_report_check, decide_many

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="metro2-bench-")
    settings.DEBUG = False  # DEBUG keeps every SQL string (with its chunk of ids) in memory: not production

    # RSS as each chunk of accounts is read: flat memory means the last chunk costs what the first did
    chunk_rss: list[float] = []
    read_chunks = selectors.reportable_account_chunks

    def measured_chunks(**kwargs):
        for chunk in read_chunks(**kwargs):
            chunk_rss.append(_rss_mb())
            yield chunk

    selectors.reportable_account_chunks = measured_chunks
    total_accounts = Account.objects.count()
    if total_accounts < args.accounts:
        sys.exit(f"the database holds {total_accounts} accounts; seed it first: "
                 f"manage.py seed_demo --accounts {args.accounts}")
    today = timezone.localdate()
    # the demo's accounts are placed today: a run as of today reports them all
    as_of = date.fromisoformat(args.as_of) if args.as_of else today
    now = timezone.now() if as_of >= today else datetime.combine(as_of + timedelta(days=2), datetime.min.time(),
                                                                 tzinfo=UTC).replace(hour=12)
    creditors = [c for c in Creditor.objects.order_by("code")
                 if selectors.reportable_accounts(creditor=c, as_of=as_of).exists()]

    # --- floor: the same accounts' rows, by server-side cursor --------------------------------------------
    floor_sql = """SELECT a.* FROM accounts_account a
                    WHERE a.creditor_id = %s AND (a.placed_at AT TIME ZONE %s)::date <= %s
                      AND a.debt_type <> 'commercial' ORDER BY a.creditor_account_number, a.id"""
    join_sql = floor_sql.replace("SELECT a.* FROM accounts_account a",
                                 "SELECT a.*, d.* FROM accounts_account a JOIN accounts_debtor d ON d.id = a.debtor_id")

    def read_all(sql: str) -> tuple[float, int]:
        rows, started = 0, time.perf_counter()
        with transaction.atomic():
            for creditor in creditors:
                with connection.chunked_cursor() as cur:
                    cur.execute(sql, [creditor.pk, settings.TIME_ZONE, as_of])
                    while batch := cur.fetchmany(args.chunk):
                        rows += len(batch)
        return time.perf_counter() - started, rows

    read_all(floor_sql)  # warm the cache the same way for both
    floor_s, floor_rows = read_all(floor_sql)
    join_s, _ = read_all(join_sql)

    # --- ours: the run as the command runs it -------------------------------------------------------------
    rss_before = _rss_mb()
    per_creditor, runs = [], []
    started = time.perf_counter()
    with RssSampler() as sampler:
        for creditor in creditors:
            t0 = time.perf_counter()
            try:
                with transaction.atomic():
                    run = metro2_run_create(creditor=creditor, as_of=as_of, now=now, chunk_size=args.chunk)
                    counts = (run.records, run.blocked, run.skipped, run.size_bytes, run.sha256)
                    if not args.keep:
                        raise Rollback
            except Rollback:
                pass
            accounts = counts[0] + counts[1] + counts[2]
            per_creditor.append({"creditor": creditor.code, "accounts": accounts, "records": counts[0],
                                 "blocked": counts[1], "skipped": counts[2], "bytes": counts[3],
                                 "seconds": round(time.perf_counter() - t0, 2)})
            runs.append(counts[4])
    ours_s = time.perf_counter() - started
    ours_accounts = sum(c["accounts"] for c in per_creditor)
    assert ours_accounts == floor_rows, (ours_accounts, floor_rows)

    # --- the gate alone: one at a time against decide_many, same accounts ---------------------------------
    sample = list(Account.objects.exclude(debt_type="commercial").select_related("debtor", "creditor")
                  .order_by("id")[:args.sample])
    metro2 = {"account_status": "93", "current_balance": 100, "compliance_condition_code": "", "special_comment": "",
              "payment_rating": "", "account_type": "48", "consumer_information_indicator": "",
              "date_of_first_delinquency": None}
    requests = [{"account": a, "metro2": metro2, "previously_furnished": False, "last_furnished": None,
                 "debt_status": None} for a in sample]
    def counted(fn):
        calls = []

        def wrapper(execute, sql, params, many, context):
            calls.append(sql)
            return execute(sql, params, many, context)

        t0 = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            out = fn()
        return out, time.perf_counter() - t0, len(calls)

    one, single_s, single_queries = counted(lambda: [
        credit_report_check(account=r["account"], metro2=r["metro2"], now=now) for r in requests])
    many, many_s, many_queries = counted(lambda: decide_many(requests, channel="credit_report", at=now,
                                                             chunk_size=args.chunk))
    assert one == many, "decide_many disagrees with credit_report_check"

    ms = lambda seconds, n: round(1000 * seconds / max(n, 1), 4)  # noqa: E731
    peak = max(sampler.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    result = {
        "accounts_in_db": total_accounts, "accounts_exported": ours_accounts, "as_of": as_of.isoformat(),
        "chunk": args.chunk, "creditors": per_creditor,
        "ours_seconds": round(ours_s, 2), "ours_ms_per_account": ms(ours_s, ours_accounts),
        "floor_seconds": round(floor_s, 3), "floor_ms_per_account": ms(floor_s, floor_rows),
        "floor_join_debtor_seconds": round(join_s, 3),
        "ratio_to_floor": round(ours_s / floor_s, 1), "ratio_to_floor_with_debtors": round(ours_s / join_s, 1),
        "rss_before_mb": round(rss_before, 1), "rss_peak_mb": round(peak, 1),
        "rss_growth_mb": round(peak - rss_before, 1), "chunks": len(chunk_rss),
        "rss_at_chunk_mb": {"2nd": round(chunk_rss[1], 1) if len(chunk_rss) > 1 else None,
                            "middle": round(chunk_rss[len(chunk_rss) // 2], 1) if chunk_rss else None,
                            "last": round(chunk_rss[-1], 1) if chunk_rss else None},
        "gate_sample": {"accounts": len(sample), "one_at_a_time_ms_per_account": ms(single_s, len(sample)),
                        "one_at_a_time_queries_per_account": round(single_queries / max(len(sample), 1), 1),
                        "decide_many_ms_per_account": ms(many_s, len(sample)),
                        "decide_many_queries": many_queries, "identical_decisions": one == many},
        "extrapolated_1m_minutes": round(ours_s / ours_accounts * 1_000_000 / 60, 1),
        "floor_extrapolated_1m_seconds": round(floor_s / floor_rows * 1_000_000, 1),
        "one_at_a_time_gate_extrapolated_1m_hours": round(single_s / max(len(sample), 1) * 1_000_000 / 3600, 1),
        "rolled_back": not args.keep,
    }
    print(f"{'creditor':10} {'accounts':>9} {'records':>8} {'blocked':>8} {'skipped':>8} {'seconds':>8}")
    for c in per_creditor:
        print(f"{c['creditor']:10} {c['accounts']:9d} {c['records']:8d} {c['blocked']:8d} {c['skipped']:8d} "
              f"{c['seconds']:8.2f}")
    print(f"ours  {ours_s:8.2f} s  {result['ours_ms_per_account']} ms/account  (1M: "
          f"{result['extrapolated_1m_minutes']} min)")
    print(f"floor {floor_s:8.3f} s  {result['floor_ms_per_account']} ms/account  ratio {result['ratio_to_floor']}x "
          f"(with debtors: {join_s:.3f} s, ratio {result['ratio_to_floor_with_debtors']}x)")
    print(f"rss   {rss_before:.0f} MB before, {peak:.0f} MB peak; at chunk 2 / middle / last of {len(chunk_rss)}: "
          f"{result['rss_at_chunk_mb']['2nd']} / {result['rss_at_chunk_mb']['middle']} / "
          f"{result['rss_at_chunk_mb']['last']} MB")
    gs = result["gate_sample"]
    print(f"gate  one at a time {gs['one_at_a_time_ms_per_account']} ms/account "
          f"({gs['one_at_a_time_queries_per_account']} queries each), decide_many "
          f"{gs['decide_many_ms_per_account']} ms/account ({gs['decide_many_queries']} queries in all)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
