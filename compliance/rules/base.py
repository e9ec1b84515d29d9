"""The shape shared by every compliance check.

Like Django's password validators, each check is a small class with a stable ``id``, the
``reason`` code it reports, the ``citation`` it enforces and a docstring quoting the
regulation. ``check(ctx)`` returns one ``Violation`` per failure (empty when the action
passes). Checks whose failure can be cured by waiting set ``time_based = True`` and implement
``earliest(ctx)``: a lower bound, later than ``ctx.now``, on the first instant at which the
check could pass, so the engine can step forward to the next lawful time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import ClassVar

from compliance.context import Context


@dataclass(frozen=True)
class Violation:
    rule: str
    reason: str
    citation: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class Rule:
    id: ClassVar[str]
    reason: ClassVar[str]
    citation: ClassVar[str]
    #: Key into ``compliance.rules.scope.RULE_SETS``: the law this rule enforces, hence the
    #: debts it governs. Every rule declares one (a test checks it).
    rule_set: ClassVar[str]
    #: "block" rules make the decision a block; "warning" rules only add a warning that the
    #: collector must confirm (CFPB rebuttal signals, HIPAA reminders).
    severity: ClassVar[str] = "block"
    time_based: ClassVar[bool] = False

    def check(self, ctx: Context) -> list[Violation]:
        raise NotImplementedError

    def earliest(self, ctx: Context) -> datetime | None:
        """First instant after ``ctx.now`` at which this check could pass (None: never by waiting)."""
        return None

    def fail(self, message: str, *, reason: str | None = None, rule: str | None = None) -> Violation:
        return Violation(rule or self.id, reason or self.reason, self.citation, message)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"
