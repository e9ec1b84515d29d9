import json

from django.core.management.base import BaseCommand

from collections_app.worklist.rescoring import reprioritize_all


class Command(BaseCommand):
    help = "Re-prioritise every open account now (aging bucket, score, queue); resumes an unfinished run."

    def handle(self, *args, **options):
        result = reprioritize_all()
        self.stdout.write(json.dumps({"accounts": result["accounts"], "rewritten": result["rewritten"],
                                      "bucket_changes": result["bucket_changes"], "seconds": result["seconds"]}))
