"""Lockbox (payment batch) messages in the reader's language.

payments.batch writes the batch's message and each problem's reason in English (kept as written: the batch
record and the API); the batch page renders them through these templates (accounts.texts). The cell
parsers' own words (amounts, dates, the file as a whole) are the ledger import's (accounts.imports.texts).
"""

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

CATALOGUE = Catalogue(messages=MESSAGES + CELL_ERRORS + FILE_ERRORS, parts=CELL_ERRORS + FILE_ERRORS)


def batch_text(message: str) -> str:
    """A payment batch's message or a problem's reason in the active language (as stored when unknown)."""
    return CATALOGUE.render(message)


def batch_problems(batch) -> list[dict]:
    """The batch's problems (line, column, reason) with each reason in the active language."""
    return [{**e, "reason": batch_text(e.get("reason", ""))} for e in batch.errors or []]
