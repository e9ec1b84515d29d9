import json

from django.core.management.base import BaseCommand

from accounts.models import Creditor
from accounts.services import creditor_get_or_create


class Command(BaseCommand):
    help = "Create a creditor (client) if it does not exist. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", default=Creditor.Kind.BANK, choices=Creditor.Kind.values)

    def handle(self, *args, code, name, kind, **options):
        creditor, created = creditor_get_or_create(code=code, name=name, kind=kind)
        self.stdout.write(json.dumps({"status": "created" if created else "exists", "id": creditor.id,
                                      "code": creditor.code, "name": creditor.name}))
