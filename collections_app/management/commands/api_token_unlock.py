"""``manage.py api_token_unlock ADDRESS``: let an address that sent too many bad API tokens authenticate
again before its cool-off ends (collections_app.auth.ThrottledTokenAuthentication). Audited."""

from django.core.management.base import BaseCommand

from accounts.audit import audit_record
from collections_app.auth import token_failures_reset


class Command(BaseCommand):
    help = "Unlock token authentication for a client address locked out after failed tokens."

    def add_arguments(self, parser):
        parser.add_argument("address")

    def handle(self, *args, address, **options):
        token_failures_reset(address)
        audit_record(user=None, action="unlock", object_type="auth.token", object_id=address[:64],
                     summary=f"token authentication unlocked for {address} (manage.py api_token_unlock)")
        self.stdout.write(f"Token authentication unlocked for {address}.")
