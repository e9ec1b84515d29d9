"""The mapping page's form: per target field, a source (a file column, a fixed value, generated), how to
take it (as is, or a derivation), value maps for coded columns, and the file's options. It builds the
mapping JSON (ledger_csv.mapping) and checks it against the file; the view saves it through the service."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .imports.texts import message_text
from .ledger_csv import (
    CODED_FIELDS,
    DERIVATIONS,
    MAPPABLE_FIELDS,
    TRANSACTION_TYPES,
    LedgerFileError,
    Plan,
    resolve_mapping,
)
from .ledger_csv.columns import REQUIRED_FIELDS
from .ledger_csv.mapping import DEFAULT_OPTIONS, MONEY_FIELDS
from .ledger_csv.values import DEBT_TYPES, DEBTOR_TYPES, PHONE_TYPES, US_STATES

EMPTY, FIXED, GENERATED = "", "value", "generate"
# "type from the amount's sign" comes in the two directions creditors use.
SIGN_CHOICES = {"sign_pc": ("payment", "charge"), "sign_cp": ("charge", "payment")}
OUR_VALUES = {"type": TRANSACTION_TYPES, "debt_type": DEBT_TYPES, "debtor_type": DEBTOR_TYPES,
              "phone_type": PHONE_TYPES, "state": tuple(sorted(US_STATES))}
HELP = {
    "creditor_account_number": _("the creditor's account number (for invoice files: the invoice number)"),
    "customer_id": _("groups invoices of one customer under one debtor"),
    "reference": _("unique per creditor: a re-sent row is then a no-op"),
    "reverses": _("the reference of the entry a reversal undoes (its sign is checked)"),
    "terms": _("Net 30, N30 or days; with an invoice date it gives the due date"),
    "disputed": _("Yes/No: a dispute is opened for each flagged account"),
}


def _hows(field: str) -> list[tuple[str, str]]:
    choices = [("", _("as it is"))]
    for name, (label, fits) in DERIVATIONS.items():
        if name in ("generate", "sign") or (fits is not None and field not in fits):
            continue
        if name in ("first_name", "last_name") and field in MONEY_FIELDS:
            continue
        choices.append((name, label))
    if field == "type":
        choices += [("sign_pc", _("type from the sign: negative = payment, positive = charge")),
                    ("sign_cp", _("type from the sign: negative = charge, positive = payment"))]
    return choices


class MappingForm(forms.Form):
    """Fields per target: src_<f> (EMPTY | col:<i> | value | generate), how_<f>, also_<f> (second column
    for "join"), value_<f>; codes per coded field: code_<f>_<n> (hidden) and our_<f>_<n>; options."""

    date_order = forms.ChoiceField(choices=[("mdy", _("month first (US): 03/07/2019 is March 7")),
                                            ("dmy", _("day first: 03/07/2019 is 3 July"))],
                                   widget=forms.RadioSelect, label=_("Dates like 03/07/2019"))
    minor_units = forms.BooleanField(required=False, label=_("Amounts are in minor units (89900 means 899.00)"))
    signed_amounts = forms.BooleanField(
        required=False, label=_("Signed amounts: a negative payment is a refund (recorded as a reversal)"))
    currency = forms.CharField(required=False, max_length=3, label=_("Currency of every amount (blank: not stated)"))

    def __init__(self, *args, plan: Plan, samples: list[list[str]], codes: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.samples, self.codes = plan, samples, codes
        self.kind = plan.kind
        spec = plan.spec
        self.initial.update({k: spec.options.get(k, v) for k, v in DEFAULT_OPTIONS.items() if k != "sheet"})
        self.initial["currency"] = self.initial.get("currency") or ""
        if self.kind != "transactions":
            del self.fields["signed_amounts"]
        columns = [(f"col:{i}", self._column_label(i)) for i in range(len(plan.headers))]
        for name in MAPPABLE_FIELDS[self.kind]:
            source = plan.sources.get(name)
            sources = [(EMPTY, _("— leave empty —")), *columns, (FIXED, _("a fixed value…"))]
            if name == "reference":
                sources.append((GENERATED, _("generated (account, date, type, amount, occurrence)")))
            initial_src, initial_how, initial_also, initial_value = EMPTY, "", "", ""
            if source is not None:
                if source.value is not None:
                    initial_src, initial_value = FIXED, source.value
                elif source.derive == "generate":
                    initial_src = GENERATED
                elif source.columns:
                    initial_src = f"col:{source.columns[0]}"
                    initial_also = f"col:{source.columns[1]}" if len(source.columns) > 1 else ""
                    initial_how = source.derive or ""
                    if source.derive == "sign":
                        initial_how = "sign_cp" if dict(source.extra).get("negative") == "charge" else "sign_pc"
            required = name in REQUIRED_FIELDS[self.kind]
            self.fields[f"src_{name}"] = forms.ChoiceField(
                choices=sources, required=False, initial=initial_src,
                label=_("%(field)s (required)") % {"field": name} if required else name)
            self.fields[f"how_{name}"] = forms.ChoiceField(
                choices=_hows(name), required=False, initial=initial_how,
                label=_("How to read %(field)s") % {"field": name})
            self.fields[f"also_{name}"] = forms.ChoiceField(choices=[(EMPTY, "—"), *columns], required=False,
                                                            initial=initial_also,
                                                            label=_("%(field)s: join with column") % {"field": name})
            self.fields[f"value_{name}"] = forms.CharField(required=False, initial=initial_value, max_length=200,
                                                           label=_("%(field)s: fixed value") % {"field": name})
        for name, found in codes.items():
            ours = OUR_VALUES[name]
            remembered = {k.lower(): v for k, v in spec.values.get(name, {}).items()}
            for n, code in enumerate(found):
                self.fields[f"code_{name}_{n}"] = forms.CharField(widget=forms.HiddenInput, initial=code,
                                                                  required=False)
                guess = remembered.get(code.lower()) or _recognised(name, code) or ""
                self.fields[f"our_{name}_{n}"] = forms.ChoiceField(
                    choices=[("", _("— as written —")), *[(v, v) for v in ours]], required=False, initial=guess,
                    label=_("%(field)s code %(code)s means") % {"field": name, "code": repr(code)})

    def _column_label(self, index: int) -> str:
        header = self.plan.headers[index] or f"(column {index + 1})"
        examples = ", ".join(self.samples[index]) if index < len(self.samples) else ""
        return _("%(header)s — e.g. %(examples)s") % {"header": header, "examples": examples} if examples else header

    # for the template ---------------------------------------------------------------------------
    def target_rows(self):
        """(field name, help, automatic?, bound fields) per target, in canonical order."""
        rows = []
        for name in MAPPABLE_FIELDS[self.kind]:
            source = self.plan.sources.get(name)
            rows.append({"name": name, "help": HELP.get(name, ""), "required": name in REQUIRED_FIELDS[self.kind],
                         "automatic": bool(source and source.automatic), "src": self[f"src_{name}"],
                         "how": self[f"how_{name}"], "also": self[f"also_{name}"], "value": self[f"value_{name}"]})
        return rows

    def code_rows(self):
        return [{"field": name, "rows": [(code, self[f"code_{name}_{n}"], self[f"our_{name}_{n}"])
                                         for n, code in enumerate(found)]}
                for name, found in self.codes.items() if found]

    def column_rows(self):
        """Each file column with 3 sample values and the fields it feeds (the automatic matches to confirm)."""
        feeds: dict[int, list[str]] = {}
        for name, source in self.plan.sources.items():
            for i in source.columns:
                feeds.setdefault(i, []).append(name + (" (automatic)" if source.automatic else ""))
        return [{"header": h or f"(column {i + 1})", "samples": self.samples[i] if i < len(self.samples) else [],
                 "feeds": feeds.get(i, [])} for i, h in enumerate(self.plan.headers)]

    # building the mapping -----------------------------------------------------------------------
    def clean(self):
        data = super().clean()
        fields: dict[str, dict | None] = {}
        for name in MAPPABLE_FIELDS[self.kind]:
            src, how = data.get(f"src_{name}") or EMPTY, data.get(f"how_{name}") or ""
            if src == EMPTY:
                fields[name] = None
            elif src == FIXED:
                value = (data.get(f"value_{name}") or "").strip()
                if not value:
                    self.add_error(f"value_{name}", gettext("Type the fixed value for %(field)s, or choose a column.")
                                   % {"field": name})
                fields[name] = {"value": value}
            elif src == GENERATED:
                fields[name] = {"derive": "generate"}
            else:
                column = self.plan.headers[int(src.split(":", 1)[1])]
                if how == "concat":
                    also = data.get(f"also_{name}") or ""
                    columns = [column] + ([self.plan.headers[int(also.split(":", 1)[1])]] if also else [])
                    fields[name] = {"columns": columns, "derive": "concat"}
                elif how in SIGN_CHOICES:
                    negative, positive = SIGN_CHOICES[how]
                    fields[name] = {"column": column, "derive": "sign", "negative": negative, "positive": positive}
                else:
                    fields[name] = {"column": column, **({"derive": how} if how else {})}
        values: dict[str, dict[str, str]] = {}
        for name, found in self.codes.items():
            for n, _found in enumerate(found):
                code, ours = data.get(f"code_{name}_{n}") or "", data.get(f"our_{name}_{n}") or ""
                if code and ours and ours != _recognised(name, code):
                    values.setdefault(name, {})[code] = ours
        options = {"date_order": data.get("date_order") or "mdy", "minor_units": bool(data.get("minor_units")),
                   "signed_amounts": bool(data.get("signed_amounts")),
                   "currency": (data.get("currency") or "").strip().upper() or None,
                   "sheet": self.plan.spec.options.get("sheet")}
        mapping = {"version": 2, "kind": self.kind, "fields": fields, "values": values, "options": options}
        if self.errors:
            return data
        try:
            plan = resolve_mapping(self.plan.headers, self.kind, mapping, strict=True)
        except LedgerFileError as exc:
            raise forms.ValidationError(gettext("This mapping cannot be used: %(reason)s")
                                        % {"reason": message_text(str(exc))}) from None
        if not plan.ok:
            raise forms.ValidationError(gettext("This mapping cannot be used: %(reason)s.")
                                        % {"reason": message_text(plan.problem())})
        data["mapping"] = mapping
        return data


def _recognised(field: str, code: str) -> str | None:
    """What the importer already understands a code as (so only real translations are remembered)."""
    from .ledger_csv.values import parse_debt_type, parse_debtor_type, parse_phone_type, parse_state

    parsers = {"debt_type": parse_debt_type, "debtor_type": parse_debtor_type, "phone_type": parse_phone_type,
               "state": parse_state, "type": lambda raw: raw.strip().lower() if raw.strip().lower() in
               TRANSACTION_TYPES else _fail()}
    try:
        return parsers[field](code)
    except ValueError:
        return None


def _fail():
    raise ValueError


__all__ = ["CODED_FIELDS", "MappingForm"]
