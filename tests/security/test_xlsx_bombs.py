"""Hostile workbooks (issue 14, item 1), built here: each is uploaded through the API, answered at once
(`converting`), and refused by a real Celery worker with a clear reason on the batch (invalid), the reader
running in a child process whose peak memory stays under 300 MB; neither the web process nor the worker grows.

The peak memory per file is printed (-s) for the closing note: ``pytest tests/security/test_xlsx_bombs.py -s``.
"""

import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.imports import workbooks
from accounts.imports.xlsx_reader import WorkbookError
from tests.imports.support import celery_worker, wait_for_batch

MB = 1024 * 1024
PEAK_LIMIT_KB = 300 * 1024
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
SHEET_OPEN = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
SST_OPEN = '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>creditor_account_number</t></is></c></row>'


def _write(archive, name, parts):
    """Stream a member from an iterable of str chunks (the bombs never sit whole in the test's memory)."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        for part in parts:
            member.write(part.encode())


def build(sheet_parts, shared_parts=None) -> io.BytesIO:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS)
        if shared_parts is not None:
            _write(archive, "xl/sharedStrings.xml", shared_parts)
        _write(archive, "xl/worksheets/sheet1.xml", sheet_parts)
    raw.seek(0)
    return raw


def huge_shared_string():
    chunk = "A" * MB
    return build([SHEET_OPEN, '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'],
                 [SST_OPEN, '<si><t>', *(chunk for _ in range(200)), "</t></si></sst>"])


def padded_dimension(value_in_last_column=False):
    rows = (f'<row r="{r}" spans="1:16384"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 20_002))
    tail = '<row r="20002"><c r="XFD20002"><v>1</v></c></row>' if value_in_last_column else ""
    return build([SHEET_OPEN, '<dimension ref="A1:XFD1048576"/><sheetData>', HEADER_ROW, *rows, tail,
                  "</sheetData></worksheet>"])


def ten_million_shared_strings():
    block = "<si><t>a</t></si>" * 10_000
    return build([SHEET_OPEN, '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'],
                 [SST_OPEN, *(block for _ in range(1000)), "</sst>"])


def invalid_xml():
    return build([SHEET_OPEN, '<sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>'])


def corrupt_member():
    rows = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 3000))
    good = build([SHEET_OPEN, "<sheetData>", *rows, "</sheetData></worksheet>"]).getvalue()
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 200
    damaged = bytearray(good)
    for i in range(start, start + 64):
        damaged[i] ^= 0x5A
    return io.BytesIO(bytes(damaged))


def external_entity():
    return build(['<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                  SHEET_OPEN.split("?>", 1)[1],
                  '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData>',
                  "</worksheet>"])


def billion_laughs():
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return build([SHEET_OPEN, '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'],
                 [f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>', SST_OPEN.split("?>", 1)[1],
                  "<si><t>&lol9;</t></si></sst>"])


BOMBS = {
    "huge shared string (200 MB)": (huge_shared_string, "longer than 32,767 characters"),
    "value in column XFD": (lambda: padded_dimension(value_in_last_column=True), "more than 256 columns are used"),
    "10M tiny shared strings": (ten_million_shared_strings, "more than 3,000,000 shared strings"),
    "invalid XML": (invalid_xml, "is not valid XML"),
    "corrupt zip member": (corrupt_member, "is corrupt"),
    "external entity (XXE)": (external_entity, "uses a DTD or entities, which are refused"),
    "billion laughs": (billion_laughs, "uses a DTD or entities, which are refused"),
}


def _rss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


@pytest.fixture
def workbook_settings(settings, tmp_path):
    """Uploads go to this test's own folder; no workbook is converted inline (XLSX_INLINE_MAX_BYTES 0)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.XLSX_SECONDS = 600  # a loaded CI machine must not turn the limit under test into the deadline
    assert settings.XLSX_INLINE_MAX_BYTES == 0  # the default: the bombs below all take the worker path
    return settings


@pytest.fixture
def on_the_worker(workbook_settings):
    """Workbooks are converted by a real Celery worker (in-thread, on the configured broker), as in production."""
    with celery_worker():
        yield


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_hostile_workbook_is_refused_on_the_worker_with_its_reason_in_bounded_memory(name, users, settings,
                                                                                         on_the_worker):
    from rest_framework.test import APIClient

    from accounts.models import ImportBatch, ImportStatus
    from tests.factories import CreditorFactory

    CreditorFactory(code="BOMB")
    make, reason = BOMBS[name]
    data = make()
    size = len(data.getvalue())
    data.name = "hostile.xlsx"
    client = APIClient()
    client.force_authenticate(users["accounting"])
    before = _rss_kb()
    response = client.post("/api/imports/", {"creditor": "BOMB", "kind": "transactions", "file": data},
                           format="multipart")
    assert response.status_code == 202 and response.json()["status"] == "converting"  # answered at once
    batch_id = response.json()["id"]
    batch = wait_for_batch(batch_id, {ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.UPLOADED}, timeout=600)
    assert batch.status == ImportStatus.INVALID, batch.message
    assert reason in batch.message and batch.message.startswith("hostile.xlsx: the Excel workbook could not be read")
    assert not batch.restartable and not batch.workbook and not batch.file  # nothing of it is kept
    assert not any((Path(settings.MEDIA_ROOT) / "imports").rglob("*.xlsx"))
    peak = batch.conversion["peak_rss_kb"]
    print(f"\n{name}: {size:,} bytes, worker path, reader peak {peak / 1024:.0f} MB, "  # noqa: T201 (closing note, -s)
          f"{batch.conversion['seconds']} s")
    assert peak < PEAK_LIMIT_KB
    assert _rss_kb() - before < 50 * 1024  # the web process and the worker (both this process) do not grow
    polled = client.get(f"/api/imports/{batch_id}/").json()
    assert polled["status"] == "invalid" and polled["message"] == batch.message
    assert polled["conversion"]["peak_rss_kb"] == peak
    assert ImportBatch.objects.count() == 1


def test_a_dimension_padded_to_16384_columns_is_read_as_the_columns_it_uses():
    data = padded_dimension()
    stats = {}
    text = workbooks.xlsx_to_csv(data, stats=stats).read().decode()
    print(f"\npadded dimension: {len(data.getvalue()):,} bytes, reader peak {stats['peak_rss_kb'] / 1024:.0f} MB")  # noqa: T201
    lines = text.splitlines()
    assert lines[0] == "creditor_account_number" and lines[1] == "2" and len(lines) == 20_001
    assert stats["peak_rss_kb"] < PEAK_LIMIT_KB


def test_a_workbook_over_the_memory_ceiling_is_stopped_not_the_caller(settings):
    settings.XLSX_MEMORY_BYTES = 20 * MB  # below what the interpreter needs: the child fails, we report it
    with pytest.raises(WorkbookError, match="needs more than 20 MB"):
        workbooks.xlsx_to_csv(invalid_xml())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_uploading_a_bomb_on_the_page_polls_the_conversion_then_shows_a_clear_error_not_a_500(client_for,
                                                                                               workbook_settings):
    from accounts.models import ImportBatch, ImportStatus
    from tests.factories import CreditorFactory

    creditor = CreditorFactory(code="BOMB")
    upload = billion_laughs()
    upload.name = "laughs.xlsx"
    client = client_for("accounting")
    response = client.post(reverse("accounts:import_upload"),
                           {"creditor": creditor.pk, "kind": "accounts", "file": upload})
    assert response.status_code == 302  # answered at once
    batch_id = ImportBatch.objects.get().pk
    assert response.url == reverse("accounts:import_columns", args=[batch_id])
    poll = reverse("accounts:import_progress", args=[batch_id]) + "?converted=1"
    page = client.get(response.url, follow=True)  # no worker yet: the message waits on the broker
    assert page.redirect_chain == [(reverse("accounts:import_status", args=[batch_id]), 302)]
    assert f'hx-get="{poll}"' in page.content.decode() and 'data-testid="converting"' in page.content.decode()
    assert client.get(poll).status_code == 200  # still converting: the partial, polling again
    with celery_worker():
        wait_for_batch(batch_id, {ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.UPLOADED}, timeout=120)
    done = client.get(poll)
    assert done.status_code == 204 and done["HX-Redirect"] == reverse("accounts:import_status", args=[batch_id])
    page = client.get(done["HX-Redirect"]).content.decode()
    assert 'data-testid="import-refused"' in page
    assert "could not be read: xl/sharedStrings.xml uses a DTD or entities, which are refused" in page


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_good_workbook_uploaded_on_the_page_polls_into_the_mapping_form(client_for, on_the_worker):
    from openpyxl import Workbook

    from accounts.models import ImportBatch, ImportStatus
    from tests.factories import CreditorFactory

    creditor = CreditorFactory(code="BOOK")
    book = Workbook()
    book.active.append(["Acct", "Posted", "Type", "Amt", "Ref"])
    book.active.append(["A-1", "2025-03-01", "charge", 12.5, "R-1"])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "march.xlsx"
    client = client_for("accounting")
    response = client.post(reverse("accounts:import_upload"),
                           {"creditor": creditor.pk, "kind": "transactions", "file": upload})
    batch_id = ImportBatch.objects.get().pk
    assert response.url == reverse("accounts:import_columns", args=[batch_id])
    batch = wait_for_batch(batch_id, {ImportStatus.UPLOADED, ImportStatus.INVALID, ImportStatus.FAILED}, timeout=120)
    assert batch.status == ImportStatus.UPLOADED, batch.message
    done = client.get(reverse("accounts:import_progress", args=[batch_id]) + "?converted=1")
    assert done["HX-Redirect"] == reverse("accounts:import_columns", args=[batch_id])
    columns = client.get(done["HX-Redirect"])
    assert columns.status_code == 200
    assert "Acct" in columns.content.decode() and "12.5" in columns.content.decode()  # headers and samples


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_reader_dies_with_the_process_that_started_it(tmp_path):
    """A Celery worker SIGKILLed mid-conversion leaves no reader behind (the sweeper then fails the batch)."""
    parent = tmp_path / "parent.py"
    parent.write_text(
        "import subprocess, sys\n"
        "from accounts.imports.workbooks import _child_limits\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'],\n"
        "                         preexec_fn=_child_limits(400 * 2**20, 90))\n"
        "print(child.pid, flush=True)\n"
        "child.wait()\n")
    process = subprocess.Popen([sys.executable, str(parent)], cwd=workbooks.ROOT, stdout=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(workbooks.ROOT)})
    child = int(process.stdout.readline())
    assert _alive(child)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(line for line in status if line.startswith("State:")).split()[1] != "Z"
    except FileNotFoundError:
        return False
