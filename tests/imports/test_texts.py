"""Import messages in the reader's language: a batch keeps each warning's and each shown error's key
(template + parameters), pages render them with gettext; the error report, the API and the batch's stored
English stay English; batches stored before keys were kept still show (read back into keys when a template
knows them, as stored when none does)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.access import ACCOUNTING
from accounts.imports import services, texts
from accounts.models import ImportBatch, ImportStatus
from tests.imports.support import (
    BAD_ROW,
    GOOD_ROWS,
    creditor_with_accounts,
    csv_bytes,
    mapping_post,
    upload,
    user_mapping,
)

pytestmark = pytest.mark.django_db

# line 6: an unknown account (only the database sees it); line 7: a reference used twice in the file
UNKNOWN = "Z-999,2025-03-07,charge,10.00,R-9,Unknown"
REPEAT = "A-100,2025-03-08,charge,5.00,R-1,Again"
FUTURE = "A-100,2099-01-01,charge,7.00,R-20,Later"


@pytest.fixture
def creditor():
    return creditor_with_accounts()


def dry_run(client, creditor, *rows) -> ImportBatch:
    client.post(reverse("accounts:import_upload"), {"creditor": creditor.pk, "kind": "transactions",
                                                    "file": upload(csv_bytes(*rows))})
    batch = ImportBatch.objects.latest("id")
    client.post(reverse("accounts:import_columns", args=[batch.pk]), mapping_post(user_mapping()))
    client.post(reverse("accounts:import_dry_run", args=[batch.pk]))
    batch.refresh_from_db()
    return batch


def report_rows(batch) -> list[list[str]]:
    with batch.error_report.open("rb") as raw:
        return list(csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline="")))[1:]


def test_a_dry_run_keeps_the_key_of_every_warning_and_shown_error(client_for, creditor):
    batch = dry_run(client_for(ACCOUNTING), creditor, *GOOD_ROWS, BAD_ROW, UNKNOWN, REPEAT, FUTURE)
    assert batch.status == ImportStatus.INVALID
    rows = report_rows(batch)
    assert len(rows) == 3
    keys = batch.summary["error_keys"]
    for _line, _column, _value, message in rows:  # the report stays English; its key renders it back
        assert texts.CATALOGUE.render(keys[message], english=True) == message
    assert keys["posted_date: impossible date '2025-13-45' (no such day) (file column 'Posted')"] == {
        "msg": "%(field)s: %(reason_text)s (file column %(column)s)",
        "params": {"field": "posted_date", "column": "'Posted'", "reason_text": {
            "msg": "impossible date %(date)s (no such day)", "params": {"date": "'2025-13-45'"}}}}
    warnings = batch.summary["warnings"]
    assert "1 row(s) are dated in the future (first on line 8)." in warnings
    assert [texts.CATALOGUE.render(k, english=True) for k in batch.summary["warning_keys"]] == warnings
    assert all(isinstance(k, dict) for k in batch.summary["warning_keys"])


def test_the_review_and_status_pages_read_in_spanish(client_for, creditor, users):
    client = client_for(ACCOUNTING)
    batch = dry_run(client, creditor, *GOOD_ROWS, BAD_ROW, UNKNOWN, REPEAT, FUTURE)
    users[ACCOUNTING].language = "es"
    users[ACCOUNTING].save(update_fields=["language"])
    html = client.get(reverse("accounts:import_review", args=[batch.pk])).content.decode()
    assert "posted_date: fecha imposible &#x27;2025-13-45&#x27; (ese día no existe) (columna del archivo" in html
    assert "cuenta desconocida &#x27;Z-999&#x27; del acreedor ACME" in html
    assert "la referencia &#x27;R-1&#x27; ya se usó en la línea 2" in html
    assert "1 fila(s) tienen fecha futura (la primera en la línea 8)." in html
    assert "impossible date" not in html and "unknown account" not in html and "dated in the future" not in html
    # The download and the API stay as the parser wrote them.
    report = b"".join(client.get(reverse("accounts:import_error_report", args=[batch.pk])).streaming_content)
    assert b"unknown account 'Z-999' for creditor ACME" in report
    ImportBatch.objects.filter(pk=batch.pk).update(
        message="3 invalid row(s): nothing was written. Fix the file or choose “skip invalid rows”.")
    status = client.get(reverse("accounts:import_status", args=[batch.pk])).content.decode()
    assert "3 fila(s) no válidas: no se escribió nada." in status
    api = client.get(reverse("api-import-detail", args=[batch.pk]))
    assert api.json()["message"].startswith("3 invalid row(s): nothing was written.")


def test_a_batch_stored_before_keys_still_shows_and_reads_in_spanish_where_a_template_knows_it(client_for,
                                                                                                creditor):
    client = client_for(ACCOUNTING)
    batch = dry_run(client, creditor, *GOOD_ROWS, BAD_ROW, UNKNOWN, FUTURE)
    summary = {k: v for k, v in batch.summary.items() if k not in ("warning_keys", "error_keys")}
    summary["warnings"] = [*summary["warnings"], "A warning no template knows."]
    ImportBatch.objects.filter(pk=batch.pk).update(summary=summary)
    batch.refresh_from_db()
    with translation.override("es"):
        from accounts.imports import selectors

        shown = selectors.import_warnings(batch=batch)
        assert "1 fila(s) tienen fecha futura (la primera en la línea 7)." in shown
        assert "A warning no template knows." in shown
        rows, _total = selectors.import_error_rows_shown(batch=batch)
        assert "cuenta desconocida 'Z-999' del acreedor ACME" in [r.message for r in rows]
    with translation.override("en"):
        assert "1 row(s) are dated in the future (first on line 7)." in selectors.import_warnings(batch=batch)


def test_refused_files_read_in_spanish_on_the_upload_page(client_for, creditor, users):
    users[ACCOUNTING].language = "es"
    users[ACCOUNTING].save(update_fields=["language"])
    client = client_for(ACCOUNTING)
    response = client.post(reverse("accounts:import_upload"), {"creditor": creditor.pk, "kind": "transactions",
                                                               "file": upload(b"", "empty.csv")})
    assert "empty.csv: el archivo está vacío." in response.content.decode()


def test_the_parsers_messages_match_the_catalogue():
    """Messages the parser and the import service write, each read back into a template that renders the same
    English (a change of wording in the parser without its template here fails)."""
    from django.db import OperationalError

    from accounts.imports.failures import describe
    from accounts.ledger_csv import parse_date
    from accounts.ledger_csv.values import parse_amount_cents, parse_phone, parse_ssn_last4, parse_zip

    said = []
    for parse, raw in ((parse_amount_cents, "12,34.5"), (parse_amount_cents, "1.234"), (parse_date, "2025-02-30"),
                       (parse_date, "31/31/31"), (parse_zip, "1234"), (parse_phone, "12"),
                       (parse_ssn_last4, "123-45-6789")):
        with pytest.raises(ValueError) as exc:
            parse(raw)
        said.append(str(exc.value))
    said += [describe(OperationalError("gone")).message, services._done_message(
        {"created": 1, "updated": 2, "duplicates": 0, "invalid": 3})]
    _assert_each_has_its_template_and_spanish(said)


def test_a_refused_start_reads_in_spanish(client_for, creditor, users):
    client = client_for(ACCOUNTING)
    batch = dry_run(client, creditor, *GOOD_ROWS, BAD_ROW)
    users[ACCOUNTING].language = "es"
    users[ACCOUNTING].save(update_fields=["language"])
    page = client.post(reverse("accounts:import_start", args=[batch.pk]), follow=True).content.decode()
    assert "La prueba encontró filas no válidas: corrija el archivo o elija «omitir filas no válidas»." in page


def test_mapping_file_problems_match_the_catalogue():
    """What a mapping file (the columns page's upload, import_ledger --mapping) can be refused for, and a
    mapping that both leaves required columns out and maps two columns to one field, each has its template."""
    from accounts.ledger_csv import ColumnMapping, LedgerFileError, MappingSpec, resolve_mapping

    said = []
    for data in ({"version": 7}, {"version": 2, "kind": "accounts"}, {"version": 2, "fields": {"bogus": {}}},
                 {"version": 2, "fields": {"amount": {"derive": "magic"}}},
                 {"version": 2, "fields": {"amount": {"derive": "sign"}}},
                 {"version": 2, "fields": {"type": {"derive": "sign", "negative": "gift", "column": "Type"}}},
                 {"version": 2, "fields": {"amount": {"derive": "abs"}}},
                 {"version": 2, "values": {"bogus": {"a": "b"}}},
                 {"version": 2, "options": {"date_order": "ymd-ish"}},
                 {"version": 2, "options": {"currency": "dollars"}},
                 # the wrong JSON shape, part by part
                 {"version": 2, "fields": ["amount"]}, {"version": 2, "fields": {"amount": "Amt"}},
                 {"version": 2, "fields": {"amount": {"value": {"a": 1}}}},
                 {"version": 2, "fields": {"type": {"derive": "sign", "negative": ["payment"]}}},
                 {"version": 2, "ignore": [1, 2]}, {"Amt": ["amount"]},
                 {"version": 2, "options": {"signed_amounts": 1}}):
        with pytest.raises(LedgerFileError) as exc:
            MappingSpec.parse(data, "transactions")
        said.append(str(exc.value))
    with pytest.raises(LedgerFileError) as exc:
        resolve_mapping(["Acct", "Amt"], "transactions", {"version": 2, "fields": {"amount": {"column": "Sum"}}},
                        strict=True)
    said.append(str(exc.value))
    both = ColumnMapping(kind="transactions", headers=("A", "B", "C", "D"), fields={}, missing=("reference",),
                         unmapped=(), conflicts={"date": ("A", "B"), "type": ("C", "D")}).problem()
    said += [both, f"The mapping cannot be used: {said[0]}"]
    _assert_each_has_its_template_and_spanish(said)
    with translation.override("es"):
        assert texts.message_text(both) == (
            "faltan columnas obligatorias: reference; las columnas 'A' and 'B' se asignan ambas a date; asigne una "
            "de ellas a nada; las columnas 'C' and 'D' se asignan ambas a type; asigne una de ellas a nada")


def test_a_refused_mapping_file_reads_in_spanish(client_for, creditor, users):
    client = client_for(ACCOUNTING)
    client.post(reverse("accounts:import_upload"), {"creditor": creditor.pk, "kind": "transactions",
                                                    "file": upload(csv_bytes(*GOOD_ROWS))})
    batch = ImportBatch.objects.latest("id")
    users[ACCOUNTING].language = "es"
    users[ACCOUNTING].save(update_fields=["language"])
    url = reverse("accounts:import_mapping_upload", args=[batch.pk])
    magic = b'{"version": 2, "fields": {"amount": {"derive": "magic"}}}'
    page = client.post(url, {"mapping": upload(magic, "m.json")}, follow=True).content.decode()
    assert "No se puede usar el mapeo: amount: derivación desconocida &#x27;magic&#x27;" in page
    page = client.post(url, {"mapping": upload(b"{not json", "m.json")}, follow=True).content.decode()
    assert "No se puede usar el archivo de mapeo: no es JSON válido (línea 1, columna 2)" in page
    page = client.post(reverse("accounts:import_columns", args=[batch.pk]),
                       mapping_post({**user_mapping(), "Txn Ref Code": None})).content.decode()
    assert "No se puede usar el mapeo: faltan columnas obligatorias: reference." in page


def _assert_each_has_its_template_and_spanish(said):
    """Each message matches a template, renders back to the same English, and reads otherwise in Spanish."""
    for message in said:
        key = texts.CATALOGUE.key(message)
        assert key is not None, message
        assert texts.CATALOGUE.render(key, english=True) == message
        with translation.override("es"):
            assert texts.message_text(message) != message, message
