"""Reads for validation notices: the account's itemization and the notice content built from it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Case, CharField, F, Sum, When

from accounts.models import Account, LedgerEntry
from accounts.models.parties import ContactStatus

from .content import itemization_since, validation_notice_content


def notice_itemization_totals(*, account: Account) -> dict:
    """Interest, fees and payments/credits posted after the itemization date: one aggregate query.

    Entries on the itemization date are part of the amount owed then. A reversal counts under the
    kind of the entry it reverses, so a reversed interest charge lowers interest and a returned
    payment lowers payments and credits.
    """
    if account.itemization_date is None:
        return itemization_since({})
    effective_kind = Case(When(kind="reversal", reverses__isnull=False, then=F("reverses__kind")),
                          default=F("kind"), output_field=CharField())
    rows = (LedgerEntry.objects.filter(account=account, posted_date__gt=account.itemization_date)
            .annotate(effective_kind=effective_kind).values("effective_kind")
            .annotate(net=Sum("amount")).order_by())
    return itemization_since({row["effective_kind"]: row["net"] for row in rows})


def itemization_date_type(account: Account) -> str:
    """Which 1006.34(b)(3) reference date the itemization date is.

    The account stores the date, not its type: a date equal to the charge-off or last-payment date
    is that; any other date is taken to be the last statement date, the placement file's default.
    """
    if account.itemization_date is None:
        return ""
    if account.itemization_date == account.charge_off_date:
        return "charge_off_date"
    if account.itemization_date == account.last_payment_date:
        return "last_payment_date"
    return "last_statement_date"


def mailing_address(account: Account):
    """The debtor's primary usable postal address, or None."""
    return (account.debtor.addresses.filter(status=ContactStatus.ACTIVE)
            .order_by("-is_primary", "id").first())


def notice_reference(account: Account) -> str:
    """The reference the consumer quotes when paying or writing; not the creditor's account number."""
    return f"A{account.pk:07d}"


def validation_notice_content_for_account(*, account: Account, language: str, sent_on: date,
                                          end_date: date | None = None) -> dict:
    """The notice content for ``account`` from the database (unvalidated: see validate_notice_content)."""
    address = mailing_address(account)
    consumer = {"name": account.debtor.display_name}
    if address is not None:
        consumer.update(address_line1=address.line1, address_line2=address.line2, city=address.city,
                        state=address.state, zip=address.zip)
    debt = {
        "reference": notice_reference(account),
        "account_number": account.creditor_account_number,
        "creditor_on_itemization_date": account.original_creditor or account.creditor.name,
        "current_creditor": account.creditor.name,
        "itemization_date": account.itemization_date,
        "itemization_date_type": itemization_date_type(account),
        "amount_on_itemization_date": account.itemization_balance,
        "ledger_balance": account.current_balance,
    }
    return validation_notice_content(
        collector=settings.COLLECTOR_PROFILE, consumer=consumer, debt=debt,
        totals=notice_itemization_totals(account=account), sent_on=sent_on, language=language,
        end_date=end_date)
