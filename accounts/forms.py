from django import forms

from .models import AccountStatus, Creditor, DebtType, ImportKind


class AccountSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search",
                        widget=forms.TextInput(attrs={"placeholder": "Name, account number or phone",
                                                      "type": "search", "autofocus": True}))
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("name"), required=False,
                                      empty_label="All creditors")
    status = forms.ChoiceField(choices=[("", "Any status"), *AccountStatus.choices], required=False)
    debt_type = forms.ChoiceField(choices=[("", "Any debt type"), *DebtType.choices], required=False)


class ImportUploadForm(forms.Form):
    creditor = forms.ModelChoiceField(queryset=Creditor.objects.order_by("name"), empty_label="Choose a creditor")
    kind = forms.ChoiceField(choices=ImportKind.choices, widget=forms.RadioSelect, initial=ImportKind.TRANSACTIONS,
                             label="What the file holds")
    # Empty files reach the import service, whose message names the file.
    file = forms.FileField(label="CSV file", allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.xlsx"}))
    sheet = forms.CharField(required=False, max_length=100, label="Worksheet (Excel files only: its name or number)",
                            help_text="Blank: the first worksheet.")
    skip_invalid = forms.BooleanField(required=False,
                                      label="Skip invalid rows (import the valid rows, report the rest)")
