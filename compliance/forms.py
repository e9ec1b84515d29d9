"""Forms of the compliance screens. They validate input only; services do the writing."""

from __future__ import annotations

import json
from zoneinfo import available_timezones

from django import forms
from django.forms import modelform_factory
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from compliance.models import (
    RESTRICTION_MODELS,
    AuditAction,
    DirectPriorConsent,
    Dispute,
    DisputeStatus,
    RelatedPerson,
    StatePolicy,
    TcpaConsent,
)
from compliance.models.restrictions import WEEKDAYS
from compliance.simulation import EXTRA_VOICEMAIL_ELEMENTS, LCM_ELEMENTS, US_ZONES

RESTRICTION_EXCLUDE = ["debtor", "account", "notes", "created_by", "created_at", "ended_at", "ended_by", "end_reason"]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AccountField(forms.CharField):
    """An account named as people see it: its account number ("D1-0000386"), typed or picked from the
    autocomplete (templates/_account_autocomplete.html). The number is unique per creditor; when two
    creditors share it, "NUMBER · CREDITOR CODE" (what the autocomplete fills in) picks one."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Account number"))
        kwargs.setdefault("help_text", _("The number shown on the account, e.g. D1-0000386; start typing to pick."))
        super().__init__(max_length=80, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        url = reverse_lazy("accounts:autocomplete")
        attrs.update({"list": "account-options", "autocomplete": "off", "hx-get": url,
                      "hx-target": "#account-options", "hx-trigger": "input changed delay:250ms",
                      "hx-swap": "innerHTML", "data-account-autocomplete": ""})
        return attrs

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        number, _sep, code = (part.strip() for part in text.partition("·"))
        matches = Account.objects.select_related("debtor", "creditor").filter(creditor_account_number__iexact=number)
        if code:
            matches = matches.filter(creditor__code__iexact=code)
        found = list(matches[:2])
        if not found:
            raise forms.ValidationError(_("No account numbered %(number)s.") % {"number": number})
        if len(found) > 1:
            raise forms.ValidationError(_("%(number)s is used by more than one creditor: pick the one you mean "
                                          "from the list.") % {"number": number})
        return found[0]


# Labels of model fields the compliance model forms show (a field without its own label reads as its
# name: these are the same words, translatable).
FIELD_LABELS = {
    "active_duty_end": _("Active duty end"),
    "active_duty_start": _("Active duty start"),
    "address": _("Address"),
    "branch": _("Branch"),
    "call_cap": _("Call cap"),
    "case_number": _("Case number"),
    "chapter": _("Chapter"),
    "city": _("City"),
    "consented_at": _("Consented at"),
    "consented_to_direct_contact_at": _("Consented to direct contact at"),
    "court": _("Court"),
    "date_of_death": _("Date of death"),
    "days": _("Days"),
    "discharged_on": _("Discharged on"),
    "dismissed_on": _("Dismissed on"),
    "effective_from": _("Effective from"),
    "email": _("Email"),
    "end": _("End"),
    "evidence": _("Evidence"),
    "evidence_file": _("Evidence file"),
    "filed_on": _("Filed on"),
    "firm": _("Firm"),
    "given_at": _("Given at"),
    "given_by": _("Given by"),
    "given_via": _("Given via"),
    "identity_theft_report": _("Identity theft report"),
    "is_active": _("Is active"),
    "is_personal_representative": _("Is the personal representative"),
    "kind": _("Kind"),
    "known_since": _("Known since"),
    "medium": _("Medium"),
    "method": _("Method"),
    "name": _("Name"),
    "notes": _("Notes"),
    "notice_received_at": _("Notice received at"),
    "notice_received_on": _("Notice received on"),
    "number": _("Number"),
    "orders_received": _("Orders received"),
    "personal_representative_address": _("Personal representative address"),
    "personal_representative_name": _("Personal representative name"),
    "personal_representative_phone": _("Personal representative phone"),
    "personal_representative_relationship": _("Personal representative relationship"),
    "personal_representative_verified": _("Personal representative verified"),
    "phone": _("Phone"),
    "place": _("Place"),
    "pr_evidence": _("Personal representative's evidence"),
    "received_at": _("Received at"),
    "relationship": _("Relationship"),
    "requested_at": _("Requested at"),
    "retention_days": _("Retention days"),
    "scope": _("Scope"),
    "sol_years": _("Limitations period (years)"),
    "source": _("Source"),
    "start": _("Start"),
    "state": _("State"),
    "stated_at": _("Stated at"),
    "statement": _("Statement"),
    "status": _("Status"),
    "time_zone": _("Time zone"),
    "until": _("Until"),
    "verified": _("Verified"),
    "window_end": _("Window end"),
    "window_start": _("Window start"),
}


class TranslatedLabelsMixin:
    """A model form's fields labelled from FIELD_LABELS unless the form or the model names them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in FIELD_LABELS and str(field.label).capitalize() == name.replace("_", " ").capitalize():
                field.label = FIELD_LABELS[name]


class LocalTimesMixin:
    """Every date-and-time field says which zone it is typed in: the user's own (User.time_zone), which
    collections_app's UserPreferencesMiddleware makes current, so a "09:00" typed in New York is stored
    as the right UTC instant."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = timezone.get_current_timezone_name()
        for field in self.fields.values():
            if isinstance(field, forms.DateTimeField):
                note = _("Your local time (%(zone)s).") % {"zone": zone}
                field.help_text = f"{note} {field.help_text}".strip()


def _widgets(model) -> dict:
    widgets = {}
    for field in model._meta.get_fields():
        kind = getattr(field, "get_internal_type", lambda: "")()
        if kind == "DateTimeField":
            widgets[field.name] = DATETIME
        elif kind == "DateField":
            widgets[field.name] = DATE
        elif kind == "TimeField":
            widgets[field.name] = TIME
    return widgets


def restriction_form_class(kind: str):
    model = RESTRICTION_MODELS[kind]
    base = modelform_factory(model, exclude=RESTRICTION_EXCLUDE, widgets=_widgets(model))

    class RestrictionForm(TranslatedLabelsMixin, LocalTimesMixin, base):
        account_ref = AccountField(help_text=_("The number shown on the account; the debtor is taken from it."))
        whole_debtor = forms.BooleanField(required=False, initial=True,
                                          label=_("Applies to every account of the debtor"))
        notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

        def restriction_fields(self) -> dict:
            extras = {"account_ref", "whole_debtor", "notes"}
            return {k: v for k, v in self.cleaned_data.items() if k not in extras}

    RestrictionForm.__name__ = f"{model.__name__}Form"
    return RestrictionForm


class EndRestrictionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TcpaConsentForm(TranslatedLabelsMixin, LocalTimesMixin, forms.ModelForm):
    account_ref = AccountField()
    number = forms.CharField(label=_("Number"), max_length=16, help_text=_("The debtor's phone, E.164 (+14045550101)"))

    class Meta:
        model = TcpaConsent
        fields = ["source", "scope", "given_at", "evidence", "evidence_file"]
        widgets = {"given_at": DATETIME}

    def clean(self):
        data = super().clean()
        account = data.get("account_ref")
        if account is not None and data.get("number"):
            phone = account.debtor.phones.filter(number=data["number"].strip()).first()
            if phone is None:
                self.add_error("number", _("Not a phone of this account's debtor."))
            data["phone"] = phone
        return data


class RevokeConsentForm(forms.Form):
    words = forms.CharField(label=_("Words"), max_length=300, help_text='The words used, e.g. "STOP"')
    channel = forms.CharField(label=_("Channel"),
                              max_length=20, required=False, help_text=_("sms, call, email, letter ..."))


class DirectConsentQuickForm(TranslatedLabelsMixin, LocalTimesMixin, forms.ModelForm):
    """What a collector records on the call: the consent, when, and the consumer's words."""

    class Meta:
        model = DirectPriorConsent
        fields = ["scope", "given_at", "given_via", "given_by", "consented_at", "statement"]
        widgets = {"given_at": DATETIME, "consented_at": DATETIME, "statement": forms.Textarea(attrs={"rows": 2})}
        labels = {"given_by": _("Given by (empty: the consumer)")}

    def for_debtor(self, debtor) -> DirectConsentQuickForm:
        """Offer only this debtor's related persons (spouse, guardian, estate representative ...)."""
        self.fields["given_by"].queryset = RelatedPerson.objects.active().filter(debtor_id=debtor.pk)
        return self


class DirectConsentForm(DirectConsentQuickForm):
    """The compliance screen's full form: the account, and a time window instead of one time."""

    account_ref = AccountField(help_text=_("The number shown on the account; the debtor is taken from it."))
    whole_debtor = forms.BooleanField(required=False, initial=False, label=_("Covers every account of the debtor"))
    days = forms.MultipleChoiceField(label=_("Days"), choices=[(d, d) for d in WEEKDAYS], required=False,
                                     widget=forms.CheckboxSelectMultiple, help_text=_("Window weekdays; none: any"))

    class Meta(DirectConsentQuickForm.Meta):
        fields = ["scope", "given_at", "given_via", "given_by", "consented_at", "window_start", "window_end",
                  "time_zone", "days", "until", "statement", "notes"]
        labels = {"time_zone": _("Time zone")}
        widgets = {**DirectConsentQuickForm.Meta.widgets, "window_start": TIME, "window_end": TIME, "until": DATE,
                   "notes": forms.Textarea(attrs={"rows": 2})}

    field_order = ["account_ref", "whole_debtor"]

    def clean_time_zone(self):
        zone = self.cleaned_data["time_zone"].strip()
        if zone and zone not in available_timezones():
            raise forms.ValidationError(_("%(zone)s is not an IANA time zone (e.g. America/New_York).")
                                        % {"zone": zone})
        return zone

    def time_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("consented_at", "window_start", "window_end", "time_zone",
                                                   "days", "until")}


class RevokeDirectConsentForm(forms.Form):
    notes = forms.CharField(label=_("Notes"), max_length=300, help_text=_("What the consumer said, and how"))


class DisputeForm(LocalTimesMixin, forms.Form):
    account_ref = AccountField()
    method = forms.ChoiceField(label=_("Method"), choices=Dispute.Method.choices)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)
    postmarked_on = forms.DateField(label=_("Postmarked on"), widget=DATE, required=False)
    scope = forms.ChoiceField(label=_("Scope"), choices=Dispute.Scope.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DisputeStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("To status"),
                                  choices=[(DisputeStatus.VERIFICATION_SENT, _("Verification sent")),
                                           (DisputeStatus.RESOLVED, _("Resolved"))])
    resolution = forms.CharField(label=_("Resolution"), required=False, max_length=500)


class OriginalCreditorRequestForm(LocalTimesMixin, forms.Form):
    account_ref = AccountField()
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME)
    method = forms.ChoiceField(label=_("Method"), choices=Dispute.Method.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StatePolicyForm(TranslatedLabelsMixin, forms.ModelForm):
    class Meta:
        model = StatePolicy
        fields = ["state", "city", "call_cap", "call_cap_days", "allowed_start", "allowed_end",
                  "time_barred_disclosure", "sol_years", "rules", "effective_from", "notes"]
        widgets = {"allowed_start": TIME, "allowed_end": TIME, "effective_from": DATE,
                   "time_barred_disclosure": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"state": _("State"), "city": _("City"), "call_cap": _("Call cap"),
                  "call_cap_days": _("Call cap period (days)"), "allowed_start": _("Allowed from"),
                  "allowed_end": _("Allowed until"), "time_barred_disclosure": _("Time-barred disclosure"),
                  "sol_years": _("SOL years"), "rules": _("Other rules"), "effective_from": _("Effective from"),
                  "notes": _("Notes")}
        help_texts = {"state": _('Two-letter state code, or "US" for the federal baseline'),
                      "city": _('e.g. "NYC"; empty for the whole state'),
                      "call_cap": _("Most calls/attempts ..."), "call_cap_days": _("... per this many days"),
                      "allowed_start": _("Earliest local contact time"),
                      "allowed_end": _("Contacts must be before this local time"),
                      "time_barred_disclosure": _("Required time-barred-debt disclosure text"),
                      "sol_years": _('Years by debt type, e.g. {"consumer_credit": 3}'),
                      "rules": _("Further engine policy entries, verbatim")}

    SOL_YEARS_MAX = 100

    def clean_sol_years(self):
        """Empty is none; otherwise whole years by debt type (the gate and the worklist's score count them)."""
        value = self.cleaned_data.get("sol_years")
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_('SOL years must be a JSON object of years by debt type, e.g. '
                                          '{"consumer_credit": 3}.'))
        for debt_type, years in value.items():
            if isinstance(years, bool) or not isinstance(years, int) or not 0 < years <= self.SOL_YEARS_MAX:
                raise forms.ValidationError(
                    _("SOL years for %(debt_type)s must be a whole number of years from 1 to %(most)s, not "
                      "%(value)s.") % {"debt_type": debt_type[:40], "most": self.SOL_YEARS_MAX,
                                       "value": json.dumps(years)[:40]})
        return value

    def clean_rules(self):
        """Empty is none; otherwise an object of engine entries, with finite numbers only (JSON has no
        infinity, and the database refuses it)."""
        value = self.cleaned_data.get("rules")
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_('Other rules must be a JSON object of engine entries, e.g. '
                                          '{"call_limit": 7}, or left empty.'))
        if path := _non_finite_number(value):
            raise forms.ValidationError(_("Other rules: %(path)s is not a finite number (JSON has no infinity "
                                          "or NaN).") % {"path": path})
        return value


def _non_finite_number(value, path: str = "") -> str:
    """Where a parsed JSON value holds an infinite or NaN number ("" when it holds none)."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return path or "the value"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if found := _non_finite_number(item, f"{path}.{key}" if path else str(key)):
            return found
    return ""


class AuditSearchForm(forms.Form):
    user = forms.CharField(required=False, label=_("User"))
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("Any action")), *AuditAction.choices], required=False)
    object_type = forms.CharField(required=False, label=_("Object type"))
    object_id = forms.CharField(required=False, label=_("Object id"))
    date_from = forms.DateField(label=_("Date from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Date to"), required=False, widget=DATE)


class SimulatorForm(forms.Form):
    context = forms.CharField(widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
                              label=_("Context JSON ({id, facts, action})"))

    def clean_context(self):
        try:
            value = json.loads(self.cleaned_data["context"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON (line %(line)s, column %(column)s).")
                                        % {"line": exc.lineno, "column": exc.colno}) from exc
        if not isinstance(value, dict) or "facts" not in value or "action" not in value:
            raise forms.ValidationError(_('Paste one context object with "facts" and "action".'))
        return value


class SimulatorScenarioForm(forms.Form):
    """The simulator for people: describe the situation; ``compliance.simulation`` builds the context."""

    now = forms.DateTimeField(label=_("When (debtor's local time)"), widget=DATETIME,
                              help_text=_("The moment the contact would happen, in the address zone below"))
    name = forms.CharField(initial="Pat Doe", max_length=100, label=_("Debtor name"))
    debtor_kind = forms.ChoiceField(label=_("Debtor is"), choices=[
        ("person", _("A person")), ("company", _("A company (LLC, corporation)")),
        ("sole_proprietor", _("A sole proprietor")), ("guarantor", _("A personal guarantor"))])
    debt_kind = forms.ChoiceField(label=_("Kind of debt"), choices=[
        ("consumer", _("Consumer (personal, family, household)")), ("medical", _("Medical")),
        ("commercial", _("Commercial (business purpose)"))])
    balance = forms.DecimalField(decimal_places=2, max_digits=12, initial="1843.27", label=_("Balance ($)"))
    date_of_first_delinquency = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                                label=_("First delinquency (and date of service)"))
    insurance_pending = forms.BooleanField(required=False, label=_("Medical: insurance claim pending"))
    state = forms.CharField(max_length=2, initial="GA", label=_("State (2 letters)"))
    city = forms.CharField(label=_("City"),
                           max_length=60, required=False, help_text=_("e.g. Brooklyn, for New York City rules"))
    address_zone = forms.ChoiceField(choices=[(z, z) for z in US_ZONES], label=_("Address time zone"))
    phone_zone = forms.ChoiceField(choices=[(z, z) for z in US_ZONES], label=_("Phone area-code time zone"))
    line_type = forms.ChoiceField(label=_("Line type"),
                                  choices=[("cell", _("Cell")), ("landline_residential", _("Home landline")),
                                           ("landline_business", _("Business line"))])
    tcpa_consent = forms.BooleanField(required=False, label=_("TCPA consent on the number"))
    work_email = forms.BooleanField(required=False, label=_("The email address is a work address from the creditor"))
    calls_today = forms.IntegerField(min_value=0, max_value=20, initial=0, label=_("Unanswered calls earlier today"))
    minutes_since_last_call = forms.IntegerField(min_value=0, max_value=600, initial=60,
                                                 label=_("Minutes since the latest of them"))
    calls_earlier_this_week = forms.IntegerField(min_value=0, max_value=30, initial=0,
                                                 label=_("Unanswered calls on the previous 6 days"))
    conversation_days_ago = forms.IntegerField(min_value=0, max_value=60, required=False,
                                               label=_("Days since the last conversation (empty: none)"))
    cease = forms.BooleanField(required=False, label=_("Written cease / refusal on file"))
    attorney = forms.BooleanField(required=False, label=_("Represented by an attorney"))
    bankruptcy = forms.BooleanField(required=False, label=_("Bankruptcy petition pending"))
    dispute = forms.BooleanField(required=False, label=_("Written dispute in the validation period, not verified"))
    deceased = forms.BooleanField(required=False, label=_("Debtor deceased"))
    opted_out = forms.BooleanField(required=False, label=_("Debtor opted out of this medium"))
    channel = forms.ChoiceField(label=_("What we want to do"), choices=[
        ("call", _("Call")), ("sms", _("Text")), ("email", _("Email")), ("letter", _("Letter")),
        ("credit_report", _("Report to credit bureaus"))])
    dialer = forms.ChoiceField(label=_("Dialer"), required=False, choices=[("manual_live_agent", _("Manual dial")),
                                                        ("predictive_dialer", _("Predictive dialer")),
                                                        ("prerecorded_voice", _("Prerecorded voice"))])
    voicemail_elements = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label=_("Voicemail left if unanswered"),
        choices=[(e, e.replace("_", " ")) for e in LCM_ELEMENTS + EXTRA_VOICEMAIL_ELEMENTS])
    envelope_text = forms.CharField(required=False, label=_("Letter: text on the envelope (separate with ;)"))

    GROUPS = [
        (_("The debtor and the debt"), ["now", "name", "debtor_kind", "debt_kind", "balance",
                                        "date_of_first_delinquency",
                                        "insurance_pending", "state", "city", "address_zone", "phone_zone",
                                        "line_type", "tcpa_consent", "work_email"]),
        (_("History and restrictions"), ["calls_today", "minutes_since_last_call", "calls_earlier_this_week",
                                         "conversation_days_ago", "cease", "attorney", "bankruptcy", "dispute",
                                         "deceased", "opted_out"]),
        (_("What we want to do"), ["channel", "dialer", "voicemail_elements", "envelope_text"]),
    ]

    def groups(self) -> list[tuple[str, list]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean_now(self):
        """The wall-clock time as typed; the scenario places it in the debtor's address zone."""
        value = self.cleaned_data["now"]
        return timezone.make_naive(value) if timezone.is_aware(value) else value
