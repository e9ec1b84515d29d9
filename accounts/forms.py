from django import forms

from .ledger_csv import CANONICAL_HEADERS, ColumnMapping, resolve_columns
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
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
    skip_invalid = forms.BooleanField(required=False,
                                      label="Skip invalid rows (import the valid rows, report the rest)")


IGNORE = ""


class ColumnMappingForm(forms.Form):
    """One select per file header (field name `col_<index>`); clean() checks the mapping is usable
    (every required field has a column, no field claimed twice) and leaves the mapping in
    `cleaned_data["mapping"]` as {file header: canonical field or None}."""

    def __init__(self, *args, columns: ColumnMapping, initial_mapping: dict[str, str | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [(IGNORE, "— ignore this column —"), *[(f, f) for f in CANONICAL_HEADERS[columns.kind]]]
        for index, header in enumerate(columns.headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                choices=choices, required=False, label=header or f"(column {index + 1} has no header)",
                initial=initial_mapping.get(header) or IGNORE)

    def header_fields(self):
        """(header, bound field) pairs in file order, for the template."""
        return [(header, self[f"col_{index}"]) for index, header in enumerate(self.columns.headers)]

    def clean(self):
        data = super().clean()
        mapping = {header: data.get(f"col_{index}") or None for index, header in enumerate(self.columns.headers)}
        resolved = resolve_columns(self.columns.headers, self.columns.kind, mapping)
        if not resolved.ok:
            raise forms.ValidationError(f"This mapping cannot be used: {resolved.problem()}.")
        data["mapping"] = mapping
        return data
