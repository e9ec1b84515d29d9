from django import forms

from compliance.models import CallOutcome, Channel


class ContactForm(forms.Form):
    """One contact through the gate from the workspace: a call's outcome, or a message to send."""

    channel = forms.ChoiceField(choices=Channel.choices)
    to = forms.CharField(max_length=254)
    outcome = forms.ChoiceField(choices=[("", "—"), *CallOutcome.choices], required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    responds_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(required=False, label="I have read the warnings and this contact is needed")

    def clean(self):
        data = super().clean()
        if data.get("channel") == Channel.CALL and not data.get("outcome"):
            self.add_error("outcome", "Choose how the call went.")
        return data


class InboundContactForm(forms.Form):
    """A contact the consumer made with us: logged, not gated."""

    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.CALL)
    came_from = forms.CharField(max_length=254, required=False, label="From",
                                help_text="The number or address the consumer used, if known")
    outcome = forms.ChoiceField(choices=[("conversation", "Conversation"),
                                         ("no_answer", "Missed: we did not answer / message left")],
                                required=False, initial="conversation")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    idempotency_key = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("channel") != Channel.CALL:
            data["outcome"] = ""
        elif not data.get("outcome"):
            self.add_error("outcome", "Choose how the call went.")
        return data
