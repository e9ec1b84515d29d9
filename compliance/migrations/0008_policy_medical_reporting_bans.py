"""Add the engine's newer default policy entries (state medical-reporting bans) to existing tables.

New jurisdictions get their row; an existing row gains the entries it lacks in ``rules`` (nothing
staff edited is overwritten).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from compliance.policy_table import split_policy
    from compliance.rules.state_policy import DEFAULT_POLICY

    StatePolicy = apps.get_model("compliance", "StatePolicy")
    if not StatePolicy.objects.exists():
        return  # an empty table: the engine uses its own defaults
    for row in split_policy(DEFAULT_POLICY):
        state, city = row.pop("state"), row.pop("city")
        existing = StatePolicy.objects.filter(state=state, city=city).order_by("-effective_from").first()
        if existing is None:
            StatePolicy.objects.create(state=state, city=city, **row,
                                       notes="Seeded from the engine defaults (medical-reporting bans).")
            continue
        missing = {k: v for k, v in (row.get("rules") or {}).items() if k not in (existing.rules or {})}
        if missing:
            existing.rules = {**(existing.rules or {}), **missing}
            existing.save(update_fields=["rules"])


class Migration(migrations.Migration):
    dependencies = [("compliance", "0007_medical_detail_related_persons")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
