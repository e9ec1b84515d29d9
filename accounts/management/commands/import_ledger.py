import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from accounts.imports import services
from accounts.models import Creditor, ImportKind, ImportStatus


class Command(BaseCommand):
    help = "Import a placements (accounts) or transactions CSV: the same service the upload page runs."
    # No system checks before a data command: they import every URL module and view (over half a second
    # of a run), and configuration problems are the web and worker processes' checks to report.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--creditor", required=True, help="creditor code")
        parser.add_argument("--kind", required=True, choices=ImportKind.values)
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, report the rest")
        parser.add_argument("--mapping", metavar="MAPPING.json",
                            help="a saved column/value mapping (format in the README); default: the creditor's "
                                 "remembered mapping, else automatic matching")

    def handle(self, *args, file, creditor, kind, dry_run, skip_invalid, mapping=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        spec = None
        if mapping:
            try:
                spec = json.loads(Path(mapping).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{mapping}: cannot read the mapping ({exc})") from exc
        try:
            creditor_obj = Creditor.objects.get(code=creditor)
        except Creditor.DoesNotExist as exc:
            raise CommandError(f"unknown creditor {creditor!r} (create it with create_creditor)") from exc
        try:
            with path.open("rb") as fh:
                batch = services.import_batch_create(creditor=creditor_obj, kind=kind, fileobj=fh,
                                                     original_name=path.name, skip_invalid=skip_invalid,
                                                     mapping=spec, convert_inline=True)
            if batch.status != ImportStatus.ALREADY_IMPORTED and spec is not None:
                services.import_mapping_check(batch=batch)  # a column the file lacks is an error here
            if batch.status != ImportStatus.ALREADY_IMPORTED:
                batch = (services.import_dry_run(batch=batch) if dry_run
                         else services.import_execute(batch_id=batch.pk))
        except (services.ImportFileError, services.ImportDatabaseError) as exc:
            status = "failed" if getattr(exc, "transient", False) else "invalid"
            self._give_up(status, exc.messages[0], exc)
        except DatabaseError as exc:  # the database is away before a batch could record anything
            self._give_up("failed", f"The database is unavailable ({exc.__class__.__name__}: "
                                    f"{' '.join(str(exc).split())[:200]}); nothing was written. Try again.", exc)
        if batch.message:
            self.stdout.write(batch.message)
        status = {ImportStatus.VALIDATED: "dry_run"}.get(batch.status, batch.status)
        if status not in ("imported", "already_imported", "dry_run", "failed"):
            status = "invalid"
        summary = {"status": status, "rows": batch.rows_total or 0, "created": batch.created,
                   "updated": batch.updated, "duplicates": batch.duplicates, "errors": batch.errors,
                   "error_report": batch.error_report.path if batch.error_report else None, "batch": batch.pk,
                   "totals": {key: total["amount"] for key, total in (batch.summary or {}).get("totals", {}).items()},
                   "warnings": (batch.summary or {}).get("warnings", [])}
        self.stdout.write(json.dumps(summary))
        if status in ("invalid", "failed"):
            raise SystemExit(1)

    def _give_up(self, status: str, message: str, exc: Exception):
        """One clear line and the JSON summary, never a traceback."""
        self.stdout.write(message)
        self.stdout.write(json.dumps({"status": status, "rows": 0, "created": 0, "updated": 0, "duplicates": 0,
                                      "errors": 1, "error_report": None, "totals": {}, "warnings": [],
                                      "message": message}))
        raise SystemExit(1) from exc
