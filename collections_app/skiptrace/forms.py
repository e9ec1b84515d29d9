from django import forms

from collections_app.models import SkipLead, SkipSearch, SkipSource
from compliance.models import CallOutcome

SOURCES = [c for c in SkipSource.choices if c[0] not in (SkipSource.LOCATION_CALL, SkipSource.VENDOR_BATCH)]


class OpenCaseForm(forms.Form):
    account = forms.IntegerField(min_value=1, label="Account id")
    notes = forms.CharField(max_length=2000, required=False)


class SearchForm(forms.Form):
    source = forms.ChoiceField(choices=SOURCES)
    result = forms.ChoiceField(choices=[c for c in SkipSearch.Result.choices if c[0] != "pending"])
    detail = forms.CharField(max_length=500, required=False, label="What it showed")


class LeadForm(forms.Form):
    source = forms.ChoiceField(choices=[*SOURCES, (SkipSource.LOCATION_CALL, "Location call (third party)")])
    kind = forms.ChoiceField(choices=SkipLead.Kind.choices)
    value = forms.CharField(max_length=254, required=False, label="Phone or email")
    line1 = forms.CharField(max_length=200, required=False, label="Street address")
    city = forms.CharField(max_length=100, required=False)
    state = forms.CharField(max_length=2, required=False)
    zip_code = forms.CharField(max_length=10, required=False, label="ZIP")


class LocationCallForm(forms.Form):
    to = forms.CharField(max_length=32, label="Third party's number")
    name = forms.CharField(max_length=200, required=False, label="Third party's name")
    relationship = forms.CharField(max_length=40, required=False, help_text="e.g. neighbor, employer, landlord")
    outcome = forms.ChoiceField(choices=CallOutcome.choices)
    asked_to_be_called_again = forms.BooleanField(required=False, label="They asked to be called again")
    earlier_answer_wrong = forms.BooleanField(required=False,
                                              label="Their earlier answer was wrong or incomplete (call again)")
    notes = forms.CharField(max_length=2000, required=False)


class CaseStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=[("located", "Located"), ("not_found", "Not found"), ("closed", "Closed")],
                                  label="Move to")
    notes = forms.CharField(max_length=2000, required=False)


class VendorUploadForm(forms.Form):
    file = forms.FileField(label="Vendor results (CSV)")
