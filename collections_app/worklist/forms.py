from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountStatus, Creditor, Debtor, DebtType, Phone
from collections_app.models import AbilityToPay, ContactPointEvent, Disposition, DispositionCode, Queue, Team, User
from payments.models import PaymentMethod

from .buckets import DEFAULT_BUCKETS


class DispositionForm(forms.Form):
    code = forms.ChoiceField(label=_("Code"),
                             choices=[c for c in DispositionCode.choices if c[0] not in ("contact", "skipped")])
    to = forms.CharField(max_length=32, required=False, label=_("Number dialled"))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    callback_at = forms.DateTimeField(required=False, label=_("Call back at (debtor's time)"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    callback_zone = forms.CharField(label=_("Callback zone"), max_length=64, required=False)
    escalation = forms.ChoiceField(label=_("Escalation"),
                                   choices=[("", "—"), *Disposition.Escalation.choices], required=False)
    agency_id = forms.IntegerField(required=False, label=_("Counseling agency"))
    amount = forms.DecimalField(max_digits=12, decimal_places=2, required=False, label=_("Promised amount"))
    promise_date = forms.DateField(required=False, label=_("Promised on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    method = forms.ChoiceField(label=_("Method"), choices=[("", "—"), *PaymentMethod.choices], required=False)
    monthly_income = forms.DecimalField(label=_("Monthly income"), max_digits=12, decimal_places=2, required=False)
    monthly_expenses = forms.DecimalField(label=_("Monthly expenses"), max_digits=12, decimal_places=2, required=False)
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=20, required=False)
    hardship = forms.ChoiceField(label=_("Hardship"), choices=AbilityToPay.Hardship.choices, required=False)


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class ContactPointAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ContactPointEvent.Kind.choices)
    value = forms.CharField(max_length=254, label=_("Number or address"))
    phone_type = forms.ChoiceField(label=_("Phone type"),
                                   choices=Phone.Type.choices, required=False, initial=Phone.Type.CELL)


class ContactPointMarkForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"),
                               choices=[c for c in ContactPointEvent.Action.choices if c[0] != "added"])


def _choices(values):
    return [(v, v) for v in values]


class RecordsField(forms.ModelMultipleChoiceField):
    """Records chosen by id: an id no database key can hold is refused as unknown before the query (SQLite
    cannot even bind it)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else []:
            text = str(pk).strip()
            if not text.isdigit() or int(text) > 2 ** 63 - 1:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": text[:40]})
        return super()._check_values(value)


class QueueForm(forms.ModelForm):
    buckets = forms.MultipleChoiceField(label=_("Buckets"),
                                        choices=[(c, _(label)) for c, label, *_r in DEFAULT_BUCKETS],
                                        required=False, widget=forms.CheckboxSelectMultiple)
    debt_types = forms.MultipleChoiceField(label=_("Kinds of debt"), choices=DebtType.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    statuses = forms.MultipleChoiceField(label=_("Statuses"),
                                         choices=[c for c in AccountStatus.choices
                                                  if c[0] in ("new", "active", "promise", "plan")],
                                         required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Debtor.Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    states = forms.CharField(required=False, label=_("States"),
                             help_text=_("Two-letter states, comma-separated; empty = all"))
    creditors = RecordsField(queryset=Creditor.objects.all(), required=False, label=_("Creditors"),
                                               widget=forms.CheckboxSelectMultiple)
    teams = RecordsField(queryset=Team.objects.all(), required=False, label=_("Teams"),
                                           widget=forms.CheckboxSelectMultiple)
    collectors = RecordsField(queryset=User.objects.filter(groups__name="collector"),
                                                required=False, label=_("Collectors"),
                                                widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Queue
        fields = ["name", "position", "is_active", "order", "balance_min", "balance_max", "buckets", "debt_types",
                  "statuses", "languages", "states"]
        labels = {"name": _("Name"), "position": _("Position"), "is_active": _("Active"), "order": _("Order"),
                  "balance_min": _("Balance from"), "balance_max": _("Balance up to"), "buckets": _("Buckets"),
                  "debt_types": _("Kinds of debt"), "statuses": _("Statuses"), "languages": _("Languages"),
                  "states": _("States")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["states"] = ", ".join(self.instance.states)
            self.initial["creditors"] = list(self.instance.creditors.all())
            self.initial["teams"] = list(self.instance.teams.all())
            self.initial["collectors"] = list(self.instance.collectors.all())

    def clean_states(self):
        states = [s.strip().upper() for s in self.cleaned_data["states"].split(",") if s.strip()]
        bad = [s for s in states if len(s) != 2 or not s.isalpha()]
        if bad:
            raise forms.ValidationError(_("Not two-letter states: %(states)s") % {"states": ", ".join(bad)})
        return states


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    supervisor = forms.ModelChoiceField(label=_("Supervisor"),
                                        queryset=User.objects.filter(groups__name="supervisor"), required=False)
    members = RecordsField(label=_("Members"),
                                             queryset=User.objects.filter(groups__name="collector"), required=False,
                                             widget=forms.CheckboxSelectMultiple)


class ItemsActionForm(forms.Form):
    """Accounts named as people see them: account numbers, comma-separated (never internal ids)."""

    account_ids = forms.CharField(label=_("Account numbers"),
                                  help_text=_("The numbers shown on the accounts, comma-separated (e.g. D1-0000386, "
                                              "D1-0000387); NUMBER · CREDITOR CODE when two creditors share one."))
    move_to = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False, label=_("Move to queue"))
    assign_to = forms.ModelChoiceField(queryset=User.objects.filter(groups__name="collector"), required=False,
                                       label=_("Assign to collector"))
    unassign = forms.BooleanField(required=False, label=_("Back to the queue (no collector)"))
    clear_hold = forms.BooleanField(required=False, label=_("Escalation handled: back on the worklist"))

    def clean_account_ids(self):
        from compliance.forms import AccountField

        field, ids, errors = AccountField(), [], []
        for name in (part.strip() for part in self.cleaned_data["account_ids"].split(",")):
            if not name:
                continue
            try:
                ids.append(field.clean(name).pk)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        if not ids:
            raise forms.ValidationError(_("Name at least one account by its number."))
        return ids


MAP_TITLES = {"bucket": _("Bucket"), "status": _("Status"), "debt_type": _("Debt type"), "creditor": _("Creditor"),
              "sol_years_by_debt_type": _("Limitations period in years, by debt type")}
WEIGHT_LABELS = {
    "balance_per_1000": _("Points per $1,000 owed"), "balance_cap": _("Balance cap (dollars)"),
    "no_contact_per_day": _("Points per day without contact"), "no_contact_cap_days": _("Days without contact: cap"),
    "no_rpc_per_day": _("Points per day without right-party contact"),
    "no_rpc_cap_days": _("Days without right-party contact: cap"), "broken_promise": _("Per broken promise"),
    "kept_promise": _("Per kept promise"), "plan_defaulted": _("Payment plan in default"),
    "sol_years": _("Limitations period (years)"), "sol_soon_days": _("Limitations period ends soon (days)"),
    "sol_soon": _("Limitations period ending soon"), "sol_expired": _("Past the limitations period"),
}


def _map_label(key: str, name: str) -> str:
    """A weight's row label: a status or debt type by its label, a bucket or creditor code as it is."""
    from accounts.models import AccountStatus, DebtType

    labels = {"status": AccountStatus.choices, "debt_type": DebtType.choices,
              "sol_years_by_debt_type": DebtType.choices}.get(key)
    return dict(labels).get(name, name) if labels else name


class WeightsForm(forms.Form):
    """Every weight as a number field: plain keys, then one per bucket, status, debt type and creditor."""

    note = forms.CharField(max_length=200, required=False, label=_("Note for this version"))

    def __init__(self, *args, weights: dict, creditor_codes: list[str], **kwargs):
        from .scoring import DEFAULT_WEIGHTS, MAP_KEYS, NUMBER_KEYS, weight_range

        super().__init__(*args, **kwargs)
        merged = {**DEFAULT_WEIGHTS, **weights}
        self.groups = []
        for key in NUMBER_KEYS:
            low, high = weight_range(key)
            self.fields[key] = forms.DecimalField(initial=merged[key], min_value=low, max_value=high,
                                                  label=WEIGHT_LABELS.get(key, key.replace("_", " ")))
        self.groups.append((_("General"), NUMBER_KEYS))
        for key in MAP_KEYS:
            names = {"creditor": creditor_codes, "sol_years_by_debt_type": list(DEFAULT_WEIGHTS["debt_type"])}.get(
                key, list(DEFAULT_WEIGHTS[key]))
            names += [n for n in merged.get(key, {}) if n not in names]
            group = []
            # a limitations period left empty means "sol years" above; a missing points value is 0
            missing = None if key == "sol_years_by_debt_type" else 0
            low, high = weight_range(key)
            for name in names:
                field = f"{key}.{name}"
                self.fields[field] = forms.DecimalField(initial=merged.get(key, {}).get(name, missing),
                                                        min_value=low, max_value=high,
                                                        label=_map_label(key, name),
                                                        required=False)
                group.append(field)
            self.groups.append((MAP_TITLES.get(key, key.replace("_", " ").capitalize()), group))

    def weights(self) -> dict:
        from .scoring import MAP_KEYS, NUMBER_KEYS

        data = self.cleaned_data
        out = {key: float(data[key]) if data[key] % 1 else int(data[key]) for key in NUMBER_KEYS}
        for key in MAP_KEYS:
            out[key] = {}
            for field in self.fields:
                if field.startswith(f"{key}.") and data.get(field) is not None:
                    value = data[field]
                    out[key][field.split(".", 1)[1]] = float(value) if value % 1 else int(value)
        return out

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]
