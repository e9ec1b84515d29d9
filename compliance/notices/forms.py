"""The notice options a user picks: language and mailing date."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .wording import LANGUAGES

LANGUAGE_LABELS = {"en": "English", "es": "Spanish (español)"}


class NoticeOptionsForm(forms.Form):
    language = forms.ChoiceField(choices=[(code, LANGUAGE_LABELS[code]) for code in LANGUAGES], required=False)
    sent_on = forms.DateField(label=_("Mailing date"), widget=forms.DateInput(attrs={"type": "date"}), required=False,
                              help_text=_("The validation period is counted from the day the notice is mailed."))

    def __init__(self, data=None, *, default_language: str = "en", **kwargs):
        self.defaults = {"language": default_language if default_language in LANGUAGES else "en",
                         "sent_on": timezone.localdate()}
        super().__init__(data, initial=self.defaults, **kwargs)

    def clean_language(self):
        return self.cleaned_data["language"] or self.defaults["language"]

    def clean_sent_on(self):
        sent_on = self.cleaned_data["sent_on"] or self.defaults["sent_on"]
        if sent_on < timezone.localdate():
            raise forms.ValidationError(_("A notice cannot be mailed in the past."))
        return sent_on

    def options(self) -> dict:
        """The chosen options; a field left out or invalid keeps its default (today, the debtor's language)."""
        if not self.is_bound:
            return dict(self.defaults)
        self.is_valid()
        return {name: self.cleaned_data.get(name, default) for name, default in self.defaults.items()}
