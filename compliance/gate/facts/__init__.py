"""The engine's facts, built from stored records by four builders, each testable on its own.

- ``consumer_facts``: who the debtor is, where (zones), and how to reach them;
- ``debt_facts``: the debt, money as strings of Decimal (never float), its kind and medical side;
- ``event_facts``: initial communication, validation notice, disputes, requests, contact history;
- ``restriction_facts``: what limits contact (cease, attorney, bankruptcy, deceased, SCRA,
  inconvenient times and places, opt-outs, related persons, direct prior consents).

``compliance.gate.snapshot.build_context`` assembles them into ``{"id", "facts", "action"}``.
"""

from .consumer import consumer_facts, consumer_id
from .debt import debt_facts, debt_id
from .events import event_facts
from .restrictions import restriction_facts

__all__ = ["consumer_facts", "consumer_id", "debt_facts", "debt_id", "event_facts", "restriction_facts"]
