"""Which debts each rule governs: scope by kind of debt and kind of debtor (COMPLIANCE.md §3).

The FDCPA and Regulation F cover consumer debts only: obligations of a natural person "primarily
for personal, family, or household purposes" (15 USC 1692a(3), (5); 12 CFR 1006.2(e), (h)). A
company's business debt is outside them, and so are the state consumer-collection rules modelled
on them; a sole proprietor's or guarantor's personal liability for a business debt is not a
consumer debt either. The TCPA governs autodialed and prerecorded calls and texts whatever the
debt (47 USC 227(b)); the automatic stay protects every bankruptcy debtor (11 USC 362(a)).

Every rule names one ``RuleSet``; the engine applies a rule to an action only for the action's
debts that the rule set covers, and lists the rule sets it applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from compliance.context import Context, lower

CONSUMER, MEDICAL, COMMERCIAL = "consumer", "medical", "commercial"
PERSON, COMPANY, SOLE_PROPRIETOR, GUARANTOR = "person", "company", "sole_proprietor", "guarantor"
DEBT_KINDS = (CONSUMER, MEDICAL, COMMERCIAL)
DEBTOR_KINDS = (PERSON, COMPANY, SOLE_PROPRIETOR, GUARANTOR)
NATURAL_PERSONS = frozenset({PERSON, SOLE_PROPRIETOR, GUARANTOR})

BUSINESS_PURPOSES = {"business", "commercial", "business_purpose", "commercial_purpose", "agricultural"}
BUSINESS_TYPES = {"commercial", "business", "commercial_invoice", "b2b", "trade_credit", "business_loan",
                  "commercial_loan", "business_credit_card", "commercial_lease"}
COMPANY_KINDS = {"company", "business", "corporation", "llc", "partnership", "organization", "organisation",
                 "entity", "legal_entity", "nonprofit", "trust"}


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    debts: frozenset[str]
    debtors: frozenset[str]
    why: str

    def covers(self, debt_kind: str, debtor_kind: str) -> bool:
        return debt_kind in self.debts and debtor_kind in self.debtors

    def describe(self) -> str:
        return f"{', '.join(sorted(self.debts))} debts of {', '.join(sorted(self.debtors))} debtors"


def _set(key, name, debts, debtors, why) -> RuleSet:
    return RuleSet(key, name, frozenset(debts), frozenset(debtors), why)


_CONSUMER_DEBTS = (CONSUMER, MEDICAL)
_ALL_DEBTS = DEBT_KINDS
_ALL_DEBTORS = DEBTOR_KINDS

RULE_SETS: dict[str, RuleSet] = {s.key: s for s in [
    _set("fdcpa", "FDCPA / Regulation F", _CONSUMER_DEBTS, NATURAL_PERSONS,
         "15 USC 1692a(3), (5): consumer debts of natural persons only"),
    _set("state_consumer", "State consumer-collection rules", _CONSUMER_DEBTS, NATURAL_PERSONS,
         "state acts modelled on the FDCPA (209 CMR 18, RCW 19.16.250, 6 RCNY 5-77, Cal. Civ. 1788) "
         "[POL] applied to consumer debts only"),
    _set("fcra", "FCRA / Metro 2 furnishing", _ALL_DEBTS, NATURAL_PERSONS,
         "15 USC 1681a(c), 1681s-2: information about individuals furnished to consumer reporting agencies"),
    _set("medical_reporting", "Medical-debt reporting (NCRA policy, state bans)", (MEDICAL,), NATURAL_PERSONS,
         "NCRA 2022-03-18 policy; Cal. Civ. 1785.27 and other state bans"),
    _set("hipaa", "HIPAA minimum necessary", (MEDICAL,), _ALL_DEBTORS,
         "45 CFR 164.502(b), 164.514(d): protected health information in collection"),
    _set("tcpa", "TCPA", _ALL_DEBTS, _ALL_DEBTORS,
         "47 USC 227(b): autodialed or prerecorded calls and texts, whatever the debt"),
    _set("bankruptcy", "Bankruptcy Code (stay and discharge)", _ALL_DEBTS, _ALL_DEBTORS,
         "11 USC 362(a), 524(a): every debtor in bankruptcy, individual or company"),
    _set("bankruptcy_codebtor", "Bankruptcy Code (Chapter 13 co-debtor stay)", _CONSUMER_DEBTS, _ALL_DEBTORS,
         "11 USC 1301(a): consumer debts only"),
    _set("scra", "SCRA", _ALL_DEBTS, NATURAL_PERSONS,
         "50 USC 3911, 3931, 3937: obligations and lawsuits of servicemembers (natural persons)"),
    _set("fraud_hold", "Fraud / identity-theft hold", _ALL_DEBTS, _ALL_DEBTORS,
         "15 USC 1681c-2, 1681s-2(a)(6); 12 CFR 1006.30(b); [POL] every debt under an open claim"),
    _set("creditor", "Creditor-configured policy", _ALL_DEBTS, _ALL_DEBTORS,
         "the creditor's own instructions, whatever the debt"),
    _set("engine", "Engine input checks", _ALL_DEBTS, _ALL_DEBTORS,
         "an action the engine cannot read is not allowed, whatever the debt"),
]}


def debtor_kind(ctx: Context, debt: dict | None = None) -> str:
    """``consumer.kind`` (or a debt's ``obligor_kind``): person, company, sole proprietor, guarantor."""
    raw = lower((debt or {}).get("obligor_kind") or (debt or {}).get("debtor_kind") or ctx.consumer.get("kind")
                or ctx.consumer.get("debtor_type"))
    if raw in COMPANY_KINDS:
        return COMPANY
    if raw in {"sole_proprietor", "sole_proprietorship", "sole_trader"}:
        return SOLE_PROPRIETOR
    if raw in {"guarantor", "personal_guarantor"}:
        return GUARANTOR
    return PERSON


def debt_kind(ctx: Context, debt: dict) -> str:
    """consumer, medical or commercial, from ``debts[].purpose`` (default personal) and the type."""
    purpose = lower(debt.get("purpose"))
    kind = lower(debt.get("type"))
    if (purpose in BUSINESS_PURPOSES or kind in BUSINESS_TYPES or debtor_kind(ctx, debt) == COMPANY
            or debt.get("business_purpose") is True):
        return COMMERCIAL
    if debt.get("medical") or kind == "medical" or str(debt.get("creditor_classification_metro2") or "") == "02":
        return MEDICAL
    return CONSUMER


def classify(ctx: Context) -> dict[str, dict]:
    """``{debt id: {"kind", "debtor"}}`` for the action's debts (no debts: one default debt)."""
    debts = ctx.action_debts or [{"id": None}]
    return {str(d.get("id")): {"kind": debt_kind(ctx, d), "debtor": debtor_kind(ctx, d)} for d in debts}


def in_scope_ids(rule_set: RuleSet, scope: dict[str, dict]) -> list[str]:
    return [i for i, s in scope.items() if rule_set.covers(s["kind"], s["debtor"])]
