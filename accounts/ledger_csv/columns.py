"""Header normalisation, canonical headers per kind, synonyms, and the user's column mapping.

``resolve_columns(headers, kind, user_mapping)`` never raises for a bad file: it reports what
it could map, what is missing and what is left over, so an upload page can offer "map these
columns". ``ColumnMapping.raise_if_incomplete()`` turns an unusable mapping into a
``LedgerFileError`` naming the columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .reading import LedgerFileError

TRANSACTIONS = "transactions"
ACCOUNTS = "accounts"  # placements
KINDS = (ACCOUNTS, TRANSACTIONS)

CANONICAL_HEADERS: dict[str, tuple[str, ...]] = {
    TRANSACTIONS: ("creditor_account_number", "posted_date", "type", "amount", "reference", "memo"),
    ACCOUNTS: (
        "creditor_account_number", "debt_type", "original_creditor", "debtor_type",
        "first_name", "last_name", "business_name", "date_of_birth", "ssn_last4",
        "address_line1", "address_line2", "city", "state", "zip", "phone", "phone_type", "email",
        "itemization_date", "itemization_balance", "charge_off_date", "date_of_first_delinquency",
        "last_payment_date", "due_date", "principal", "interest", "fees",
    ),
}  # fmt: skip

# Optional fields beyond the canonical file format (DESIGN.md §6), mappable from any column:
# customer_id groups invoice-level rows under one debtor; terms ("Net 30") and disputed (a
# creditor's dispute flag) come with commercial invoices; currency is checked against the
# creditor's; reverses names the reference of the entry a reversal undoes (its sign is checked).
EXTRA_FIELDS: dict[str, tuple[str, ...]] = {
    TRANSACTIONS: ("currency", "reverses"),
    ACCOUNTS: ("customer_id", "terms", "disputed", "currency"),
}
MAPPABLE_FIELDS: dict[str, tuple[str, ...]] = {
    kind: CANONICAL_HEADERS[kind] + EXTRA_FIELDS[kind] for kind in CANONICAL_HEADERS
}

# Placements need a debtor name: first_name + last_name, or business_name (B2B). The rest of the
# placement is optional: interest and fees default to 0.00, contact data may arrive later.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    TRANSACTIONS: ("creditor_account_number", "posted_date", "type", "amount", "reference"),
    ACCOUNTS: ("creditor_account_number", "debt_type", "principal"),
}
PERSON_NAME_FIELDS = ("first_name", "last_name")
BUSINESS_NAME_FIELD = "business_name"

_ACCOUNT_NUMBER = (
    "acct", "acct_no", "acct_num", "acct_number", "acct_id", "account", "account_no",
    "account_num", "account_number", "account_id", "creditor_account", "creditor_acct_no",
    "client_account_number", "client_acct_no", "customer_account_number", "loan_number", "loan_no",
    "loan_id", "loan_account", "invoice_number", "invoice_no", "invoice_num", "invoice_id",
)  # fmt: skip

_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    TRANSACTIONS: {
        "creditor_account_number": _ACCOUNT_NUMBER,
        "posted_date": (
            "txn_date", "transaction_date", "trans_date", "tran_date", "post_date", "posting_date",
            "posted", "date_posted", "date", "effective_date", "payment_date", "paid_at", "paid_date",
            "created_at", "timestamp",
        ),
        "type": ("txn_type", "transaction_type", "trans_type", "tran_type", "entry_type", "kind"),
        "amount": ("amt", "txn_amount", "transaction_amount", "trans_amount", "tran_amount"),
        "reference": (
            "ref", "ref_no", "ref_num", "ref_number", "ref_id", "reference_no", "reference_number",
            "reference_id", "txn_ref", "txn_id", "transaction_id", "transaction_reference",
            "trans_id", "payment_id", "payment_reference", "payment_ref",
        ),
        "currency": ("currency_code", "ccy", "iso_currency"),
        "reverses": ("reverses_reference", "original_reference", "reversed_reference", "reversal_of"),
        "memo": (
            "description", "desc", "note", "notes", "narrative", "details", "comment", "comments",
            "transaction_description",
        ),
    },
    ACCOUNTS: {
        "creditor_account_number": (*_ACCOUNT_NUMBER, "invoice"),
        "customer_id": ("customer_number", "customer_no", "cust_id", "cust_no", "customer_code", "debtor_id",
                        "group_key"),
        "terms": ("payment_terms", "terms_days", "net_terms", "credit_terms"),
        "disputed": ("dispute", "in_dispute", "dispute_flag", "is_disputed"),
        "currency": ("currency_code", "ccy", "iso_currency"),
        "debt_type": ("account_type", "portfolio_type", "debt_category"),
        "original_creditor": ("orig_creditor", "original_creditor_name"),
        "debtor_type": ("customer_type", "party_type"),
        "first_name": ("first", "fname", "given_name", "debtor_first_name"),
        "last_name": ("last", "lname", "surname", "family_name", "debtor_last_name"),
        "business_name": ("company", "company_name", "business", "organization", "organisation"),
        "date_of_birth": ("dob", "birth_date", "birthdate", "birthday"),
        "ssn_last4": ("ssn", "ssn_last_4", "last4", "last_4", "ssn4", "last_4_ssn"),
        "address_line1": (
            "address", "address1", "address_1", "address_line_1", "addr1", "street",
            "street_address",
        ),
        "address_line2": ("address2", "address_2", "address_line_2", "addr2", "apt", "suite"),
        "state": ("st", "state_code"),
        "zip": ("zip_code", "zipcode", "zip5", "postal_code", "postcode"),
        "phone": ("phone_number", "phone_no", "telephone", "tel", "primary_phone"),
        "email": ("e_mail", "email_address", "e_mail_address"),
        "itemization_balance": ("itemization_amount",),
        "itemization_date": ("invoice_date", "statement_date", "loan_date", "origination_date"),
        "charge_off_date": ("chargeoff_date", "co_date"),
        "date_of_first_delinquency": ("dofd", "first_delinquency_date"),
        "last_payment_date": ("last_pay_date", "date_of_last_payment", "lpd"),
        "principal": (
            "principal_balance", "principal_amount", "balance", "balance_due", "amount_due",
            "amount", "amt", "invoice_amount", "loan_amount", "original_amount",
        ),
        "interest": ("interest_balance", "accrued_interest"),
        "fees": ("fee", "fee_balance", "fees_balance"),
    },
}  # fmt: skip

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# camelCase and PascalCase word starts: dueDate, DueDate, customerID, HTTPCode, invoice2Date.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def normalize_header(header: str) -> str:
    """'  Account # ' -> 'account_number'; 'E-mail' -> 'e_mail'; 'Acct No.' -> 'acct_no';
    'DueDate' -> 'due_date'; 'customerID' -> 'customer_id'; 'invoice_Number' -> 'invoice_number'."""
    text = _CAMEL.sub(" ", header.replace("\ufeff", "").strip())
    text = text.lower().replace("#", " number ").replace("&", " and ")
    return "_".join(part for part in _NON_ALNUM.split(text) if part)


def _lookup_table(kind: str) -> dict[str, str]:
    table = {name: name for name in MAPPABLE_FIELDS[kind]}
    for canonical, synonyms in _SYNONYMS[kind].items():
        for synonym in synonyms:
            table.setdefault(synonym, canonical)
    return table


_LOOKUP = {kind: _lookup_table(kind) for kind in KINDS}


def _check_kind(kind: str) -> None:
    if kind not in CANONICAL_HEADERS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")


@dataclass(frozen=True)
class ColumnMapping:
    """How a file's columns map to canonical fields.

    fields: canonical field -> column index. by_header: file header -> canonical field (what
    to remember per creditor). missing: required fields with no column. unmapped: file headers
    mapped to nothing (ignored on import). conflicts: canonical field -> the several headers
    that claim it (the user must pick one).
    """

    kind: str
    headers: tuple[str, ...]
    fields: dict[str, int]
    missing: tuple[str, ...]
    unmapped: tuple[str, ...]
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.conflicts

    @property
    def by_header(self) -> dict[str, str]:
        return {self.headers[index]: name for name, index in self.fields.items()}

    def problem(self) -> str | None:
        """A one-line description of why the mapping is unusable, or None."""
        parts = []
        if self.missing:
            names = [
                f"{name} (or {BUSINESS_NAME_FIELD})"
                if self.kind == ACCOUNTS and name in PERSON_NAME_FIELDS
                else name
                for name in self.missing
            ]
            parts.append("missing required columns: " + ", ".join(names))
        for name, headers in self.conflicts.items():
            quoted = " and ".join(repr(h) for h in headers)
            parts.append(f"columns {quoted} both map to {name}; map one of them to nothing")
        return "; ".join(parts) or None

    def raise_if_incomplete(self) -> None:
        problem = self.problem()
        if problem:
            raise LedgerFileError(problem)


def resolve_columns(
    headers: list[str] | tuple[str, ...],
    kind: str,
    user_mapping: Mapping[str, str | None] | None = None,
) -> ColumnMapping:
    """Map file headers to canonical fields: the user's mapping first, then names/synonyms.

    ``user_mapping`` is {file header: canonical field, or None/"" to ignore the column}; keys
    match exactly or after normalisation. A target that is not a field of ``kind`` raises
    LedgerFileError (a stale remembered mapping should be fixed, not silently dropped).
    """
    _check_kind(kind)
    canonical = MAPPABLE_FIELDS[kind]
    lookup = _LOOKUP[kind]
    user: dict[str, str | None] = {}
    for key, target in (user_mapping or {}).items():
        if target and target not in canonical:
            raise LedgerFileError(f"column mapping targets unknown {kind} field {target!r}")
        user[normalize_header(key)] = target or None
    exact = dict(user_mapping or {})

    claims: dict[str, list[int]] = {}
    unmapped: list[str] = []
    for index, header in enumerate(headers):
        norm = normalize_header(header)
        if header in exact:
            target = exact[header] or None
        elif norm in user:
            target = user[norm]
        else:
            target = lookup.get(norm)
        if target is None:
            if header.strip():
                unmapped.append(header)
            continue
        claims.setdefault(target, []).append(index)

    fields = {name: indexes[0] for name, indexes in claims.items() if len(indexes) == 1}
    conflicts = {
        name: tuple(headers[i] for i in indexes) for name, indexes in claims.items() if len(indexes) > 1
    }
    missing = [name for name in REQUIRED_FIELDS[kind] if name not in claims]
    if kind == ACCOUNTS and BUSINESS_NAME_FIELD not in claims:
        missing += [name for name in PERSON_NAME_FIELDS if name not in claims]
    return ColumnMapping(
        kind=kind,
        headers=tuple(headers),
        fields=fields,
        missing=tuple(missing),
        unmapped=tuple(unmapped),
        conflicts=conflicts,
    )
