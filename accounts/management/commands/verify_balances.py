import json

from django.core.management.base import BaseCommand, CommandError

from accounts.services import balances_verify


class Command(BaseCommand):
    help = "Prove every account's cached balance equals the sum of its ledger entries."

    def handle(self, *args, **options):
        result = balances_verify()
        for row in result["mismatches"]:
            self.stdout.write(f"MISMATCH account {row['account_id']}: cached {row['cached']} ledger {row['ledger']}")
        failed = result["mismatches"] or result["orphaned_entries"]
        summary = {"status": "mismatch" if failed else "ok", "checked": result["checked"],
                   "mismatched": result["mismatched"], "orphaned_entries": result["orphaned_entries"]}
        self.stdout.write(json.dumps(summary))
        if result["mismatches"]:
            raise CommandError(f"{result['mismatched']} account balance(s) differ from their ledger.")
        if result["orphaned_entries"]:
            raise CommandError(f"{result['orphaned_entries']} ledger entries point at no account.")
