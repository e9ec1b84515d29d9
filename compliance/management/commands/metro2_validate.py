import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from compliance.bureau.validate import validate_metro2


class Command(BaseCommand):
    help = "Checks a Metro 2 character file's structure, codes and trailer totals; exit 0 when valid, 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}")
        data = path.read_bytes()
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError:
            text = data.decode("latin-1")  # the validator names the lines with non-ASCII bytes
        report = validate_metro2(text)
        for error in report.errors:
            self.stdout.write(error)
        self.stdout.write(json.dumps({"valid": report.valid, "records": report.records,
                                      "errors": len(report.errors), "file": str(file)}))
        if not report.valid:
            sys.exit(1)
