"""Forms for the payments panels and pages: they parse and validate; services act."""

import uuid
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Frequency, PaymentMethod, ReturnReason, SettlementKind


def _key():
    return uuid.uuid4().hex


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    received_at = forms.DateTimeField(label=_("Received at"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                      initial=lambda: timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    reference = forms.CharField(required=False, max_length=100, label=_("Reference (check no., card token ref)"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=_key, max_length=100)


class PostingForm(PaymentForm):
    """Accounting's single posting: the account by creditor and account number."""

    creditor = forms.CharField(label=_("Creditor"), max_length=32, help_text=_("creditor code"))
    account_number = forms.CharField(max_length=64, label=_("Account number"))
    field_order = ["creditor", "account_number", "amount", "method", "received_at", "reference"]


class RefundForm(forms.Form):
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), label=_("Refund amount"))
    method = forms.ChoiceField(choices=PaymentMethod.choices, label=_("Refund by"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, initial=_key, max_length=100)


class ReturnForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)


class PromiseForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices)
    pickup_start = forms.DateTimeField(required=False, label=_("Pick-up from"),
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    pickup_end = forms.DateTimeField(required=False, label=_("Pick-up until"),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    pickup_place = forms.CharField(required=False, max_length=255, label=_("Pick-up place"))
    override_reason = forms.CharField(required=False, max_length=255, label=_("Supervisor override reason"))


class PlanForm(forms.Form):
    total = forms.DecimalField(label=_("Total"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    down_payment = forms.DecimalField(label=_("Down payment"),
                                      max_digits=14, decimal_places=2, min_value=0, initial=0, required=False)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Frequency.choices, initial=Frequency.MONTHLY)
    installments = forms.IntegerField(min_value=1, max_value=520, required=False, label=_("Number of installments"))
    installment_amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False,
                                            label=_("or installment amount"))
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label=_("First installment due"))

    def clean(self):
        data = super().clean()
        if not data.get("installments") and not data.get("installment_amount"):
            raise forms.ValidationError(_("Give the number of installments or the installment amount."))
        return data


class SettlementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SettlementKind.choices, initial=SettlementKind.SETTLEMENT)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, required=False, label=_("Settlement amount"))
    discount_pct = forms.DecimalField(max_digits=5, decimal_places=2, required=False, label=_("or discount %"))
    installments = forms.IntegerField(min_value=1, max_value=24, initial=1, label=_("Installments (1 = lump sum)"))
    expires_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 label=_("Offer expires"))
    new_due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   label=_("New due date (commercial)"))
    new_terms_days = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("New terms"),
                                            choices=[("", "—"), (30, _("Net 30")), (60, _("Net 60")),
                                                     (90, _("Net 90"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=255)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=255)


class BatchUploadForm(forms.Form):
    creditor = forms.CharField(label=_("Creditor"), max_length=32, help_text=_("creditor code"))
    file = forms.FileField(label=_("File"),
                           help_text=_("CSV: creditor_account_number, amount, method, received_at, reference"))
