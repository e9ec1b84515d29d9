"""The state policy table: the numbers regulators change, editable by compliance.

One row per jurisdiction and start date. ``state`` "US" is the federal baseline; "NY" with city
"NYC" is New York City. Columns hold what staff edit; ``rules`` keeps any further engine entries
for that jurisdiction verbatim. ``compliance.gate.policy.policy_table`` turns the rows in force
into the dict ``compliance.engine.evaluate(..., policy=...)`` takes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

FEDERAL = "US"


class StatePolicy(models.Model):
    state = models.CharField(max_length=2, help_text='Two-letter state code, or "US" for the federal baseline')
    city = models.CharField(max_length=40, blank=True, help_text='e.g. "NYC"; empty for the whole state')
    call_cap = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("Most calls/attempts ..."))
    call_cap_days = models.PositiveSmallIntegerField(null=True, blank=True, help_text=_("... per this many days"))
    allowed_start = models.TimeField(null=True, blank=True, help_text=_("Earliest local contact time"))
    allowed_end = models.TimeField(null=True, blank=True, help_text=_("Contacts must be before this local time"))
    time_barred_disclosure = models.TextField(blank=True, help_text=_("Required time-barred-debt disclosure text"))
    sol_years = models.JSONField(default=dict, blank=True, help_text='Years by debt type, e.g. {"consumer_credit": 3}')
    rules = models.JSONField(default=dict, blank=True, help_text=_("Further engine policy entries, verbatim"))
    effective_from = models.DateField()
    notes = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["state", "city", "-effective_from"]
        verbose_name_plural = "state policies"
        constraints = [models.UniqueConstraint(fields=["state", "city", "effective_from"],
                                               name="state_policy_unique_per_start")]

    def __str__(self):
        return f"{self.jurisdiction} from {self.effective_from}"

    @property
    def jurisdiction(self) -> str:
        """The engine's key: "federal", a state code, or the city code (e.g. "NYC")."""
        if self.state == FEDERAL:
            return "federal"
        return self.city.upper() if self.city else self.state.upper()
