"""Check (and with --rebuild, repair) the dashboards' summary tables against their base tables."""

import json
import time

from django.core.management.base import BaseCommand

from collections_app.dashboards import summaries
from collections_app.dashboards.nightly import dashboards_verify


class Command(BaseCommand):
    help = "Compare every dashboard summary with a direct computation; --rebuild recomputes them first."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Recompute every summary from the base tables")

    def handle(self, *args, rebuild=False, **options):
        started = time.monotonic()
        rows = summaries.rebuild() if rebuild else None
        differences = dashboards_verify()
        self.stdout.write(json.dumps({"rebuilt": rows, "differences": differences,
                                      "ok": not any(differences.values()),
                                      "seconds": round(time.monotonic() - started, 2)}))
        if any(differences.values()):
            raise SystemExit(1)
