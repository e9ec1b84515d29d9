"""A complete notice to start from: Pat Doe owes Acme Bank $1,843.27, notice mailed Mon 2025-06-02."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from compliance.notices.content import validation_notice_content

D = Decimal
COLLECTOR = {
    "name": "Northstar Recovery LLC", "address_line1": "PO Box 4410", "address_line2": "", "city": "Atlanta",
    "state": "GA", "zip": "30302", "phone": "(800) 555-0142", "hours": "Mon-Fri 8-8 ET",
    "website": "www.northstar-recovery.example", "accepts_electronic_disputes": True,
    "electronic_dispute_address": "www.northstar-recovery.example/dispute",
}
CONSUMER = {"name": "Pat Doe", "address_line1": "12 Oak St", "city": "Atlanta", "state": "GA", "zip": "30303"}
DEBT = {
    "reference": "A0000042", "account_number": "4111-2222-3333-4421",
    "creditor_on_itemization_date": "Acme Bank, N.A.", "current_creditor": "Acme Bank, N.A.",
    "itemization_date": date(2025, 3, 31), "itemization_date_type": "last_statement_date",
    "amount_on_itemization_date": D("1700.00"),
}
TOTALS = {"interest": D("118.27"), "fees": D("25.00"), "payments_and_credits": D("0.00")}


def notice(*, language="en", sent_on=date(2025, 6, 2), collector=None, consumer=None, debt=None, totals=None,
           **kwargs) -> dict:
    return validation_notice_content(
        collector={**COLLECTOR, **(collector or {})}, consumer={**CONSUMER, **(consumer or {})},
        debt={**DEBT, **(debt or {})}, totals={**TOTALS, **(totals or {})}, sent_on=sent_on, language=language,
        **kwargs)
