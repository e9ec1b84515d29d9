from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collections_app.models import EscalationKind, SuitStage, User
from compliance.forms import AccountField


def _owners():
    return User.objects.filter(is_active=True, groups__name__in=["collector", "supervisor", "admin"]).distinct() \
        .order_by("username")


class EscalationForm(forms.Form):
    account = AccountField()
    kind = forms.ChoiceField(choices=EscalationKind.choices, label=_("Kind"))
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Owner"))
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("Due on"))
    attorney_name = forms.CharField(max_length=200, required=False, label=_("Attorney (legal referrals)"))
    attorney_firm = forms.CharField(max_length=200, required=False, label=_("Attorney's firm"))
    disputed_amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False,
                                         label=_("Disputed amount (billing)"))
    identity_theft_report = forms.BooleanField(required=False, label=_("Identity-theft report received (fraud)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=7)


class EscalationUpdateForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("Due on"))
    start_work = forms.BooleanField(required=False, label=_("Start work (in progress)"))
    suit_stage = forms.ChoiceField(choices=[("", "—"), *SuitStage.choices], required=False, label=_("Suit stage"))
    court_case_number = forms.CharField(max_length=60, required=False, label=_("Court case number"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _owners()


class ResolveForm(forms.Form):
    resolution = forms.CharField(max_length=2000, label=_("Resolution"))
    cancel = forms.BooleanField(required=False, label=_("Cancel instead of resolve"))


class AdjustmentForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, label=_("Amount"),
                                help_text=_("Negative lowers the debt"))
    memo = forms.CharField(max_length=200, label=_("What it corrects"))


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", _("Approve and post")), ("0", _("Reject"))],
                                     coerce=lambda v: v == "1", label=_("Decision"))
    note = forms.CharField(max_length=255, required=False, label=_("Note"))
