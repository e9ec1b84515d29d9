"""Writes for validation notices: generate, store, record and mail through the contact gate.

12 CFR 1006.34: the notice is built from the account's itemization, checked for every FED-VN-02
item, rendered to PDF, kept (1006.100 record retention) and mailed as a letter through the one
door to the debtor (`compliance.gate.contact_send`), which logs the attempt with its decision.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import Account
from compliance.gate import contact_send
from compliance.models import AttemptStatus, ContactAttempt, ValidationNotice
from compliance.services import validation_notice_record

from .content import REQUIRED_ITEMS, NoticeContentIncomplete, engine_content, validate_notice_content
from .render import render_notice_pdf
from .selectors import mailing_address, validation_notice_content_for_account
from .wording import LANGUAGES

NOTICE_DIR = "notices"
LETTER_TEMPLATE = "validation_notice"


def validation_notice_idempotency_key(*, account: Account, sent_on: date, language: str) -> str:
    """One notice per account, mailing date and language: generating it again changes nothing."""
    return f"validation-notice:{account.pk}:{sent_on.isoformat()}:{language}"


def _needs_english_original(*, account: Account, language: str) -> bool:
    """1006.34(e): a translation goes with the English notice unless English was provided before."""
    if language == "en":
        return False
    return not ValidationNotice.objects.filter(account_id=account.pk, language="en").exists()


def _store_pdf(*, account: Account, sent_on: date, language: str, pdf: bytes) -> str:
    digest = hashlib.sha256(pdf).hexdigest()[:12]
    name = f"{NOTICE_DIR}/{account.pk}/validation-notice-{account.pk}-{sent_on.isoformat()}-{language}-{digest}.pdf"
    return default_storage.save(name, ContentFile(pdf))


class ValidationNoticeBlocked(Exception):
    """The gate refused the letter (cease, bankruptcy, deceased ...): nothing was recorded as provided.

    ``attempt`` is the logged, blocked ContactAttempt; its decision says why and until when.
    """

    def __init__(self, attempt: ContactAttempt):
        self.attempt = attempt
        reasons = ", ".join(attempt.reasons) or "blocked"
        super().__init__(f"The compliance gate blocked the validation notice letter: {reasons}.")


def validation_notice_generate(*, account: Account, language: str, sent_on: date, user,
                               end_date: date | None = None, meta: dict | None = None,
                               now: datetime | None = None) -> tuple[ValidationNotice, str]:
    """Build, check, render, store, record and mail the validation notice for ``account``.

    Returns the ValidationNotice and the stored PDF's storage name (under MEDIA_ROOT). Raises
    NoticeContentIncomplete (naming every missing item) instead of producing an incomplete notice,
    ValidationNoticeBlocked when the gate refuses the letter, and ValueError for an unsupported
    language. ``now`` is the instant the gate judges the letter at (default: now). Idempotent: the
    same account, mailing date and language return the notice already generated without rendering
    or mailing again. A Spanish notice for an account never sent the English one carries the
    English notice after it in the same PDF and letter (1006.34(e)).
    """
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported notice language {language!r}; use one of {LANGUAGES}.")
    existing = _existing(account=account, sent_on=sent_on, language=language)
    if existing is not None:
        return existing, existing.pdf.name
    content = validation_notice_content_for_account(account=account, language=language, sent_on=sent_on,
                                                    end_date=end_date)
    notices = [content]
    if _needs_english_original(account=account, language=language):
        notices.append(validation_notice_content_for_account(account=account, language="en", sent_on=sent_on,
                                                             end_date=content["validation_period_end"]))
    failing = {name for notice in notices for name in validate_notice_content(notice)}
    if failing:
        raise NoticeContentIncomplete([name for name in REQUIRED_ITEMS if name in failing])
    # Rendering takes a few hundred milliseconds: done before the transaction, not inside it.
    path = _store_pdf(account=account, sent_on=sent_on, language=language, pdf=render_notice_pdf(*notices))
    try:
        record, attempt = validation_notice_record_and_mail(
            account=account, content=content, pdf_path=path, user=user, languages=[n["language"] for n in notices],
            meta=meta, now=now)
    except Exception:
        default_storage.delete(path)  # nothing was recorded or logged: do not keep an orphan letter
        raise
    if record is None:
        raise ValidationNoticeBlocked(attempt)  # the PDF stays: the blocked attempt's log refers to it
    if record.pdf.name != path:  # a concurrent request recorded the same notice first
        default_storage.delete(path)
    return record, record.pdf.name


def _existing(*, account: Account, sent_on: date, language: str) -> ValidationNotice | None:
    return (ValidationNotice.objects.filter(account_id=account.pk, sent_on=sent_on, language=language)
            .order_by("id").first())


def validation_notice_record_and_mail(*, account: Account, content: dict, pdf_path: str, user, languages: list[str],
                                      meta: dict | None = None,
                                      now: datetime | None = None) -> tuple[ValidationNotice | None, ContactAttempt]:
    """Mail the stored notice as a letter through the contact gate and record it as provided.

    ``contact_send`` logs the letter (allowed or blocked) with the gate's decision and queues its
    delivery after commit; its content names the template, the stored PDF and the notice in the
    engine's ``action.content`` vocabulary. Only a letter the gate allowed makes a ValidationNotice,
    the row the gate's snapshot reads as ``facts.validation_notice`` (provided date, method,
    addressee, stated end date). Returns (None, attempt) when blocked. The gate locks the account
    for the transaction, so two requests for the same notice record and mail it once.
    """
    sent_on, language = content["sent_on"], content["language"]
    base_key = validation_notice_idempotency_key(account=account, sent_on=sent_on, language=language)
    address = mailing_address(account)
    with transaction.atomic():
        # A blocked letter keeps its key; a retry once the block is cleared needs a fresh one.
        blocked = ContactAttempt.objects.filter(idempotency_key__startswith=base_key,
                                                status=AttemptStatus.BLOCKED).count()
        attempt = contact_send(
            account=account, channel="letter", to=str(address) if address else None, user=user,
            idempotency_key=f"{base_key}:{blocked}" if blocked else base_key, now=now,
            notes=f"Validation notice ({', '.join(languages)}); validation period ends "
                  f"{content['validation_period_end'].isoformat()}",
            content={"template": LETTER_TEMPLATE, "letter_type": "validation_notice", "pdf": pdf_path,
                     "mailed_on": sent_on.isoformat(),
                     "languages": languages, "validation_notice": engine_content(content)})
        if attempt.status == AttemptStatus.BLOCKED:
            return None, attempt
        record = _existing(account=account, sent_on=sent_on, language=language)
        if record is None:
            record = validation_notice_record(
                account=account, sent_on=sent_on, method=ValidationNotice.Method.MAIL,
                addressee=content["consumer"]["name"], user=user, stated_end_date=content["validation_period_end"],
                language=language, meta=meta)
            # The PDF is already stored (the letter above refers to it): the record points at that file.
            record.pdf.name = pdf_path
            record.save(update_fields=["pdf"])
    return record, attempt
