"""Seed the state policy table from the engine's default policy, when the engine ships one."""

from django.db import migrations


def forwards(apps, schema_editor):
    try:
        from compliance.rules.state_policy import DEFAULT_POLICY
    except ImportError:  # no engine defaults yet: the table starts empty and the engine uses its own
        return
    from compliance.policy_table import split_policy

    StatePolicy = apps.get_model("compliance", "StatePolicy")
    for row in split_policy(DEFAULT_POLICY):
        StatePolicy.objects.get_or_create(state=row.pop("state"), city=row.pop("city"),
                                          effective_from=row.pop("effective_from"),
                                          defaults={**row, "notes": "Seeded from the engine defaults."})


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
