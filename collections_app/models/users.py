from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from accounts.access import ROLE_LABELS, user_roles


class Team(models.Model):
    """A group of collectors working the same queues, led by a supervisor."""

    name = models.CharField(max_length=64, unique=True)
    supervisor = models.ForeignKey("collections_app.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="supervised_teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """Staff user. Roles are groups (see accounts.access)."""

    time_zone = models.CharField(max_length=64, default="America/New_York",
                                 help_text="Times on every page are shown, and typed, in this zone.")
    # Empty: the browser's language (Accept-Language), else LANGUAGE_CODE.
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.LANGUAGES)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    session_epoch = models.PositiveIntegerField(
        default=0, editable=False, help_text="Moved by 'log out everywhere': every older session stops working")

    class Meta:
        ordering = ["username"]

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (of the password), with the session epoch mixed in: changing either
        ends every session of the user (collections_app.auth.logout_everywhere)."""
        key_salt = "collections_app.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.session_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()

    @property
    def roles(self) -> frozenset[str]:
        return user_roles(self)

    @property
    def role_labels(self) -> list[str]:
        return [ROLE_LABELS[r] for r in sorted(self.roles)]
