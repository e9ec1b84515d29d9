"""AuditEvent moves from compliance to accounts (the bottom layer) in Django's state only.

The table (``compliance_auditevent``), its rows, indexes and append-only trigger stay exactly as they
are: nothing is run against the database. compliance 0005 removes the model from compliance's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0009_account_delete_guard"),
        # the table is created by compliance 0001 and guarded by its 0002 trigger
        ("compliance", "0004_inbound_contacts_direct_consent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("action", models.CharField(choices=[("view", "View"), ("export", "Export"),
                                                             ("create", "Create"), ("update", "Update"),
                                                             ("delete", "Delete"), ("contact", "Contact attempt")],
                                                    max_length=10)),
                        ("object_type", models.CharField(max_length=60)),
                        ("object_id", models.CharField(blank=True, max_length=64)),
                        ("summary", models.CharField(blank=True, max_length=500)),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True)),
                        ("user_agent", models.CharField(blank=True, max_length=300)),
                        ("at", models.DateTimeField(db_index=True)),
                        ("user", models.ForeignKey(blank=True, null=True,
                                                   on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                   to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "compliance_auditevent",
                        "ordering": ["-at", "-id"],
                        "indexes": [
                            models.Index(fields=["object_type", "object_id"], name="compliance__object__53cfe7_idx"),
                            models.Index(fields=["user", "at"], name="compliance__user_id_2bd11e_idx"),
                        ],
                    },
                ),
            ],
        ),
    ]
