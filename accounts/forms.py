from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccountStatus, Creditor, DebtType, ImportKind


class AccountSearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"),
                        widget=forms.TextInput(attrs={"placeholder": _("Name, account number or phone"),
                                                      "type": "search", "autofocus": True}))
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("name"), required=False,
                                      empty_label=_("All creditors"))
    status = forms.ChoiceField(label=_("Status"),
                               choices=[("", _("Any status")), *AccountStatus.choices], required=False)
    debt_type = forms.ChoiceField(label=_("Debt type"),
                                  choices=[("", _("Any debt type")), *DebtType.choices], required=False)


class ImportUploadForm(forms.Form):
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("name"), empty_label=_("Choose a creditor"))
    kind = forms.ChoiceField(choices=ImportKind.choices, widget=forms.RadioSelect, initial=ImportKind.TRANSACTIONS,
                             label=_("What the file holds"))
    # Empty files reach the import service, whose message names the file.
    file = forms.FileField(label=_("CSV file"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.xlsx"}))
    sheet = forms.CharField(required=False, max_length=100, label=_("Worksheet (Excel files only: its name or number)"),
                            help_text=_("Blank: the first worksheet."))
    skip_invalid = forms.BooleanField(required=False,
                                      label=_("Skip invalid rows (import the valid rows, report the rest)"))
