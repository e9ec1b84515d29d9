"""The contact log: idempotent attempts, append-only rows, the delivery state machine."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from compliance.gate import contact_send
from compliance.gate.delivery import contact_attempt_status_change, deliver
from compliance.models import AttemptStatus, AuditEvent, ContactAttempt
from compliance.services import audit_record

from .support import PHONE, at, atlanta_account

pytestmark = pytest.mark.django_db


def test_repeating_an_idempotency_key_returns_the_first_attempt_and_changes_nothing(users):
    account = atlanta_account()
    first = contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                         idempotency_key="same-key", now=at(2025, 6, 10))
    again = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                         outcome="conversation", notes="different", idempotency_key="same-key", now=at(2025, 6, 10, 15))
    assert again.pk == first.pk and again.replayed
    assert again.outcome == "no_answer"
    assert ContactAttempt.objects.count() == 1


def test_a_key_reused_for_another_account_is_refused(users):
    from django.core.exceptions import ValidationError
    one, two = atlanta_account(), atlanta_account()
    contact_send(account=one, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                 idempotency_key="k", now=at(2025, 6, 10))
    with pytest.raises(ValidationError, match="already used"):
        contact_send(account=two, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                     idempotency_key="k", now=at(2025, 6, 10))


def test_an_allowed_email_is_queued_and_delivery_is_scheduled_after_commit(users, django_capture_on_commit_callbacks):
    account = atlanta_account()
    with django_capture_on_commit_callbacks() as callbacks:
        attempt = contact_send(account=account, channel="email", to="pat.doe@example.com", user=users["collector"],
                               idempotency_key="mail-1", now=at(2025, 6, 10))
    assert attempt.status == AttemptStatus.QUEUED
    assert len(callbacks) == 1
    assert "debt collector" in attempt.content["body"] and "STOP" in attempt.content["body"]


def test_a_blocked_email_is_logged_and_never_scheduled(users, django_capture_on_commit_callbacks):
    account = atlanta_account()
    with django_capture_on_commit_callbacks() as callbacks:
        attempt = contact_send(account=account, channel="email", to="pat.doe@example.com", user=users["collector"],
                               idempotency_key="mail-late", now=at(2025, 6, 10, 22))
    assert attempt.status == AttemptStatus.BLOCKED
    assert attempt.decision["reasons"] == ["INCONVENIENT_TIME"]
    assert callbacks == []


def test_unknown_contact_point_is_refused(users):
    from django.core.exceptions import ValidationError
    account = atlanta_account()
    with pytest.raises(ValidationError, match="not an active call contact point"):
        contact_send(account=account, channel="call", to="+12125550000", user=users["collector"],
                     idempotency_key="x", now=at(2025, 6, 10))


def test_orm_refuses_to_edit_or_delete_contact_attempts(users):
    account = atlanta_account()
    attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                           idempotency_key="k1", now=at(2025, 6, 10))
    attempt.notes = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        attempt.save()
    with pytest.raises(TypeError, match="append-only"):
        attempt.delete()
    with pytest.raises(TypeError, match="append-only"):
        ContactAttempt.objects.filter(pk=attempt.pk).update(notes="x")
    with pytest.raises(TypeError, match="append-only"):
        ContactAttempt.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger is PostgreSQL-only")
def test_postgres_refuses_raw_updates_and_deletes_of_the_logs(users):
    account = atlanta_account()
    attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                           idempotency_key="k1", now=at(2025, 6, 10))
    event = audit_record(user=users["admin"], action="view", obj=account)
    for sql in (f"UPDATE compliance_contactattempt SET notes = 'x' WHERE id = {attempt.pk}",
                f"UPDATE compliance_contactattempt SET status = 'sent' WHERE id = {attempt.pk}",
                f"DELETE FROM compliance_contactattempt WHERE id = {attempt.pk}",
                f"UPDATE compliance_auditevent SET summary = 'x' WHERE id = {event.pk}",
                f"DELETE FROM compliance_auditevent WHERE id = {event.pk}"):
        with pytest.raises((InternalError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ContactAttempt.objects.get(pk=attempt.pk).notes == ""
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_queued_attempt_moves_once_and_only_by_the_transitions_table(users, settings, tmp_path):
    settings.SMS_OUTBOX_DIR = str(tmp_path)
    account = atlanta_account()
    attempt = contact_send(account=account, channel="sms", to=PHONE, user=users["collector"],
                           idempotency_key="sms-1", now=at(2025, 6, 10))
    assert attempt.status == AttemptStatus.QUEUED
    sent = deliver(attempt_id=attempt.pk, now=at(2025, 6, 10, 14, 1))
    assert sent.status == AttemptStatus.SENT
    assert (tmp_path / f"contact-attempt-{attempt.pk}.json").exists()
    assert deliver(attempt_id=attempt.pk).status == AttemptStatus.SENT  # running twice changes nothing
    with pytest.raises(ValueError, match="cannot move"):
        contact_attempt_status_change(attempt=sent, to_status=AttemptStatus.FAILED)


def test_delivery_re_evaluates_and_blocks_when_the_hour_has_passed(users, settings, tmp_path):
    settings.SMS_OUTBOX_DIR = str(tmp_path)
    account = atlanta_account()
    attempt = contact_send(account=account, channel="sms", to=PHONE, user=users["collector"],
                           idempotency_key="sms-2", now=at(2025, 6, 10, 20, 59))
    result = deliver(attempt_id=attempt.pk, now=at(2025, 6, 10, 21, 5))
    assert result.status == AttemptStatus.BLOCKED_AT_SEND
    assert result.send_decision["reasons"] == ["INCONVENIENT_TIME"]
    assert not list(tmp_path.iterdir())


def test_letter_is_rendered_to_pdf_under_media_root(users, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    account = atlanta_account()
    attempt = contact_send(account=account, channel="letter", to=None, user=users["collector"],
                           idempotency_key="letter-1", now=at(2025, 6, 10))
    assert attempt.status == AttemptStatus.QUEUED, attempt.decision
    assert deliver(attempt_id=attempt.pk, now=at(2025, 6, 10, 23)).status == AttemptStatus.SENT  # letters: no hours
    pdf = tmp_path / "letters" / f"contact-attempt-{attempt.pk}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
