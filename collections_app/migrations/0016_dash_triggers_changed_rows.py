"""The summary tables' UPDATE triggers count only the rows whose read columns changed (PostgreSQL).

The nightly rescoring rewrites most work items (their scores move every night) but few change bucket
or queue state; the aging trigger joined every rewritten row, twice, with the accounts. Same sums,
fewer rows joined: the triggers are recreated from today's definitions (collections_app.dashboards).
"""

from django.db import migrations


def reinstall(apps, schema_editor):
    from collections_app.dashboards import summaries

    if schema_editor.connection.vendor == "sqlite":
        return  # installed after the migrate run (collections_app.apps)
    summaries.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("collections_app", "0015_workitem_dates_not_day_counts")]
    operations = [migrations.RunPython(reinstall, migrations.RunPython.noop)]
