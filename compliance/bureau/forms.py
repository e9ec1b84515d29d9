from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Creditor

DATE = forms.DateInput(attrs={"type": "date"})


def last_month_end(today: date | None = None) -> date:
    return (today or date.today()).replace(day=1) - timedelta(days=1)


class Metro2RunForm(forms.Form):
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("code"), to_field_name="code",
                                      label=_("Creditor"))
    as_of = forms.DateField(label=_("As of (period end)"), widget=DATE, initial=last_month_end)


class PaidListForm(forms.Form):
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("code"), to_field_name="code",
                                      required=False, empty_label=_("All creditors"), label=_("Creditor"))
    start = forms.DateField(label=_("Paid from"), required=False, widget=DATE)
    end = forms.DateField(label=_("Paid to"), required=False, widget=DATE)
