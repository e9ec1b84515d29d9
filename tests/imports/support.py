"""Import files for the import screen and API tests, and a ready batch for the role matrix."""

from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import AccountFactory, CreditorFactory

# "Amt" is a known synonym of amount; "Txn Ref Code" is not a synonym of anything: the user maps it.
HEADER = "Acct,Posted,Type,Amt,Txn Ref Code,Memo"
GOOD_ROWS = (
    "A-100,2025-03-01,charge,1250.40,R-1,Balance placed",
    "A-100,03/05/2025,payment,$200.00,R-2,Card payment",
    "A-200,2025-03-06,charge,\"1,000.00\",R-3,Balance placed",
)
BAD_ROW = "A-200,2025-13-45,payment,50.00,R-4,=HYPERLINK(\"http://evil\")"  # line 5: no 13th month


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\r\n".join((header, *rows)) + "\r\n").encode("utf-8")


def upload(data: bytes, name: str = "march.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def creditor_with_accounts(code: str = "ACME"):
    creditor = CreditorFactory(code=code, name=f"{code.title()} Bank")
    for number in ("A-100", "A-200"):
        AccountFactory(creditor=creditor, creditor_account_number=number)
    return creditor


def user_mapping(headers: str = HEADER) -> dict[str, str | None]:
    """What a user picks on the mapping page for HEADER."""
    picks = {"Acct": "creditor_account_number", "Posted": "posted_date", "Type": "type", "Amt": "amount",
             "Txn Ref Code": "reference", "Memo": "memo"}
    return {h: picks.get(h) for h in headers.split(",")}


def mapping_post(mapping: dict[str, str | None], kind: str = "transactions") -> dict[str, str]:
    """The mapping form's POST data for {file header: field} (headers in file order): src_<field> =
    col:<index> for each mapped field, "" (leave empty) for the others."""
    from accounts.ledger_csv import MAPPABLE_FIELDS

    data = {"date_order": "mdy", **{f"src_{name}": "" for name in MAPPABLE_FIELDS[kind]}}
    for index, target in enumerate(mapping.values()):
        if target:
            data[f"src_{target}"] = f"col:{index}"
    return data


def initial_post(form) -> dict[str, str]:
    """POST data that accepts what the mapping page proposes (its initial values)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].initial if name in form.initial or form[name].initial is not None else field.initial
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    return data


def matrix_batch(creditor):
    """A dry-run batch with an error report, for URLs that take a batch id (tests/foundation/test_access)."""
    from accounts.imports import services

    for number in ("A-100", "A-200"):
        AccountFactory(creditor=creditor, creditor_account_number=number)
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(
        csv_bytes(*GOOD_ROWS, BAD_ROW)), original_name="matrix.csv", mapping=user_mapping())
    return services.import_dry_run(batch=batch)


def wait_for_batch(batch_id: int, statuses, timeout: float = 60.0):
    """Poll the database until the worker has moved the batch into one of `statuses`."""
    import time

    from accounts.models import ImportBatch

    deadline = time.monotonic() + timeout
    while True:
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.status in statuses or time.monotonic() > deadline:
            return batch
        time.sleep(0.2)


@contextmanager
def celery_worker():
    """A real worker thread on the configured broker (Redis with REDIS_URL, else kombu's filesystem://).

    Broker connection pools are process-wide (kombu.pools); another test that closed them (e.g. to
    switch to the memory broker) would leave this test's producer on a closed pool, so start fresh."""
    from celery.contrib.testing.worker import start_worker
    from kombu import pools

    from collections_app.celery import app

    def fresh_pools():
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    fresh_pools()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
            yield worker
    finally:
        fresh_pools()
