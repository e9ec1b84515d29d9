from django import forms
from django.utils.translation import gettext_lazy as _

from collections_app.models import SkipLead, SkipSearch, SkipSource
from compliance.forms import AccountField
from compliance.models import CallOutcome

SOURCES = [c for c in SkipSource.choices if c[0] not in (SkipSource.LOCATION_CALL, SkipSource.VENDOR_BATCH)]


class OpenCaseForm(forms.Form):
    account = AccountField()
    notes = forms.CharField(max_length=2000, required=False, label=_("Notes"))


class SearchForm(forms.Form):
    source = forms.ChoiceField(choices=SOURCES, label=_("Source"))
    result = forms.ChoiceField(choices=[c for c in SkipSearch.Result.choices if c[0] != "pending"], label=_("Result"))
    detail = forms.CharField(max_length=500, required=False, label=_("What it showed"))


class LeadForm(forms.Form):
    source = forms.ChoiceField(choices=[*SOURCES, (SkipSource.LOCATION_CALL, _("Location call (third party)"))],
                               label=_("Source"))
    kind = forms.ChoiceField(choices=SkipLead.Kind.choices, label=_("Kind"))
    value = forms.CharField(max_length=254, required=False, label=_("Phone or email"))
    line1 = forms.CharField(max_length=200, required=False, label=_("Street address"))
    city = forms.CharField(max_length=100, required=False, label=_("City"))
    state = forms.CharField(max_length=2, required=False, label=_("State"))
    zip_code = forms.CharField(max_length=10, required=False, label=_("ZIP"))


class LocationCallForm(forms.Form):
    to = forms.CharField(max_length=32, label=_("Third party's number"))
    name = forms.CharField(max_length=200, required=False, label=_("Third party's name"))
    relationship = forms.CharField(max_length=40, required=False, label=_("Relationship"),
                                   help_text=_("e.g. neighbor, employer, landlord"))
    outcome = forms.ChoiceField(choices=CallOutcome.choices, label=_("Outcome"))
    asked_to_be_called_again = forms.BooleanField(required=False, label=_("They asked to be called again"))
    earlier_answer_wrong = forms.BooleanField(required=False,
                                              label=_("Their earlier answer was wrong or incomplete (call again)"))
    notes = forms.CharField(max_length=2000, required=False, label=_("Notes"))


class CaseStatusForm(forms.Form):
    to_status = forms.ChoiceField(choices=[("located", _("Located")), ("not_found", _("Not found")),
                                           ("closed", _("Closed"))], label=_("Move to"))
    notes = forms.CharField(max_length=2000, required=False, label=_("Notes"))


class VendorUploadForm(forms.Form):
    file = forms.FileField(label=_("Vendor results (CSV)"))
