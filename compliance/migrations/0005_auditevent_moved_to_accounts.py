"""AuditEvent now belongs to accounts (accounts 0010): dropped from compliance's state only.

The table ``compliance_auditevent`` and its rows stay; no SQL runs.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0004_inbound_contacts_direct_consent"),
        ("accounts", "0010_auditevent_moved_from_compliance"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
        ),
    ]
