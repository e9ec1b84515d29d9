"""People around the debtor whom 1006.6(a) may treat as the consumer, and who may give consent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Restriction


class RelatedPerson(Restriction):
    """A spouse, parent of a minor, guardian, estate representative or successor in interest.

    12 CFR 1006.6(a)(1)-(5): for the communication rules these count as the consumer, so the
    collector may discuss the debt with them and their direct prior consent is the consumer's
    (time, place, third parties). Anyone else recorded here (an adult child, a sibling) is a third
    party. ``verified`` records that the collector confirmed the relationship (for a successor in
    interest, confirmation is required; comment 6(a)(4)-1 for representatives: ``pr_evidence``).
    """

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        SURVIVING_SPOUSE = "surviving_spouse", _("Surviving spouse")
        PARENT = "parent", _("Parent (counts as the consumer only while the consumer is a minor)")
        GUARDIAN = "guardian", _("Legal guardian")
        EXECUTOR = "executor", _("Executor / administrator / personal representative")
        SUCCESSOR = "successor_in_interest", _("Confirmed successor in interest")
        OTHER_RELATIVE = "other_relative", _("Other relative (a third party)")
        OTHER = "other", _("Other (a third party)")

    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=24, choices=Relationship.choices)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    is_personal_representative = models.BooleanField(default=False)
    pr_evidence = models.CharField(max_length=60, blank=True,
                                   help_text=_("Document showing authority for the estate, e.g. letters_testamentary"))
    verified = models.BooleanField(default=False, help_text=_("The collector confirmed the relationship"))

    class Meta:
        verbose_name = "related person"

    def __str__(self):
        return f"{self.name} ({self.get_relationship_display()})"

    @property
    def engine_id(self) -> str:
        return f"REL-{self.pk}"
