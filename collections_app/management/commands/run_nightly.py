import json

from django.core.management.base import BaseCommand

from collections_app.nightly import STEPS, run_night


class Command(BaseCommand):
    help = ("Every nightly job in order, now: promise and plan checks, settlement expiry, interest accrual, "
            "re-prioritisation, reminders queued. Idempotent. Last line: JSON counts and seconds per step.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD; default today)")
        parser.add_argument("--only", action="append", choices=[name for name, _ in STEPS],
                            help="run only this step (repeatable)")
        parser.add_argument("--send-reminders", action="store_true",
                            help="also send the due reminders now, through the gate (else the worker does)")

    def handle(self, *args, **options):
        from datetime import date

        today = date.fromisoformat(options["date"]) if options.get("date") else None
        summary = run_night(today=today, only=options.get("only"))
        if options["send_reminders"]:
            from payments.services.reminders import reminder_send, reminders_due

            sent = 0
            for reminder_id in reminders_due(limit=100_000):
                reminder_send(reminder_id=reminder_id)
                sent += 1
            summary["reminders_sent"] = sent
        self.stdout.write(json.dumps(summary, default=str))
