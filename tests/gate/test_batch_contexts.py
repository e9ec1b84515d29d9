"""The batched gate (``decide_many`` / ``build_contexts``) gives every account exactly the context and the
decision the one-account path (``build_context`` / ``credit_report_check``) gives it, in a fixed number of
queries per chunk, over a hand-built portfolio with one account per reporting case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.gate import build_context, credit_report_check, decide_many
from compliance.gate.batch import QUERIES_PER_CHUNK, build_contexts

from .batch_portfolio import NOW, portfolio

pytestmark = pytest.mark.django_db

DEBT_STATUS = {"paid": {"paid_in_full_on": "2026-10-20"},
               "settled": {"paid_in_full_on": "2026-10-20", "settled_on": "2026-10-20", "settled_for_less": True},
               "recalled": {"recalled_on": "2026-10-25"}}
STATUS = {"paid": "62", "settled": "62", "recalled": "DA"}


def _requests(a: dict, *, previously_furnished: bool) -> list[dict]:
    out = []
    for key, account in a.items():
        ccc = "XB" if key == "dispute_open" else ("XH" if key == "dispute_investigated" else "")
        metro2 = {"account_status": STATUS.get(key, "93"), "current_balance": int(account.current_balance),
                  "compliance_condition_code": ccc, "special_comment": "AU" if key == "settled" else "",
                  "payment_rating": "", "account_type": "48", "consumer_information_indicator": "",
                  "date_of_first_delinquency": "2025-03-15"}
        last = {"compliance_condition_code": "", "date_of_first_delinquency": "2025-03-15"} \
            if previously_furnished else None
        out.append({"account": account, "metro2": metro2, "previously_furnished": previously_furnished,
                    "last_furnished": last, "debt_status": DEBT_STATUS.get(key)})
    return out


def _one_at_a_time(requests):
    return [credit_report_check(account=r["account"], metro2=r["metro2"], now=NOW,
                                previously_furnished=r["previously_furnished"], last_furnished=r["last_furnished"],
                                debt_status=r["debt_status"]) for r in requests]


@pytest.mark.parametrize("previously_furnished", [False, True])
@pytest.mark.parametrize("chunk_size", [2000, 3])
def test_decide_many_gives_every_account_the_one_at_a_time_decision(previously_furnished, chunk_size):
    a = portfolio()
    requests = _requests(a, previously_furnished=previously_furnished)
    single = _one_at_a_time(requests)
    batched = decide_many(requests, channel="credit_report", at=NOW, chunk_size=chunk_size)
    for key, one, many in zip(a, single, batched, strict=True):
        assert many == one, key
    # the portfolio is varied: both outcomes and several distinct reasons occur
    reasons = {r for d in single for r in d["reasons"]}
    assert {"allow", "block"} == {d["decision"] for d in single}
    assert {"MEDICAL_UNDER_500", "STATE_MEDICAL_REPORTING_BAN", "MEDICAL_WAITING_PERIOD"} <= reasons, reasons
    assert ("PASSIVE_COLLECTION_NOT_SATISFIED" in reasons) is not previously_furnished, reasons


def test_batched_contexts_equal_the_one_account_contexts_fact_for_fact():
    a = portfolio()
    action = {"channel": "credit_report", "recipient": "cra", "purpose": "collection", "direction": "outbound"}
    batched = build_contexts(accounts=list(a.values()), now=NOW, action=action)
    for key, account in a.items():
        assert batched[account.pk] == build_context(account=account, action=action, now=NOW), key
    # the facts really differ between accounts (a builder that ignored its rows would fail above)
    shared = batched[a["shared_ceased"].pk]["facts"]
    assert shared["cease_notice"] and shared["consumer"]["attorney"]
    other = batched[a["shared_other"].pk]["facts"]
    assert other["cease_notice"] is None and other["consumer"]["attorney"] is None
    assert other["consumer"]["direct_prior_consents"] and not shared["consumer"]["direct_prior_consents"]
    talked = batched[a["open"].pk]["facts"]
    assert [e["outcome"] for e in talked["contact_history"]] == ["conversation", "received"]
    assert talked["credit_reporting"]["undeliverable_notices"] and talked["original_creditor_requests"]
    assert talked["cease_notice"] is None


def test_a_chunk_costs_the_same_fixed_number_of_queries_whatever_its_size():
    a = portfolio()
    accounts = list(a.values())
    with CaptureQueriesContext(connection) as few:
        build_contexts(accounts=accounts[:2], now=NOW)
    with CaptureQueriesContext(connection) as many:
        build_contexts(accounts=accounts, now=NOW)
    assert len(many) == len(few) or len(many) == len(few) + 1  # + medical details when the chunk has some
    assert len(many) <= QUERIES_PER_CHUNK
    with CaptureQueriesContext(connection) as decided:
        decide_many(_requests(a, previously_furnished=True), channel="credit_report", at=NOW)
    assert len(decided) <= QUERIES_PER_CHUNK + 1  # + the policy table, once


def test_decide_many_refuses_other_channels():
    with pytest.raises(ValueError, match="credit_report"):
        decide_many([], channel="call", at=NOW)
