from datetime import timedelta

from django import forms
from django.utils import timezone

from collections_app.models import EscalationKind, SuitStage, User


def _owners():
    return User.objects.filter(is_active=True, groups__name__in=["collector", "supervisor", "admin"]).distinct() \
        .order_by("username")


class EscalationForm(forms.Form):
    account = forms.IntegerField(min_value=1, label="Account id")
    kind = forms.ChoiceField(choices=EscalationKind.choices)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(queryset=User.objects.none())
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    attorney_name = forms.CharField(max_length=200, required=False, label="Attorney (legal referrals)")
    attorney_firm = forms.CharField(max_length=200, required=False)
    disputed_amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False,
                                         label="Disputed amount (billing)")
    identity_theft_report = forms.BooleanField(required=False, label="Identity-theft report received (fraud)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=7)


class EscalationUpdateForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    start_work = forms.BooleanField(required=False, label="Start work (in progress)")
    suit_stage = forms.ChoiceField(choices=[("", "—"), *SuitStage.choices], required=False)
    court_case_number = forms.CharField(max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()


class ResolveForm(forms.Form):
    resolution = forms.CharField(max_length=2000)
    cancel = forms.BooleanField(required=False, label="Cancel instead of resolve")


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, help_text="Negative lowers the debt")
    memo = forms.CharField(max_length=200, label="What it corrects")


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", "Approve and post"), ("0", "Reject")], coerce=lambda v: v == "1")
    note = forms.CharField(max_length=255, required=False)
