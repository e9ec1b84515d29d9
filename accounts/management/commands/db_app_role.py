import json
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from accounts.db_roles import app_role_create, app_role_grant


class Command(BaseCommand):
    help = ("Grant the application's PostgreSQL role row privileges only (SELECT/INSERT on the append-only "
            "ledger, contact log and audit log). Run as the owner role after migrate.")

    def add_arguments(self, parser):
        parser.add_argument("--role", default=os.environ.get("APP_DB_ROLE", "collections_app"))
        parser.add_argument("--database", default="default",
                            help="connection alias to run as: the owner's ('migrations' with MIGRATION_DATABASE_URL)")
        parser.add_argument("--create", action="store_true",
                            help="create the role first if missing (password from APP_DB_PASSWORD); needs CREATEROLE")

    def handle(self, *args, role, database, create, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("database roles are a PostgreSQL feature")
        with transaction.atomic(using=database), connection.cursor() as cursor:
            password = os.environ.get("APP_DB_PASSWORD")
            created = app_role_create(cursor, role=role, password=password) if create else False
            summary = app_role_grant(cursor, role=role)
        self.stdout.write(json.dumps({"status": "ok", "created": created, **summary}))
