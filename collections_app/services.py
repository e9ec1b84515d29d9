"""Writes for users and teams."""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.access import ADMIN, ROLES

from .models import Team, User


def user_ensure(*, username: str, password: str, roles: list[str], first_name: str = "", last_name: str = "",
                time_zone: str = "America/New_York", team: str = "") -> tuple[User, bool]:
    """Create the user with these roles if missing (``team`` by name, created if missing); an existing
    user keeps its password."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    with transaction.atomic():
        team_record = Team.objects.get_or_create(name=team)[0] if team else None
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name, "time_zone": time_zone, "team": team_record,
                      "email": f"{username}@collections.example", "is_staff": ADMIN in roles,
                      "is_superuser": ADMIN in roles})
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in roles])
    return user, created
