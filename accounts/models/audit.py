"""The audit trail: who viewed, exported or changed what, when and from where.

It lives at the bottom layer (``accounts``) so every app can audit its own reads and writes;
``compliance`` shows and exports it. The table keeps its original name (``compliance_auditevent``:
the model moved here in accounts migration 0011 without touching the table or its rows) and stays
append-only below the ORM (the PostgreSQL trigger of compliance migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel


class AuditAction(models.TextChoices):
    VIEW = "view", _("View")
    EXPORT = "export", _("Export")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    CONTACT = "contact", _("Contact attempt")
    LOCKOUT = "lockout", _("Login locked out")
    UNLOCK = "unlock", _("Login unlocked")


class AuditEvent(AppendOnlyModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "compliance_auditevent"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="compliance__object__53cfe7_idx"),
                   models.Index(fields=["user", "at"], name="compliance__user_id_2bd11e_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}#{self.object_id}"
