import json

from django.core.management.base import BaseCommand

from compliance.retention.services import purge_run


class Command(BaseCommand):
    help = ("The retention purge: anonymises or deletes every record kind its policy says is due, except what a "
            "legal hold, an open dispute or a bankruptcy keeps. --dry-run lists what would go and changes nothing. "
            "Last line: JSON counts per record kind.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        result = purge_run(dry_run=dry_run, meta={"user_agent": "manage.py purge"})
        for kind, plan in result["plan"].items():
            if dry_run:
                self.stdout.write(f"{kind}: {plan['count']} due (policy {plan['policy_days']} days, before "
                                  f"{plan['cutoff'][:10]}; {plan['held_back']} held back)")
                for line in plan["first"]:
                    self.stdout.write(f"  {line}")
                if plan["count"] > len(plan["first"]):
                    self.stdout.write(f"  ... and {plan['count'] - len(plan['first'])} more")
        self.stdout.write(json.dumps({"dry_run": dry_run, **result["counts"], "run": result["run"]}))
