"""``manage.py compliance_eval FILE``: evaluate a JSON file of contexts and validation-period items.

FILE holds a list of items, or an object with ``scenarios`` and/or ``validation_period_cases``
lists (the shape of examples.json). One compact JSON decision is printed per line, then a
one-line JSON summary. The work is done by ``run`` and ``summarize`` so they can be tested
without Django settings.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.engine import evaluate_item


def load_items(path: str | Path) -> list[dict]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and ("scenarios" in data or "validation_period_cases" in data):
        return [*(data.get("scenarios") or []), *(data.get("validation_period_cases") or [])]
    if isinstance(data, dict) and ("facts" in data or "notice_sent_on" in data):
        return [data]
    raise ValueError("expected a JSON list of items or an object with 'scenarios'/'validation_period_cases'")


def run(path: str | Path) -> list[dict]:
    """Evaluate every item in the file, in order."""
    return [evaluate_item(item) for item in load_items(path)]


def summarize(results: list[dict]) -> dict:
    decisions = [r for r in results if "decision" in r]
    return {
        "evaluated": len(results),
        "allowed": sum(r["decision"] == "allow" for r in decisions),
        "blocked": sum(r["decision"] == "block" for r in decisions),
        "validation_periods": len(results) - len(decisions),
    }


def dumps(obj: dict) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Command(BaseCommand):
    help = "Evaluate compliance contexts / validation-period items from a JSON file (one decision per line)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON list of items, or an object with scenarios/validation_period_cases")

    def handle(self, *args, **options):
        try:
            results = run(options["file"])
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"compliance_eval: {exc}") from exc
        for result in results:
            self.stdout.write(dumps(result))
        self.stdout.write(dumps(summarize(results)))
