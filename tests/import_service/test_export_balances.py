import csv
import json
from datetime import date

import pytest
from django.core.management import call_command

from accounts.models import EntryKind, EntrySource
from accounts.services import ledger_entry_post
from compliance.models import AuditEvent
from tests.factories import AccountFactory, CreditorFactory

pytestmark = pytest.mark.django_db


def test_export_balances_writes_reconciliation_csv_escapes_formulas_and_is_audited(tmp_path, capsys):
    creditor = CreditorFactory(code="RECON")
    a = AccountFactory(creditor=creditor, creditor_account_number="=HYPERLINK(1)")
    b = AccountFactory(creditor=creditor, creditor_account_number="A-2")
    AccountFactory(creditor_account_number="OTHER")  # another creditor's account stays out
    ledger_entry_post(account=a, kind=EntryKind.CHARGE, amount="10.50", posted_date=date(2025, 1, 1),
                      source=EntrySource.USER)
    ledger_entry_post(account=b, kind=EntryKind.ADJUSTMENT, amount="-3.00", posted_date=date(2025, 1, 1),
                      source=EntrySource.USER)
    out = tmp_path / "balances.csv"
    call_command("export_balances", "--creditor", "RECON", "--out", str(out))
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary == {"status": "ok", "creditor": "RECON", "accounts": 2, "out": str(out)}
    rows = list(csv.reader(out.open()))
    assert rows == [["creditor_account_number", "current_balance"], ["'=HYPERLINK(1)", "10.50"], ["A-2", "-3.00"]]
    event = AuditEvent.objects.get(action="export")
    assert "2 accounts of RECON" in event.summary
