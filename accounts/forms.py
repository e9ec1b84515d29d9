from django import forms

from .models import AccountStatus, Creditor, DebtType


class AccountSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"placeholder": "Name, account number or phone",
                                                      "type": "search", "autofocus": True}))
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("name"), required=False,
                                      empty_label="All creditors")
    status = forms.ChoiceField(choices=[("", "Any status"), *AccountStatus.choices], required=False)
    debt_type = forms.ChoiceField(choices=[("", "Any debt type"), *DebtType.choices], required=False)
