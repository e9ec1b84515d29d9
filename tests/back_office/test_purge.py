"""The retention purge: personal data gone, money facts kept, holds respected, certificate written, rerun a no-op."""

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from accounts.models import Account, Address, Debtor, Email, ImportBatch, LedgerEntry, Phone
from compliance.models import AuditEvent, ContactAttempt, MedicalDetail, PurgeRun, ValidationNotice
from compliance.retention.services import purge_run
from compliance.services.holds import place_hold, release_hold
from tests.factories import AccountFactory, CreditorFactory, DebtorFactory

pytestmark = pytest.mark.django_db
OLD = datetime(2021, 3, 1, 15, 0, tzinfo=UTC)
RECENT = datetime(2025, 9, 1, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _debtor(name):
    debtor = DebtorFactory(first_name=name, last_name=f"{name}son", date_of_birth=date(1970, 1, 2), ssn_last4="1234")
    Address.objects.create(debtor=debtor, line1="9 Elm St", city="Macon", state="GA", zip="31201")
    Phone.objects.create(debtor=debtor, number="+14785550123")
    Email.objects.create(debtor=debtor, address=f"{name.lower()}@example.com")
    return debtor


def _account(creditor, name, *, status, when, n):
    account = AccountFactory(creditor=creditor, debtor=_debtor(name), status=status, current_balance=Decimal("0.00"),
                             creditor_account_number=f"RT-{n}")
    # Money facts: a charge and the payment that cleared it (the cached balance stays their sum).
    LedgerEntry.objects.create(account=account, creditor=creditor, kind="charge", amount=Decimal("512.34"),
                               posted_date=when.date(), reference=f"C-{n}", source="import")
    LedgerEntry.objects.create(account=account, creditor=creditor, kind="payment", amount=Decimal("-512.34"),
                               posted_date=when.date(), reference=f"P-{n}", source="payment")
    ContactAttempt.objects.create(account=account, debtor=account.debtor, channel="call", to="+14785550123",
                                  outcome="conversation", notes=f"spoke with {name}", debt_ids=[str(account.pk)],
                                  idempotency_key=f"k-{n}", requested_at=when, status="allowed",
                                  decision={"decision": "allow", "reasons": []},
                                  context={"facts": {"consumer": {"name": name}}})
    MedicalDetail.objects.create(account=account, provider_name="Mercy Regional Health", diagnosis_codes=["J45.909"])
    notice = ValidationNotice.objects.create(account=account, sent_on=when.date(), addressee=name)
    notice.pdf.save(f"notice-{n}.pdf", ContentFile(b"%PDF letter"), save=True)
    Account.objects.filter(pk=account.pk).update(placed_at=when, updated_at=when)
    return Account.objects.get(pk=account.pk)


@pytest.fixture
def world():
    creditor = CreditorFactory(code="RET")
    old_paid = _account(creditor, "Olga", status="paid", when=OLD, n=1)
    held = _account(creditor, "Hank", status="settled", when=OLD, n=2)
    recent = _account(creditor, "Rita", status="paid", when=RECENT, n=3)
    old_open = _account(creditor, "Otto", status="active", when=OLD, n=4)
    hold = place_hold(held, "suit", "Consumer sued over the settlement", ref="CV-21-9")
    batch = ImportBatch(creditor=creditor, kind="accounts", original_name="placements.csv", sha256="a" * 64,
                        status="imported")
    batch.file.save("placements.csv", ContentFile(b"creditor_account_number,first_name\nRT-1,Olga\n"), save=False)
    batch.error_report.save("errors.csv", ContentFile(b"line,error\n"), save=False)
    batch.save()
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=OLD)
    return {"creditor": creditor, "old_paid": old_paid, "held": held, "recent": recent, "old_open": old_open,
            "hold": hold, "batch": batch}


def _money(account):
    return sorted(LedgerEntry.objects.filter(account=account).values_list("kind", "amount", "posted_date", "reference"))


def test_purge_removes_personal_data_keeps_money_respects_holds_and_reruns_as_a_no_op(
        world, django_capture_on_commit_callbacks):
    money_before = {k: _money(world[k]) for k in ("old_paid", "held", "recent", "old_open")}
    files = [world["batch"].file.name, world["batch"].error_report.name,
             ValidationNotice.objects.get(account=world["old_paid"]).pdf.name]
    assert all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_run(now=datetime(2026, 11, 2, tzinfo=UTC))
    assert result["counts"] == {"contact_attempts": 2, "personal_data": 1, "import_files": 1, "error_reports": 1,
                                "generated_letters": 2}
    # personal data of the old paid debtor: gone
    olga = Debtor.objects.get(pk=world["old_paid"].debtor_id)
    assert (olga.first_name, olga.last_name, olga.date_of_birth, olga.ssn_last4) == ("", "(purged)", None, "")
    assert not Address.objects.filter(debtor=olga).exists() and not Email.objects.filter(debtor=olga).exists()
    assert not Phone.objects.filter(debtor=olga).exists()
    notice = ValidationNotice.objects.get(account=world["old_paid"])
    assert notice.addressee == "(purged)" and not notice.pdf
    assert MedicalDetail.objects.get(account=world["old_paid"]).diagnosis_codes == []
    assert MedicalDetail.objects.get(account=world["old_paid"]).provider_name == "(purged)"
    assert MedicalDetail.objects.get(account=world["held"]).provider_name == "Mercy Regional Health"
    attempt = ContactAttempt.objects.get(account=world["old_paid"])
    assert (attempt.to, attempt.notes, attempt.context, attempt.content) == ("", "", {}, {})
    assert attempt.decision["decision"] == "allow" and attempt.channel == "call" and attempt.requested_at == OLD
    assert not ValidationNotice.objects.get(account=world["old_paid"]).pdf
    # the open account's old call is redacted (3 years without activity) but its debtor is kept
    assert ContactAttempt.objects.get(account=world["old_open"]).context == {}
    assert Debtor.objects.get(pk=world["old_open"].debtor_id).first_name == "Otto"
    # the held account and the recent one: untouched
    for key, name in (("held", "Hank"), ("recent", "Rita")):
        assert Debtor.objects.get(pk=world[key].debtor_id).first_name == name
        assert ContactAttempt.objects.get(account=world[key]).notes == f"spoke with {name}"
        assert ValidationNotice.objects.get(account=world[key]).pdf
    # files: gone from the batch and from storage
    batch = ImportBatch.objects.get(pk=world["batch"].pk)
    assert not batch.file and not batch.error_report
    assert not any(default_storage.exists(name) for name in files)
    # money facts: every entry as it was, every balance provable
    assert {k: _money(world[k]) for k in money_before} == money_before
    out = io.StringIO()
    call_command("verify_balances", stdout=out)
    assert "MISMATCH" not in out.getvalue()
    # the certificate: what, how many, which policy, what was held back
    run = PurgeRun.objects.get(pk=result["run"])
    event = AuditEvent.objects.get(object_type="compliance.PurgeRun", object_id=str(run.pk))
    assert event.action == "delete" and event.summary.startswith("purge certificate: ")
    assert "personal_data 1 (policy 1096 days" in event.summary
    assert run.certificate["personal_data"]["ids"] == [olga.pk]
    assert run.certificate["personal_data"]["held_back"] == 1
    assert "1006.100" in run.certificate["contact_attempts"]["basis"]
    # a rerun purges nothing more
    again = purge_run(now=datetime(2026, 11, 2, tzinfo=UTC))
    assert set(again["counts"].values()) == {0}


def test_released_hold_lets_the_next_purge_take_the_account(world):
    purge_run(now=datetime(2026, 11, 2, tzinfo=UTC))
    release_hold(world["hold"])
    result = purge_run(now=datetime(2026, 11, 2, tzinfo=UTC))
    assert result["counts"]["personal_data"] == 1
    assert Debtor.objects.get(pk=world["held"].debtor_id).first_name == ""


def test_open_dispute_holds_without_an_explicit_hold(world):
    from compliance.models import Dispute

    Dispute.objects.create(account=world["old_paid"], method="oral", received_at=OLD)
    result = purge_run(now=datetime(2026, 11, 2, tzinfo=UTC), dry_run=True)
    assert result["counts"]["personal_data"] == 0


def test_dry_run_lists_first_changes_nothing_and_ends_with_json_counts(world):
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    lines = out.getvalue().strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["dry_run"] is True and summary["personal_data"] == 1 and summary["run"] is None
    assert any(f"debtor #{world['old_paid'].debtor_id}" in line for line in lines[:-1])
    assert "Olga" not in out.getvalue()  # the list names records, never their personal data
    assert Debtor.objects.get(pk=world["old_paid"].debtor_id).first_name == "Olga"
    assert not PurgeRun.objects.exists()
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1])["personal_data"] == 1


def test_the_application_cannot_blank_a_recent_attempt_through_the_purge_function(world):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the guard function is PostgreSQL's")
    recent = ContactAttempt.objects.get(account=world["recent"])
    with connection.cursor() as cur:
        cur.execute("SELECT compliance_retention_redact_attempts(%s::bigint[])", [[recent.pk]])
        assert cur.fetchone()[0] == 0
    recent.refresh_from_db()
    assert recent.notes == "spoke with Rita"


def test_the_nightly_task_runs_the_same_purge_and_is_on_the_beat(world, settings):
    from compliance.tasks import retention_purge

    assert settings.CELERY_BEAT_SCHEDULE["retention-purge"]["task"] == "compliance.tasks.retention_purge"
    counts = retention_purge()  # the task body, called directly (no eager mode)
    assert counts["personal_data"] == 1 and PurgeRun.objects.count() == 1
    assert set(retention_purge().values()) == {0}


def test_a_kind_with_no_policy_gets_the_rule_books_default_and_edits_are_kept():
    from compliance.models import RetentionPolicy
    from compliance.retention import services as retention_services
    from compliance.retention.defaults import DEFAULT_POLICIES

    RetentionPolicy.objects.filter(kind="error_reports").update(retention_days=400)
    RetentionPolicy.objects.exclude(kind="error_reports").delete()
    plan = retention_services.purge_plan()
    assert set(RetentionPolicy.objects.values_list("kind", flat=True)) == {p["kind"] for p in DEFAULT_POLICIES}
    assert RetentionPolicy.objects.get(kind="error_reports").retention_days == 400
    assert set(plan) == {p["kind"] for p in DEFAULT_POLICIES}  # every kind is planned again
    assert plan["error_reports"]["policy_days"] == 400


def test_the_indexed_inactivity_test_matches_the_last_activity_definition():
    """inactive_accounts probes the ledger and the contact log per candidate instead of computing every
    account's last activity; both must pick the same accounts, right at the cutoff too."""
    from datetime import timedelta

    from compliance.retention import selectors as retention_selectors
    from tests.factories import CreditorFactory

    creditor = CreditorFactory()
    cutoff = datetime(2023, 6, 15, 10, 30, tzinfo=UTC)
    moments = [cutoff - timedelta(days=400), cutoff - timedelta(hours=11), cutoff - timedelta(minutes=1), cutoff,
               cutoff + timedelta(hours=14), cutoff + timedelta(days=30)]
    n = 0
    for placed in moments[:2]:
        for ledger in [None, *moments]:
            for contact in [None, *moments[::2]]:
                n += 1
                account = AccountFactory(creditor=creditor, creditor_account_number=f"EQ-{n}")
                Account.objects.filter(pk=account.pk).update(placed_at=placed, updated_at=placed)
                if ledger is not None:
                    LedgerEntry.objects.create(account=account, creditor=creditor, kind="charge",
                                               amount=Decimal("1.00"), posted_date=ledger.date(),
                                               reference=f"EQ-L-{n}", source="import")
                if contact is not None:
                    ContactAttempt.objects.create(account=account, debtor=account.debtor, channel="call", to="+1",
                                                  idempotency_key=f"eq-{n}", requested_at=contact, status="allowed",
                                                  decision={}, context={})
    Account.objects.filter(creditor=creditor).update(updated_at=moments[0])
    fast = set(retention_selectors.inactive_accounts(cutoff=cutoff, held=set()).filter(creditor=creditor)
               .values_list("pk", flat=True))
    slow = set(retention_selectors.accounts_with_last_activity().filter(creditor=creditor, last_activity__lt=cutoff)
               .values_list("pk", flat=True))
    assert fast == slow and 0 < len(fast) < n
