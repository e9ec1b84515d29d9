"""Shared set-up for worklist tests: collectors in a team, a queue they work, accounts the gate allows."""

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

from accounts.access import COLLECTOR
from collections_app.models import Queue, Team
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, PhoneFactory, UserFactory

# 10:00 in New York on a Tuesday: inside every US calling window except Hawaii's and Alaska's mornings
NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
_numbers = count(1000)


def collector(team: Team, name: str | None = None):
    user = UserFactory(username=name or f"col{next(_numbers)}", roles=[COLLECTOR])
    user.team = team
    user.save(update_fields=["team"])
    return user


def team_with_queue(name: str = "east", **filters) -> tuple[Team, Queue]:
    team = Team.objects.create(name=name)
    queue = Queue.objects.create(name=f"{name} queue", position=10, **filters)
    queue.teams.add(team)
    return team, queue


def debt(*, zone: str = "America/New_York", balance: str = "1000.00", delinquent_since: date = date(2026, 1, 1),
         status: str = "active", **kwargs):
    """An account whose debtor is only in ``zone``, with one phone there."""
    debtor = DebtorFactory()
    AddressFactory(debtor=debtor, time_zone=zone)
    PhoneFactory(debtor=debtor, number=f"+1404555{next(_numbers):04d}", time_zones=[zone])
    return AccountFactory(debtor=debtor, status=status, current_balance=Decimal(balance),
                          date_of_first_delinquency=delinquent_since, **kwargs)
