from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from compliance.models import CallOutcome, Channel

from .models import User


class ContactForm(forms.Form):
    """One contact through the gate from the workspace: a call's outcome, or a message to send."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    to = forms.CharField(label=_("To"), max_length=254)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *CallOutcome.choices], required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    responds_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(required=False,
                                          label=_("I have read the warnings and this contact is needed"))

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.CALL and not data.get("outcome"):
            self.add_error("outcome", _("Choose how the call went."))
        return data


class InboundContactForm(forms.Form):
    """A contact the consumer made with us: logged, not gated."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.CALL)
    came_from = forms.CharField(max_length=254, required=False, label=_("From"),
                                help_text=_("The number or address the consumer used, if known"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("conversation", "Conversation"),
                                         ("no_answer", "Missed: we did not answer / message left")],
                                required=False, initial="conversation")
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("channel") != Channel.CALL:
            data["outcome"] = ""
        elif not data.get("outcome"):
            self.add_error("outcome", _("Choose how the call went."))
        return data


# Zones offered first on the settings page (the US zones our debtors live in); every IANA zone is valid.
COMMON_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
                "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "UTC"]


def _zone_choices():
    import zoneinfo

    others = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [(z, z) for z in COMMON_ZONES] + [(_("Other zones"), [(z, z) for z in others])]


class UserPreferencesForm(forms.ModelForm):
    """A user's own time zone and language."""

    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_zone_choices,
                                  help_text=_("Times on every page are shown, and typed, in this zone."))
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("The browser's language")), *settings.LANGUAGES])

    class Meta:
        model = User
        fields = ["time_zone", "language"]
