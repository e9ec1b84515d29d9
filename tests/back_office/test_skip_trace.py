"""Skip tracing as a case (issue 13, part 2): a lost debtor opens a case, sources are tried, new contact
points carry their source (the gate reads number_source), location calls are limited to once per third
party (15 USC 1692b(3)), and the located account returns to its queue."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Address, AuditEvent, Phone
from accounts.models.parties import ContactStatus
from collections_app.models import SkipSearch, SkipStatus, SkipTraceCase, WorkItem
from collections_app.skiptrace import services as skip
from collections_app.skiptrace import vendor
from collections_app.worklist.contact_points import contact_point_mark
from collections_app.worklist.rescoring import rescore_account
from compliance.gate import build_context, location_contact_check
from compliance.models import ContactAttempt
from tests.factories import AccountFactory, DebtorFactory
from tests.worklist.support import NOW, debt, team_with_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost(users):
    """An account on a queue whose debtor's mail came back and whose one phone is then marked wrong."""
    team, _queue = team_with_queue()
    account = debt()
    rescore_account(account_id=account.pk)
    assert WorkItem.objects.get(pk=account.pk).ready
    Address.objects.filter(debtor=account.debtor).update(status=ContactStatus.RETURNED)
    phone = account.debtor.phones.get()
    contact_point_mark(account=account, kind="phone", contact_id=phone.pk, action="wrong", user=users["collector"])
    return account


def test_last_failed_contact_point_opens_a_case_and_takes_the_account_off_the_list(lost):
    case = SkipTraceCase.objects.get(account=lost)
    assert case.status == SkipStatus.OPEN and case.reason == "contacts_failed"
    item = WorkItem.objects.get(pk=lost.pk)
    assert item.hold_reason == f"skip trace #{case.pk} open" and not item.ready
    # opening again (a second failure, the nightly sweep) finds the live case
    assert skip.skip_case_open_if_lost(account=lost) == case
    assert skip.skip_cases_sweep() == {"opened": 0}


def test_debtor_with_a_working_phone_is_not_lost():
    account = debt()
    Address.objects.filter(debtor=account.debtor).update(status=ContactStatus.RETURNED)
    assert skip.lost_reason(account=account) is None
    assert skip.skip_case_open_if_lost(account=account) is None


def test_sweep_opens_cases_for_debtors_with_no_address_at_all():
    nowhere = AccountFactory(debtor=DebtorFactory(), status="active")
    assert skip.skip_cases_sweep() == {"opened": 1}
    assert SkipTraceCase.objects.get(account=nowhere).reason == "address_unknown"
    assert skip.skip_cases_sweep() == {"opened": 0}  # idempotent


def test_skip_trace_lifecycle_open_searching_located_back_on_the_queue(lost, users):
    user = users["collector"]
    case = SkipTraceCase.objects.get(account=lost)
    skip.skip_search_record(case=case, source="creditor_file", user=user, detail="same returned address")
    case.refresh_from_db()
    assert case.status == SkipStatus.SEARCHING
    with pytest.raises(ValidationError, match="before marking the case located"):
        skip.skip_case_locate(case=case, user=user)
    search = skip.skip_search_record(case=case, source="credit_bureau_header", user=user,
                                     result=SkipSearch.Result.HIT)
    lead = skip.skip_lead_add(case=case, source="credit_bureau_header", kind="address", user=user, search=search,
                              line1="77 Elm St", city="Decatur", state="ga", zip_code="30030")
    phone_lead = skip.skip_lead_add(case=case, source="public_records", kind="phone", user=user,
                                    value="(404) 555-0199")
    address = Address.objects.get(pk=lead.contact_id)
    assert (address.source, address.state, address.status, address.is_primary) == (
        "credit_bureau_header", "GA", "active", True)
    assert Phone.objects.get(pk=phone_lead.contact_id).source == "public_records"
    skip.skip_case_locate(case=case, user=user, notes="confirmed by bureau header")
    case.refresh_from_db()
    assert case.status == SkipStatus.LOCATED and case.located_at is not None
    item = WorkItem.objects.get(pk=lost.pk)
    assert item.hold_reason == "" and item.ready and item.queue_id is not None  # back on its queue
    skip.skip_case_close(case=case, user=user)
    case.refresh_from_db()
    assert case.status == SkipStatus.CLOSED
    with pytest.raises(ValidationError, match="cannot move from 'closed'"):
        skip.skip_case_status_change(case=case, to_status=SkipStatus.SEARCHING)
    summaries = list(AuditEvent.objects.filter(object_type="collections_app.SkipTraceCase", object_id=str(case.pk))
                     .values_list("summary", flat=True))
    assert any("opened" in s for s in summaries) and any("located" in s for s in summaries)
    assert any("closed" in s for s in summaries) and any("Credit-bureau header" in s for s in summaries)


def test_not_found_keeps_the_account_off_the_list_until_a_new_source_finds_the_debtor(lost, users):
    case = SkipTraceCase.objects.get(account=lost)
    skip.skip_case_not_found(case=case, user=users["collector"], notes="every source tried")
    assert WorkItem.objects.get(pk=lost.pk).hold_reason.startswith("skip trace")
    skip.skip_lead_add(case=case, source="loan_documents", kind="phone", value="4045550142", user=users["collector"])
    case.refresh_from_db()
    assert case.status == SkipStatus.SEARCHING


def test_new_number_source_reaches_the_gate_as_number_source(lost, users):
    case = SkipTraceCase.objects.get(account=lost)
    skip.skip_lead_add(case=case, source="vendor_batch", kind="phone", value="4045550177", user=users["collector"])
    ctx = build_context(account=lost, action={"channel": "call", "to": "+14045550177"}, now=NOW)
    phone = next(p for p in ctx["facts"]["consumer"]["phones"] if p.get("number") == "+14045550177")
    assert phone["number_source"] == "skip_trace_vendor"


def test_location_call_once_per_third_party_unless_they_ask(lost, users):
    user = users["collector"]
    case = SkipTraceCase.objects.get(account=lost)
    first = skip.skip_location_call(case=case, to="404-555-0300", name="Neighbour Ann", relationship="neighbor",
                                    outcome="conversation", user=user, now=NOW)
    assert first.status == "allowed" and first.third_party_id == "TP-14045550300"
    assert first.recipient == "third_party" and first.purpose == "location_information"
    again = skip.skip_location_call(case=case, to="4045550300", name="Neighbour Ann", relationship="neighbor",
                                    outcome="conversation", user=user, now=NOW + timedelta(days=8))
    assert again.status == "blocked" and again.decision["reasons"] == ["LOCATION_CONTACT_REPEAT"]
    # another third party is a first contact
    other = skip.skip_location_call(case=case, to="4045550301", name="Landlord", relationship="landlord",
                                    outcome="answered_other_person", user=user, now=NOW + timedelta(days=8))
    assert other.status == "allowed"
    # the collector's reasonable belief that the earlier answer was wrong allows one more (1692b(3))
    check = location_contact_check(account=lost, to="4045550300", relationship="neighbor", earlier_answer_wrong=True,
                                   now=NOW + timedelta(days=9))
    assert check["decision"] == "allow"


def test_third_party_who_asks_to_be_called_back_may_be_called_once_more(lost, users):
    user = users["collector"]
    case = SkipTraceCase.objects.get(account=lost)
    skip.skip_location_call(case=case, to="4045550310", relationship="coworker", outcome="conversation", user=user,
                            asked_to_be_called_again=True, now=NOW)
    # (the 7 days after a conversation with a person apply to them too: 12 CFR 1006.14(b)(2)(i)(B))
    second = skip.skip_location_call(case=case, to="4045550310", relationship="coworker", outcome="conversation",
                                     user=user, now=NOW + timedelta(days=8))
    assert second.status == "allowed"
    third = skip.skip_location_call(case=case, to="4045550310", relationship="coworker", outcome="conversation",
                                    user=user, now=NOW + timedelta(days=16))
    assert third.status == "blocked" and third.decision["reasons"] == ["LOCATION_CONTACT_REPEAT"]


def test_location_calls_stop_once_the_debtor_is_located(lost, users):
    case = SkipTraceCase.objects.get(account=lost)
    skip.skip_lead_add(case=case, source="public_records", kind="address", line1="5 Oak Ave", city="Atlanta",
                       state="GA", zip_code="30303", user=users["collector"])
    attempt = skip.skip_location_call(case=case, to="4045550320", relationship="neighbor", outcome="conversation",
                                      user=users["collector"], now=NOW)
    assert attempt.status == "blocked" and "THIRD_PARTY_DISCLOSURE" in attempt.decision["reasons"]


def test_location_calls_are_not_the_consumers_calls(lost, users):
    """A third party's call is counted for them (comment 14(b)(4)-1), and a spouse is the consumer."""
    case = SkipTraceCase.objects.get(account=lost)
    skip.skip_location_call(case=case, to="4045550330", relationship="neighbor", outcome="conversation",
                            user=users["collector"], now=NOW)
    ctx = build_context(account=lost, action={"channel": "call", "to": "+14045550330"}, now=NOW)
    entry = ctx["facts"]["contact_history"][0]
    assert entry["recipient"] == "third_party" and entry["recipient_person_id"] == "TP-14045550330"
    assert ctx["facts"]["initial_communication"] is None
    with pytest.raises(ValidationError, match="counts as the consumer"):
        skip.skip_location_call(case=case, to="4045550331", relationship="spouse", outcome="conversation",
                                user=users["collector"], now=NOW)
    assert ContactAttempt.objects.filter(account=lost).count() == 1


def test_vendor_batch_round_trip_with_hard_limits(lost, users):
    user = users["supervisor"]
    case = SkipTraceCase.objects.get(account=lost)
    batch, text = vendor.vendor_batch_create(user=user)
    assert text.splitlines()[0].startswith("case_id,account_number") and str(case.pk) in text.splitlines()[1]
    too_big = io.BytesIO(b"case_id,phone\n" + b"1,4045550100\n" * (vendor.MAX_BYTES // 10))
    with pytest.raises(ValidationError, match="larger than"):
        vendor.vendor_batch_load(batch=batch, file=too_big, user=user)
    wide = io.BytesIO(b"case_id,phone\n" + f"{case.pk},{'9' * 500}\n".encode())
    with pytest.raises(ValidationError, match="longer than 200"):
        vendor.vendor_batch_load(batch=batch, file=wide, user=user)
    assert not Phone.objects.filter(source="skip_trace_vendor").exists()  # a refused file writes nothing
    good = (f"case_id,phone,address_line1,city,state,zip\r\n{case.pk},404-555-0188,9 Pine Rd,Atlanta,GA,30303\r\n"
            "999999,4045550111,,,,\r\nabc,,,,,\r\n").encode()
    result = vendor.vendor_batch_load(batch=batch, file=io.BytesIO(good), user=user)
    assert (result["rows"], result["hits"], result["error_count"]) == (3, 2, 2)
    assert [e["line"] for e in result["errors"]] == [3, 4]
    assert Phone.objects.get(number="+14045550188").source == "skip_trace_vendor"
    assert SkipSearch.objects.get(vendor_batch=batch).result == "hit"
    assert vendor.vendor_batch_load(batch=batch, file=io.BytesIO(good), user=user)["replayed"] is True
    with pytest.raises(ValidationError, match="already has its results"):
        vendor.vendor_batch_load(batch=batch, file=io.BytesIO(good + b"x"), user=user)


def test_the_night_opens_cases_for_lost_debtors():
    from collections_app.nightly import run_night

    AccountFactory(debtor=DebtorFactory(), status="new")
    night = run_night(only=["skip_trace"])
    assert night["skip_trace"]["opened"] == 1
    assert run_night(only=["skip_trace"])["skip_trace"]["opened"] == 0


def test_the_retention_purge_blanks_a_location_calls_third_party():
    """The third party's name and number-based id are personal data: redacted with the rest of the attempt."""
    from datetime import UTC, datetime

    from compliance.retention.services import _redact_attempts

    account = AccountFactory(debtor=DebtorFactory(), status="closed")
    old = ContactAttempt.objects.create(
        account=account, debtor=account.debtor, channel="call", to="+14045550300", outcome="conversation",
        notes="neighbour says moved", debt_ids=[str(account.pk)], idempotency_key="old-location-call",
        requested_at=datetime(2021, 1, 5, 15, 0, tzinfo=UTC), status="allowed",
        decision={"decision": "allow", "reasons": []}, context={"facts": {}}, recipient="third_party",
        purpose="location_information", third_party_id="TP-14045550300", third_party_name="Neighbour Ann")
    assert _redact_attempts([old.pk]) == 1
    old.refresh_from_db()
    assert (old.third_party_name, old.third_party_id, old.to, old.notes) == ("", "", "", "")
    assert (old.recipient, old.purpose, old.decision["decision"]) == ("third_party", "location_information", "allow")


def test_the_collector_marks_returned_mail_on_the_address_and_a_lost_debtor_opens_a_case(client, users):
    from django.urls import reverse

    team_with_queue()
    account = debt()
    rescore_account(account_id=account.pk)
    phone = account.debtor.phones.get()
    contact_point_mark(account=account, kind="phone", contact_id=phone.pk, action="wrong", user=users["collector"])
    assert not SkipTraceCase.objects.filter(account=account).exists()  # the address still stands
    address = Address.objects.get(debtor=account.debtor)
    with pytest.raises(ValidationError, match="address can be marked"):
        contact_point_mark(account=account, kind="address", contact_id=address.pk, action="disconnected",
                           user=users["collector"])
    client.force_login(users["collector"])
    client.post(reverse("worklist:contact_point_mark", args=[account.pk, "address", address.pk]),
                {"action": "returned"})
    address.refresh_from_db()
    assert address.status == ContactStatus.RETURNED
    assert SkipTraceCase.objects.get(account=account).reason == "contacts_failed"
    page = client.get(reverse("account-workspace", args=[account.pk])).content.decode()
    assert 'data-testid="mark-returned"' in page


def test_the_nightly_sweep_opens_at_most_its_daily_share_and_a_rerun_opens_nothing():
    for _ in range(3):
        AccountFactory(debtor=DebtorFactory(), status="active")
    assert skip.skip_cases_sweep(limit=2) == {"opened": 2}
    assert skip.skip_cases_sweep(limit=2) == {"opened": 0}  # same day: the night's rerun changes nothing
    assert SkipTraceCase.objects.count() == 2
