"""Demo compliance records so the compliance screens and the contact gate have something to show."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, AccountStatus

from .models import Dispute, InsuranceStatus, MedicalDetail, ValidationNotice
from .services.disputes import dispute_record
from .services.notices import validation_notice_record
from .services.restrictions import restriction_create

# Share of demo accounts given each kind of record (a few dozen in a default demo portfolio).
RESTRICTED_SHARE = 0.01
NOTICE_SHARE = 0.3
MAX_EACH = 40


PROVIDERS = ["Mercy Regional Oncology", "Mercy Behavioral Health Clinic", "Mercy Orthopedics", "Mercy Emergency Dept",
             "Mercy Cardiology Group", "Mercy Women's Health"]
DIAGNOSES = ["C50.911", "F32.1", "S82.201A", "R07.9", "I10", "O80"]
PROCEDURES = ["99283", "77067", "27750", "93000", "90834", "59400"]
INSURANCE_PENDING_SHARE = 0.1
MEDICAL_BATCH = 5_000  # rows per INSERT: bounded memory at 100k+ medical accounts


def medical_demo_create(*, seed: int) -> int:
    """A MedicalDetail (provider, codes, insurance) for every demo medical account that has none."""
    rng = random.Random(seed + 1)
    ids = (Account.objects.filter(creditor_account_number__startswith=f"D{seed}-", debt_type="medical",
                                  medical_detail__isnull=True).order_by("id").values_list("id", "itemization_date"))
    today = timezone.now().date()
    batch, created = [], 0
    for account_id, item_date in ids.iterator(chunk_size=MEDICAL_BATCH):
        k = rng.randrange(len(PROVIDERS))
        service = (item_date or today) - timedelta(days=rng.randint(30, 200))
        pending = rng.random() < INSURANCE_PENDING_SHARE
        batch.append(MedicalDetail(
            account_id=account_id, provider_name=PROVIDERS[k], generic_provider_name="Mercy Regional Health",
            date_of_service=service, diagnosis_codes=[DIAGNOSES[k]], procedure_codes=[PROCEDURES[k]],
            insurance_status=InsuranceStatus.PENDING if pending else rng.choice(
                [InsuranceStatus.NONE, InsuranceStatus.PAID, InsuranceStatus.DENIED]),
            insurance_carrier="Peach State Health Plan", insurance_claim_number=f"CLM{account_id:09d}",
            insurance_filed_on=service + timedelta(days=10) if pending else None))
        if len(batch) >= MEDICAL_BATCH:
            MedicalDetail.objects.bulk_create(batch)
            created, batch = created + len(batch), []
    MedicalDetail.objects.bulk_create(batch)
    return created + len(batch)


def compliance_demo_create(*, seed: int, user) -> dict:
    """Validation notices, cease / attorney / bankruptcy restrictions and disputes on demo accounts."""
    rng = random.Random(seed)
    prefix = f"D{seed}-"
    medical = medical_demo_create(seed=seed)
    if ValidationNotice.objects.filter(account__creditor_account_number__startswith=prefix).exists():
        return {"compliance_records_created": 0, "medical_details_created": medical}
    ids = list(Account.objects.filter(creditor_account_number__startswith=prefix, debt_type__in=[
        "credit_card", "consumer_loan", "auto_loan", "medical", "utility"]).values_list("id", flat=True)[:20_000])
    if not ids:
        return {"compliance_records_created": 0, "medical_details_created": medical}
    rng.shuffle(ids)
    now = timezone.now()
    created = 0
    n_notices = min(int(len(ids) * NOTICE_SHARE), MAX_EACH * 5)
    n_each = max(1, min(int(len(ids) * RESTRICTED_SHARE), MAX_EACH))
    accounts = Account.objects.select_related("debtor").in_bulk(ids[: n_notices + 4 * n_each])
    cursor = iter(ids)
    with transaction.atomic():
        for _ in range(n_notices):
            account = accounts[next(cursor)]
            validation_notice_record(account=account, sent_on=(now - timedelta(days=rng.randint(10, 200))).date(),
                                     method="mail", addressee=account.debtor.display_name, user=user)
            created += 1
        for _ in range(n_each):
            account = accounts[next(cursor)]
            restriction_create(kind="cease", debtor=account.debtor, account=account, user=user,
                               fields={"received_at": now - timedelta(days=rng.randint(1, 90))},
                               notes="Demo: written request to stop contact")
            account = accounts[next(cursor)]
            restriction_create(kind="attorney", debtor=account.debtor, account=account, user=user, fields={
                "name": "Jordan Avery", "firm": "Avery Consumer Law", "phone": "+13125550188",
                "address": "200 W Madison St, Chicago, IL 60606",
                "known_since": now - timedelta(days=rng.randint(1, 60))})
            account = accounts[next(cursor)]
            restriction_create(kind="bankruptcy", debtor=account.debtor, user=user, fields={
                "chapter": rng.choice([7, 13]), "case_number": f"25-{rng.randint(10000, 99999)}",
                "filed_on": (now - timedelta(days=rng.randint(5, 120))).date(), "court": "Bankr. N.D. Ga."})
            account = accounts[next(cursor)]
            if account.status in (AccountStatus.NEW, AccountStatus.ACTIVE):
                dispute_record(account=account, method=Dispute.Method.WRITTEN_MAIL, user=user,
                               received_at=now - timedelta(days=rng.randint(1, 20)),
                               description="Demo: consumer says the amount is wrong")
            created += 4
    return {"compliance_records_created": created, "medical_details_created": medical}
