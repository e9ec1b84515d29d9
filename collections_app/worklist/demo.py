"""Demo worklist: teams' queues, counseling agencies, scores computed, callbacks and a few leases."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from collections_app.models import Callback, CounselingAgency, Queue, Team, WorkItem

from .leasing import next_account
from .rescoring import reprioritize_all

AGENCIES = [
    ("GreenPath Financial Wellness", "(800) 550-1961", "https://www.greenpath.com", "", "en,es"),
    ("Money Management International", "(866) 889-9347", "https://www.moneymanagement.org", "", "en,es"),
    ("Consumer Credit Counseling of Hawaii", "(808) 555-0140", "", "HI", "en"),
]
EAST = ["NY", "GA", "FL", "MA", "MI", "IL", "TX", "MN", "TN"]
WEST = ["CO", "UT", "AZ", "CA", "WA", "OR", "AK", "HI", "ID"]
# name, position, filters, teams
QUEUES = [
    ("Commercial invoices (B2B)", 5, {"debt_types": ["commercial"]}, ["east", "west"]),
    ("East: early stage (0-90 days)", 10, {"states": EAST, "buckets": ["current", "1-30", "31-60", "61-90"]},
     ["east"]),
    ("East: late stage (91+ days)", 20, {"states": EAST}, ["east"]),
    ("West: Spanish speakers", 30, {"states": WEST, "languages": ["es"]}, ["west"]),
    ("West: everything else", 40, {"states": WEST}, ["west"]),
]


def worklist_demo_create(*, users: dict, seed: int = 1) -> dict:
    rng = random.Random(seed)
    created = 0
    with transaction.atomic():
        for name, phone, site, states, langs in AGENCIES:
            created += CounselingAgency.objects.get_or_create(
                name=name, defaults={"phone": phone, "website": site, "states": states, "languages": langs})[1]
        east = Team.objects.get_or_create(name="east")[0]
        west = Team.objects.get_or_create(name="west")[0]
        supervisor = users.get("supervisor1")
        Team.objects.filter(pk__in=[east.pk, west.pk], supervisor__isnull=True).update(supervisor=supervisor)
        teams = {"east": east, "west": west}
        for name, position, filters, team_names in QUEUES:
            queue, made = Queue.objects.get_or_create(name=name, defaults={"position": position, **filters})
            created += made
            queue.teams.add(*[teams[t] for t in team_names])
    result = reprioritize_all()
    now = timezone.now()
    callbacks = leases = 0
    collectors = [users[f"collector{i}"] for i in range(1, 6) if f"collector{i}" in users]
    if not Callback.objects.exists() and collectors:
        candidates = list(WorkItem.objects.filter(ready=True).order_by("-score").values_list("pk", flat=True)[:40])
        rng.shuffle(candidates)
        for collector in collectors[:3]:
            for minutes in (-5, 90):  # one due now, one later today
                if not candidates:
                    break
                account_id = candidates.pop()
                Callback.objects.create(account_id=account_id, collector=collector,
                                        due_at=now + timedelta(minutes=minutes), debtor_zone="America/New_York",
                                        notes="Debtor asked to be called back")
                WorkItem.objects.filter(pk=account_id).update(owner=collector, owner_reason="callback",
                                                              ready=minutes <= 0,
                                                              next_contact_at=None if minutes <= 0 else
                                                              now + timedelta(minutes=minutes))
                callbacks += 1
        for collector in collectors[3:5]:  # two collectors are mid-call: they hold an account
            if next_account(user=collector, now=now) is not None:
                leases += 1
    return {"worklist_records_created": created, "accounts_scored": result["accounts"], "callbacks": callbacks,
            "leases": leases}
