"""Append-only rows: inserted once, never updated or deleted through the ORM.

Used by the ledger and by compliance's contact and audit logs; PostgreSQL triggers enforce the same
below the ORM (accounts migration 0003, compliance migration 0002).
"""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError(f"{self.model.__name__} is append-only{self.model.append_only_hint}.")

    def delete(self):
        raise TypeError(f"{self.model.__name__} is append-only{self.model.append_only_hint}.")


class AppendOnlyModel(models.Model):
    # Said after "is append-only" in every refusal, e.g. ": post a reversal instead".
    append_only_hint = ""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} is append-only{self.append_only_hint}.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} is append-only{self.append_only_hint}.")
