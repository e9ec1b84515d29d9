"""Throughput of parse + validate for a transactions file (not a test; run by hand):

    .venv/bin/python -m tests.ledger_csv.bench_parse [ROWS] [PATH] [plain|mixed]

Generates the file with the module's own writer (if PATH does not exist), then streams it
through open_ledger + Summary and prints rows/s (wall and CPU; CPU is steadier on a shared
machine) and peak RSS as one JSON line.
"""

import datetime as dt
import json
import os
import random
import resource
import sys
import time

from accounts.ledger_csv import TRANSACTION_TYPES, format_transaction_row, open_ledger, summarize, write_canonical_csv


def generate(path: str, rows: int, amounts: str = "plain", seed: int = 7) -> None:
    """Canonical rows; ``amounts="mixed"`` writes 1 in 5 amounts as 1,234.56 or $1,234.56."""
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    styles = ["plain"] * 8 + ["thousands", "dollar"] if amounts == "mixed" else ["plain"]

    def lines():
        for i in range(rows):
            kind = rng.choice(TRANSACTION_TYPES)
            cents = rng.randint(1, 500_000)
            if kind in ("adjustment", "reversal") and rng.random() < 0.5:
                cents = -cents
            yield format_transaction_row(
                creditor_account_number=f"ACC{rng.randint(1, 200_000):08d}",
                posted_date=start + dt.timedelta(days=rng.randint(0, 1800)),
                kind=kind,
                amount_cents=cents,
                reference=f"TX{i:09d}",
                memo=rng.choice(["", "monthly interest", "payment - thank you", "late fee, cycle 3"]),
                amount_style=rng.choice(styles),
            )

    with open(path, "w", newline="", encoding="utf-8") as file:
        write_canonical_csv(file, "transactions", lines())


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    amounts = sys.argv[3] if len(sys.argv) > 3 else "plain"
    path = sys.argv[2] if len(sys.argv) > 2 else f"/tmp/ledger_bench_{rows}_{amounts}.csv"
    if not os.path.exists(path):
        generate(path, rows, amounts)
    began, cpu_began = time.perf_counter(), time.process_time()
    with open_ledger(path, kind="transactions") as ledger:
        summary = summarize(ledger)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"rows": summary.rows, "valid": summary.valid, "invalid": summary.invalid,
              "seconds": round(seconds, 2), "rows_per_s": round(summary.rows / seconds),
              "cpu_seconds": round(cpu, 2), "rows_per_cpu_s": round(summary.rows / cpu),
              "file_mb": round(os.path.getsize(path) / 2**20, 1), "peak_rss_mb": round(peak_mb)}  # fmt: skip
    print(json.dumps(result))  # noqa: T201


if __name__ == "__main__":
    main()
