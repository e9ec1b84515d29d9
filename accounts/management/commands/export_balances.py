import json
import sys

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import audit_record
from accounts.ledger_csv import safe_csv_writer
from accounts.models import Account, Creditor
from accounts.money import money_str


class Command(BaseCommand):
    help = "CSV of creditor_account_number,current_balance for reconciliation with the creditor."

    def add_arguments(self, parser):
        parser.add_argument("--creditor", required=True)
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, creditor, out, **options):
        try:
            creditor_obj = Creditor.objects.get(code=creditor)
        except Creditor.DoesNotExist as exc:
            raise CommandError(f"unknown creditor {creditor!r}") from exc
        rows = (Account.objects.filter(creditor=creditor_obj).order_by("creditor_account_number")
                .values_list("creditor_account_number", "current_balance"))
        fh = open(out, "w", newline="", encoding="utf-8") if out else sys.stdout
        try:
            writer = safe_csv_writer(fh)
            writer.writerow(["creditor_account_number", "current_balance"])
            count = 0
            for number, balance in rows.iterator(chunk_size=10_000):
                writer.writerow([number, money_str(balance)])
                count += 1
        finally:
            if out:
                fh.close()
        # Account numbers and balances leave the system: the audit log says who, what and when.
        audit_record(user=None, action="export", obj=creditor_obj,
                     summary=f"export_balances: {count} accounts of {creditor} to {out or 'stdout'}",
                     meta={"user_agent": "manage.py export_balances"})
        self.stdout.write(json.dumps({"status": "ok", "creditor": creditor, "accounts": count, "out": out}))
