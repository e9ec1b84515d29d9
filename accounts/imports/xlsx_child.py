"""``python -m accounts.imports.xlsx_child IN.xlsx OUT.csv [SHEET]``: the sandboxed half of
``workbooks.xlsx_to_csv`` (no Django, no database: only the file in and the CSV out).

Exit 0: done, the last stdout line is a JSON summary. Exit 2: a WorkbookError, its message the last
stderr line. Anything else (out of memory under RLIMIT_AS, killed at the CPU limit) is reported by the
parent as a limit breach.
"""

import json
import sys


def _peak_rss() -> None:
    """Last stderr line, whatever happened: this process's peak resident memory (for the caller's stats).

    VmHWM, not getrusage's ru_maxrss: the latter keeps the forking parent's size across exec."""
    try:
        with open("/proc/self/status") as status:
            peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stderr.write(json.dumps({"peak_rss_kb": peak}) + "\n")


def main(argv: list[str]) -> int:
    from accounts.imports.workbooks import _cell
    from accounts.imports.xlsx_reader import WorkbookError, xlsx_stream_to_csv

    source, target = argv[0], argv[1]
    sheet = argv[2] if len(argv) > 2 else None
    try:
        with open(target, "w", encoding="utf-8", newline="") as out:
            summary = xlsx_stream_to_csv(source, out, value_text=_cell, sheet=sheet)
    except WorkbookError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    sys.stdout.write(json.dumps(summary) + "\n")
    return 0


if __name__ == "__main__":
    import atexit

    atexit.register(_peak_rss)
    sys.exit(main(sys.argv[1:]))
