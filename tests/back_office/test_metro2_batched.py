"""The streamed, batched Metro 2 run writes the same file and the same per-account outcomes as asking the gate
account by account, whatever the chunk size; its queries per chunk do not grow with the chunk."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Account
from compliance.bureau.services import metro2_build, metro2_run_create
from compliance.bureau.validate import validate_metro2
from compliance.models import Metro2Record, Metro2Run
from tests.gate.batch_portfolio import portfolio as varied_portfolio

from .support import AS_OF, NOW, PLACED, portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _both_portfolios():
    creditor, _ = portfolio()
    varied = varied_portfolio(creditor)
    Account.objects.filter(creditor=creditor).update(placed_at=PLACED)
    # some of the varied accounts were furnished in September (updates, not initial reports); the settled one
    # never was (skipped: nothing to correct)
    september = Metro2Run.objects.get(creditor=creditor, as_of=date(2026, 9, 30))
    for key in ("dispute_open", "dispute_investigated", "paid", "recalled", "medical_small", "open"):
        Metro2Record.objects.create(run=september, account=varied[key], outcome="reported", account_status="93",
                                    date_of_first_delinquency=date(2025, 3, 15))
    return creditor, varied


def _outcomes(built):
    return [(i["account"].pk, i["outcome"], i["reasons"], i["detail"], i.get("line_no"), i.get("account_status"),
             i.get("compliance_condition_code"), i.get("current_balance")) for i in built["items"]]


@pytest.mark.parametrize("chunk_size", [2000, 4])
def test_batched_run_writes_the_file_the_one_at_a_time_run_writes(chunk_size):
    creditor, _ = _both_portfolios()
    slow = metro2_build(creditor=creditor, as_of=AS_OF, now=NOW, batched=False)
    fast = metro2_build(creditor=creditor, as_of=AS_OF, now=NOW, batched=True, chunk_size=chunk_size)
    assert fast["text"] == slow["text"]
    assert _outcomes(fast) == _outcomes(slow)
    assert (fast["totals"], fast["records"], fast["blocked"], fast["skipped"]) == \
        (slow["totals"], slow["records"], slow["blocked"], slow["skipped"])
    assert validate_metro2(fast["text"]).valid
    # varied enough to mean something: all three outcomes, several gate reasons and the pre-gate holds
    assert {"reported", "blocked", "skipped"} == {i["outcome"] for i in fast["items"]}
    reasons = {r for i in fast["items"] for r in i["reasons"]}
    assert {"PASSIVE_COLLECTION_NOT_SATISFIED", "MEDICAL_UNDER_500", "STATE_MEDICAL_REPORTING_BAN",
            "FRAUD_CLAIM_HOLD"} <= reasons, reasons
    assert fast["records"] >= 8 and fast["accounts"] == Account.objects.filter(creditor=creditor).exclude(
        debt_type="commercial").count()


def test_stored_run_equals_the_in_memory_build_and_queries_do_not_grow_with_the_portfolio():
    creditor, _ = _both_portfolios()
    expected = metro2_build(creditor=creditor, as_of=AS_OF, now=NOW)
    with CaptureQueriesContext(connection) as one_chunk:
        run = metro2_run_create(creditor=creditor, as_of=AS_OF, now=NOW, chunk_size=2000)
    assert run.file.open("rb").read().decode("ascii") == expected["text"]
    assert (run.records, run.blocked, run.skipped) == (expected["records"], expected["blocked"], expected["skipped"])
    assert list(run.items.order_by("account_id").values_list("account_id", "outcome", "reasons")) == sorted(
        (i["account"].pk, i["outcome"], i["reasons"]) for i in expected["items"])
    # 24 accounts in one chunk: a fixed set of queries, not ~22 per account
    assert len(one_chunk) < 60, len(one_chunk)
    with CaptureQueriesContext(connection) as six_chunks:
        metro2_run_create(creditor=creditor, as_of=AS_OF, now=NOW, chunk_size=4)
    per_chunk = (len(six_chunks) - 15) / 6
    assert per_chunk < 40, [q["sql"][:80] for q in six_chunks.captured_queries]
