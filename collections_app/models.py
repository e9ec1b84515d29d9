from django.contrib.auth.models import AbstractUser
from django.db import models

from accounts.access import ROLE_LABELS, user_roles


class User(AbstractUser):
    """Staff user. Roles are groups (see accounts.access)."""

    time_zone = models.CharField(max_length=64, default="America/New_York")
    team = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["username"]

    @property
    def roles(self) -> frozenset[str]:
        return user_roles(self)

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[r] for r in sorted(self.roles)]
