"""The default aging buckets and version 1 of the scoring weights."""

from django.db import migrations

BUCKETS = [
    ("current", "Current", 0, 0), ("1-30", "1-30 days", 1, 30), ("31-60", "31-60 days", 31, 60),
    ("61-90", "61-90 days", 61, 90), ("91-120", "91-120 days", 91, 120), ("121-180", "121-180 days", 121, 180),
    ("181-365", "181-365 days", 181, 365), ("365+", "Over 365 days", 366, None),
]


def defaults(apps, schema_editor):
    from collections_app.worklist.scoring import DEFAULT_WEIGHTS

    AgingBucket = apps.get_model("collections_app", "AgingBucket")
    ScoringWeights = apps.get_model("collections_app", "ScoringWeights")
    for code, label, lo, hi in BUCKETS:
        AgingBucket.objects.get_or_create(code=code, defaults={"label": label, "min_days": lo, "max_days": hi})
    if not ScoringWeights.objects.exists():
        ScoringWeights.objects.create(version=1, weights=DEFAULT_WEIGHTS, note="defaults")


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0004_worklist")]
    operations = [migrations.RunPython(defaults, migrations.RunPython.noop)]
