"""Payments messages stored or raised in English, read in the reader's language.

payments.batch writes the batch's message and each problem's reason in English (kept as written: the batch
record and the API); the batch page renders them through these templates (accounts.texts). The cell
parsers' own words (amounts, dates, the file as a whole) are the ledger import's (accounts.imports.texts).
The payments services raise their ValidationErrors in English too (the API answers with them as they are);
the pages that show them as form errors or messages render them here (``error_messages``, ``add_errors``),
as do the guardrail breaches stored on a promise or a plan (``guardrails_text``).
tests/payments/test_service_texts.py checks that the services' messages match these templates.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

from accounts.imports.texts import CELL_ERRORS, FILE_ERRORS
from accounts.texts import Catalogue

MESSAGES = [
    gettext_noop("Checking the file"),
    gettext_noop("Posting"),
    gettext_noop("Nothing was posted: %(count)s problems in the file."),
    gettext_noop("%(rows)s rows: %(posted)s posted, %(duplicates)s already posted."),
    gettext_noop("must be positive"),
    gettext_noop("unknown method %(method)s"),
    gettext_noop("a lockbox reference is required (it makes the row idempotent)"),
    gettext_noop("no account %(number)s for %(creditor)s"),
    gettext_noop("The file has no column %(missing)s (needs %(columns)s)."),
    gettext_noop("The file cannot be read: %(reason_text)s"),
]

# What the payments services refuse (payments.services, payments.schedule). They raise in English (the API
# answers in English); the payments pages render each message through these templates.
SERVICE_MESSAGES = [
    gettext_noop("An idempotency key of 1 to 100 characters is required."),
    gettext_noop("The amount must be positive."),
    gettext_noop("Unknown method %(method)s; use one of %(allowed)s."),
    gettext_noop("Unknown method %(method)s."),
    gettext_noop("received_at must be a date and time with a zone."),
    gettext_noop("received_at is in the future."),
    gettext_noop("Idempotency key %(key)s was already used for a different payment (#%(payment)s: %(amount)s "
                 "%(method)s on account %(account)s)."),
    gettext_noop("Unknown return reason %(reason)s; use one of %(allowed)s."),
    gettext_noop("The refund must be positive."),
    gettext_noop("The account's credit balance is %(credit)s; a refund of %(amount)s would exceed it."),
    gettext_noop("%(value)s is not an amount."),
    gettext_noop("%(value)s must be in whole cents."),
    gettext_noop("A %(label)s cannot move from %(from)s to %(to)s."),
    gettext_noop("The %(label)s's status changed meanwhile; reload and try again."),
    # plans and their schedule
    gettext_noop("The plan total is more than the balance (%(balance)s)."),
    gettext_noop("Unknown frequency %(frequency)s; use one of %(allowed)s."),
    gettext_noop("The first installment must be due today or later."),
    gettext_noop("Between 1 and 520 installments."),
    gettext_noop("The account already has a live payment plan; cancel it first."),
    gettext_noop("The account is %(status)s: no plan can be set up."),
    gettext_noop("Only a supervisor can approve a plan outside the guardrails."),
    gettext_noop("The maker of a plan cannot approve it."),
    gettext_noop("Only a supervisor can reject a plan."),
    gettext_noop("A plan needs at least one installment."),
    gettext_noop("total must be positive"),
    gettext_noop("down_payment must be between 0 and the total"),
    gettext_noop("amounts must be whole cents"),
    gettext_noop("give the number of installments or a positive installment amount"),
    gettext_noop("installments must be at least 1"),
    # promises
    gettext_noop("The promised amount must be positive."),
    gettext_noop("The promised amount is more than the balance (%(balance)s)."),
    gettext_noop("The promise date must be today or later."),
    gettext_noop("A pick-up appointment needs a start, an end and a place."),
    gettext_noop("The pick-up window must end after it starts."),
    gettext_noop("The account is %(status)s: no promise can be taken."),
    gettext_noop("Only a supervisor can approve a promise outside the guardrails."),
    gettext_noop("The maker of a promise cannot approve it."),
    gettext_noop("Only a supervisor can reject a promise."),
    # settlements and credit extensions
    gettext_noop("Unknown kind %(kind)s; use one of %(allowed)s."),
    gettext_noop("Nothing is owed on this account."),
    gettext_noop("Give the settlement amount or the discount percent."),
    gettext_noop("A settlement is more than 0 and less than the balance (%(balance)s)."),
    gettext_noop("Lump sum (1) or up to 24 installments."),
    gettext_noop("An offer needs an expiry date today or later."),
    gettext_noop("Credit extensions (new due date or terms) are for commercial invoices."),
    gettext_noop("Give a new due date or new terms (e.g. Net 30)."),
    gettext_noop("Terms are Net 15, 30, 45, 60 or 90."),
    gettext_noop("The account already has an open offer; it must be decided or expire first."),
    gettext_noop("Only a supervisor can approve an offer above the collector's authority."),
    gettext_noop("The maker of an offer cannot approve it (maker-checker)."),
    gettext_noop("The offer is %(status)s, not awaiting approval."),
    gettext_noop("Only a supervisor can reject an offer."),
    gettext_noop("The maker of an offer cannot decide it (maker-checker)."),
]

# Why a promise or a plan is outside the creditor's guardrails (stored in English on the row).
GUARDRAILS = [
    gettext_noop("more than %(count)s installments"),
    gettext_noop("an installment below %(amount)s"),
    gettext_noop("plan total %(total)s is less than the balance %(balance)s"),
    gettext_noop("due date is more than %(days)s days away"),
    gettext_noop("amount is below the minimum of %(amount)s"),
]

# What a state machine's refusal names (payments.services.status).
WORDS = [gettext_noop("payment"), gettext_noop("promise"), gettext_noop("payment plan"), gettext_noop("installment"),
         gettext_noop("settlement"), gettext_noop("reminder")]

CATALOGUE = Catalogue(messages=MESSAGES + SERVICE_MESSAGES + GUARDRAILS + CELL_ERRORS + FILE_ERRORS,
                      parts=CELL_ERRORS + FILE_ERRORS, words=WORDS)


def batch_text(message: str) -> str:
    """A payment batch's message or a problem's reason in the active language (as stored when unknown)."""
    return CATALOGUE.render(message)


def batch_problems(batch) -> list[dict]:
    """The batch's problems (line, column, reason) with each reason in the active language."""
    return [{**e, "reason": batch_text(e.get("reason", ""))} for e in batch.errors or []]


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of a service's ValidationError in the active language (as raised when unknown)."""
    return [batch_text(str(m)) for m in exc.messages]


def add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on a form, in the active language: a field's errors on that field when the
    form has it, the rest on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            form.add_error(target, [batch_text(str(e)) for e in errors])
    else:
        form.add_error(None, error_messages(exc))


def guardrails_text(breaches) -> str:
    """Why a promise or a plan is outside the guardrails, in the active language."""
    return "; ".join(batch_text(b) for b in breaches or [])

