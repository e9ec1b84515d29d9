import json

from django.core.management.base import BaseCommand, CommandError

from accounts.services import balances_verify


class Command(BaseCommand):
    help = "Prove every account's cached balance equals the sum of its ledger entries."

    def handle(self, *args, **options):
        result = balances_verify()
        for row in result["mismatches"]:
            self.stdout.write(f"MISMATCH account {row['account_id']}: cached {row['cached']} ledger {row['ledger']}")
        summary = {"status": "ok" if not result["mismatches"] else "mismatch", "checked": result["checked"],
                   "mismatched": result["mismatched"]}
        self.stdout.write(json.dumps(summary))
        if result["mismatches"]:
            raise CommandError(f"{result['mismatched']} account balance(s) differ from their ledger.")
