"""Generating a notice from the database: itemization query, storage, record, and the letter through the gate."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import EntryKind, EntrySource
from accounts.services import ledger_entry_post, ledger_entry_reverse
from compliance.models import AttemptStatus, AuditEvent, Bankruptcy, ContactAttempt, ValidationNotice
from compliance.notices.content import NoticeContentIncomplete, validate_notice_content
from compliance.notices.selectors import notice_itemization_totals, validation_notice_content_for_account
from compliance.notices.services import ValidationNoticeBlocked, validation_notice_generate
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, UserFactory
from tests.notices.test_render import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db
ITEMIZED = date(2025, 1, 15)
SENT = date(2025, 6, 2)
MAILING_DAY = datetime(2025, 6, 2, 15, 0, tzinfo=UTC)  # the gate judges the letter on the mailing day


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post(account, kind, amount, on):
    entry, _ = ledger_entry_post(account=account, kind=kind, amount=amount, posted_date=on, source=EntrySource.USER)
    return entry


def itemized_account(*, address=True, balance="1000.00", **kwargs):
    debtor = DebtorFactory(first_name="Pat", last_name="Doe")
    if address:
        AddressFactory(debtor=debtor, line1="12 Oak St", city="Atlanta", state="GA", zip="30303")
    account = AccountFactory(debtor=debtor, creditor__name="Acme Bank, N.A.", original_creditor="Acme Bank, N.A.",
                             creditor_account_number="4111222233334421", itemization_date=ITEMIZED,
                             itemization_balance=D(balance), **kwargs)
    post(account, EntryKind.CHARGE, balance, ITEMIZED)
    return account


@pytest.fixture
def user():
    return UserFactory(roles=["compliance"])


def test_itemization_is_summed_by_kind_in_one_query_with_reversals_under_their_kind(django_assert_num_queries):
    account = itemized_account()
    post(account, EntryKind.INTEREST, "7.00", ITEMIZED)  # on the itemization date: part of the amount then
    post(account, EntryKind.INTEREST, "20.00", ITEMIZED + timedelta(days=30))
    ledger_entry_reverse(entry=post(account, EntryKind.INTEREST, "5.00", ITEMIZED + timedelta(days=31)),
                         reason="waived")
    post(account, EntryKind.FEE, "25.00", ITEMIZED + timedelta(days=40))
    post(account, EntryKind.PAYMENT, "-100.00", ITEMIZED + timedelta(days=50))
    ledger_entry_reverse(entry=post(account, EntryKind.PAYMENT, "-50.00", ITEMIZED + timedelta(days=60)),
                         reason="NSF")
    with django_assert_num_queries(1):
        totals = notice_itemization_totals(account=account)
    assert (totals["interest"], totals["fees"], totals["payments_and_credits"]) == (
        D("20.00"), D("25.00"), D("100.00"))


cents = st.integers(min_value=-10**6, max_value=10**6).map(lambda c: D(c).scaleb(-2))
entries = st.lists(st.tuples(st.sampled_from(EntryKind.values), cents, st.integers(min_value=-60, max_value=60)),
                   max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger=entries)
def test_notice_from_any_ledger_reconciles_with_the_booked_balance(ledger):
    account = AccountFactory(itemization_date=ITEMIZED, itemization_balance=D("0.00"))
    AddressFactory(debtor=account.debtor)
    for kind, amount, offset in ledger:
        post(account, kind, amount, ITEMIZED + timedelta(days=offset))
    then = sum((a for _, a, offset in ledger if offset <= 0), D("0.00"))
    account.itemization_balance = then
    account.save(update_fields=["itemization_balance"])
    account.refresh_from_db()
    content = validation_notice_content_for_account(account=account, language="en", sent_on=SENT)
    assert content["current_amount"] == account.current_balance
    assert (then + content["interest_since_itemization_date"] + content["fees_since_itemization_date"]
            - content["payments_and_credits_since_itemization_date"] == account.current_balance)
    assert "itemization_reconciles" not in validate_notice_content(content)


def test_generate_stores_records_and_mails_the_notice_through_the_gate(user):
    account = itemized_account()
    post(account, EntryKind.INTEREST, "18.27", ITEMIZED + timedelta(days=10))
    notice, path = validation_notice_generate(account=account, language="en", sent_on=SENT, user=user, now=MAILING_DAY)
    assert path.startswith(f"notices/{account.pk}/validation-notice-{account.pk}-2025-06-02-en-")
    assert notice.pdf.name == path and default_storage.exists(path)
    with default_storage.open(path, "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and "$1,018.27" in pdf_text(pdf) and "July 9, 2025" in pdf_text(pdf)
    assert (notice.sent_on, notice.stated_end_date, notice.language, notice.addressee, notice.method) == (
        SENT, date(2025, 7, 9), "en", "Pat Doe", "mail")
    attempt = ContactAttempt.objects.get(account=account)
    assert attempt.channel == "letter" and attempt.status == AttemptStatus.QUEUED
    assert attempt.to == "12 Oak St, Atlanta, GA 30303"
    assert attempt.content["pdf"] == path and attempt.content["letter_type"] == "validation_notice"
    assert attempt.content["validation_notice"]["current_amount"] == 1018.27
    assert attempt.context["action"]["letter_type"] == "validation_notice"
    assert AuditEvent.objects.filter(object_type="compliance.ValidationNotice", object_id=str(notice.pk)).exists()


def test_generating_the_same_notice_twice_changes_nothing(user):
    account = itemized_account()
    options = {"account": account, "language": "en", "sent_on": SENT, "user": user, "now": MAILING_DAY}
    first, path = validation_notice_generate(**options)
    again, again_path = validation_notice_generate(**options)
    assert (again.pk, again_path) == (first.pk, path)
    assert ValidationNotice.objects.filter(account=account).count() == 1
    assert ContactAttempt.objects.filter(account=account).count() == 1


def test_spanish_notice_encloses_the_english_one_unless_english_was_sent_before(user):
    account = itemized_account()
    notice, path = validation_notice_generate(account=account, language="es", sent_on=SENT, user=user, now=MAILING_DAY)
    with default_storage.open(path, "rb") as handle:
        pdf = handle.read()
    assert pdf_pages(pdf) == 2 and "9 de julio de 2025" in pdf_text(pdf) and "July 9, 2025" in pdf_text(pdf)
    assert ContactAttempt.objects.get(account=account).content["languages"] == ["es", "en"]

    other = itemized_account()
    validation_notice_generate(account=other, language="en", sent_on=SENT, user=user, now=MAILING_DAY)
    _, later = validation_notice_generate(account=other, language="es", sent_on=SENT + timedelta(days=3), user=user,
                                           now=MAILING_DAY + timedelta(days=3))
    with default_storage.open(later, "rb") as handle:
        assert pdf_pages(handle.read()) == 1


def test_incomplete_notice_is_refused_by_name_and_nothing_is_stored_or_sent(user, tmp_path):
    account = itemized_account(address=False)
    with pytest.raises(NoticeContentIncomplete) as excinfo:
        validation_notice_generate(account=account, language="en", sent_on=SENT, user=user, now=MAILING_DAY)
    assert excinfo.value.missing == ["consumer_mailing_address", "response_mailing_addresses"]
    assert not ValidationNotice.objects.exists() and not ContactAttempt.objects.exists()
    assert not (tmp_path / "notices").exists()


def test_a_letter_the_gate_blocks_is_logged_but_not_recorded_as_provided(user):
    account = itemized_account()
    Bankruptcy.objects.create(debtor=account.debtor, chapter=7, case_number="25-10001", filed_on=date(2025, 5, 1))
    with pytest.raises(ValidationNoticeBlocked) as excinfo:
        validation_notice_generate(account=account, language="en", sent_on=SENT, user=user, now=MAILING_DAY)
    assert excinfo.value.attempt.status == AttemptStatus.BLOCKED
    assert "gate blocked the validation notice" in str(excinfo.value)
    assert not ValidationNotice.objects.filter(account=account).exists()
    assert ContactAttempt.objects.filter(account=account, status=AttemptStatus.BLOCKED).count() == 1


def test_unsupported_language_is_refused(user):
    with pytest.raises(ValueError, match="Unsupported notice language 'fr'"):
        validation_notice_generate(account=itemized_account(), language="fr", sent_on=SENT, user=user, now=MAILING_DAY)
