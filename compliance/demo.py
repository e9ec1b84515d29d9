"""Demo compliance records so the compliance screens and the contact gate have something to show."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, AccountStatus

from .models import Dispute, ValidationNotice
from .services.disputes import dispute_record
from .services.notices import validation_notice_record
from .services.restrictions import restriction_create

# Share of demo accounts given each kind of record (a few dozen in a default demo portfolio).
RESTRICTED_SHARE = 0.01
NOTICE_SHARE = 0.3
MAX_EACH = 40


def compliance_demo_create(*, seed: int, user) -> dict:
    """Validation notices, cease / attorney / bankruptcy restrictions and disputes on demo accounts."""
    rng = random.Random(seed)
    prefix = f"D{seed}-"
    if ValidationNotice.objects.filter(account__creditor_account_number__startswith=prefix).exists():
        return {"compliance_records_created": 0}
    ids = list(Account.objects.filter(creditor_account_number__startswith=prefix, debt_type__in=[
        "credit_card", "consumer_loan", "auto_loan", "medical", "utility"]).values_list("id", flat=True)[:20_000])
    if not ids:
        return {"compliance_records_created": 0}
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
    return {"compliance_records_created": created}
