import json
import shutil
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Creditor
from compliance.bureau.services import metro2_run_create


class Command(BaseCommand):
    help = ("The month's Metro 2 file for one creditor: every account through the gate (channel credit_report); "
            "blocked accounts are listed with their reasons. Last line: "
            '{"records", "blocked", "file", "sha256"} (records = base records).')

    def add_arguments(self, parser):
        parser.add_argument("--creditor", required=True)
        parser.add_argument("--as-of", required=True, help="reporting period end, YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="file to write (a copy of the stored file)")

    def handle(self, *args, creditor, as_of, out, **options):
        try:
            creditor_obj = Creditor.objects.get(code=creditor)
        except Creditor.DoesNotExist as exc:
            raise CommandError(f"unknown creditor {creditor!r}") from exc
        try:
            as_of_date = date.fromisoformat(as_of)
        except ValueError as exc:
            raise CommandError(f"--as-of must be YYYY-MM-DD, got {as_of!r}") from exc
        run = metro2_run_create(creditor=creditor_obj, as_of=as_of_date, user=None,
                                meta={"user_agent": "manage.py metro2_export"})
        with run.file.open("rb") as stored, Path(out).open("wb") as copy:
            shutil.copyfileobj(stored, copy, 1 << 20)
        blocked = (run.items.filter(outcome="blocked").order_by("account_id")
                   .values_list("account__creditor_account_number", "reasons"))
        for number, reasons in blocked.iterator(chunk_size=5000):
            self.stdout.write(f"blocked {number}: {', '.join(reasons)}")
        self.stdout.write(json.dumps({"records": run.records, "blocked": run.blocked, "file": str(out),
                                      "sha256": run.sha256, "skipped": run.skipped, "run": run.pk}))
