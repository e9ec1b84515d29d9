"""The notice pages: preview, PDF download and mail; compliance and admin only."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.access import ACCOUNTING, ADMIN, COLLECTOR, COMPLIANCE, SUPERVISOR
from compliance.models import ContactAttempt, ValidationNotice
from tests.factories import AccountFactory
from tests.notices.test_render import pdf_text
from tests.notices.test_services import itemized_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def urls(account):
    return {name: reverse(f"compliance:{name}", args=[account.pk])
            for name in ("notice_preview", "notice_pdf", "notice_generate")}


@pytest.mark.parametrize("role", [COMPLIANCE, ADMIN])
def test_preview_shows_the_notice_and_its_end_date(client_for, role):
    account = itemized_account()
    today = timezone.localdate()
    response = client_for(role).get(urls(account)["notice_preview"], {"language": "en", "sent_on": today})
    assert response.status_code == 200
    page = response.content.decode()
    assert "is a debt collector" in page and "Mail this notice" in page
    assert response.context["content"]["validation_period_end"] > today + timedelta(days=30)
    assert response.context["missing"] == []


def test_preview_in_spanish(client_for):
    response = client_for(COMPLIANCE).get(urls(itemized_account())["notice_preview"], {"language": "es"})
    assert "es un cobrador de deudas" in response.content.decode()
    assert response.context["content"]["language"] == "es"


def test_preview_lists_missing_content_by_name_and_offers_no_mailing(client_for):
    response = client_for(COMPLIANCE).get(urls(AccountFactory())["notice_preview"])
    page = response.content.decode()
    assert "<code>consumer_mailing_address</code>" in page and "Mail this notice" not in page


def test_pdf_download_is_the_rendered_notice(client_for):
    account = itemized_account()
    response = client_for(COMPLIANCE).get(urls(account)["notice_pdf"], {"language": "es"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="validation-notice-{account.pk}-' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF") and "Pat Doe" in pdf_text(response.content)


def test_pdf_of_an_incomplete_notice_is_refused_back_to_the_preview(client_for):
    account = AccountFactory()
    response = client_for(COMPLIANCE).get(urls(account)["notice_pdf"])
    assert response.status_code == 302 and response.url.startswith(urls(account)["notice_preview"])


def test_mailing_records_the_notice_and_the_stored_pdf_can_be_downloaded(client_for):
    account = itemized_account()
    client = client_for(COMPLIANCE)
    response = client.post(urls(account)["notice_generate"],
                           {"language": "en", "sent_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    notice = ValidationNotice.objects.get(account=account)
    assert ContactAttempt.objects.get(account=account).content["pdf"] == notice.pdf.name
    assert "Validation notice mailed" in [str(m) for m in get_messages(response.wsgi_request)][0]
    stored = client.get(urls(account)["notice_pdf"], {"notice": notice.pk})
    assert stored.status_code == 200 and b"".join(stored.streaming_content).startswith(b"%PDF")


def test_mailing_in_the_past_is_refused(client_for):
    account = itemized_account()
    # Two days back: yesterday in UTC is still today in the user's zone (New York) in the hours after
    # midnight UTC, and the form judges "the past" in the user's zone.
    past = timezone.localdate() - timedelta(days=2)
    response = client_for(COMPLIANCE).post(urls(account)["notice_generate"],
                                           {"language": "en", "sent_on": past.isoformat()})
    assert response.status_code == 302 and not ValidationNotice.objects.exists()
    assert "cannot be mailed in the past" in str(list(get_messages(response.wsgi_request))[0])


@pytest.mark.parametrize("role", [COLLECTOR, SUPERVISOR, ACCOUNTING])
def test_other_roles_cannot_see_download_or_mail_notices(client_for, role):
    account = itemized_account()
    client = client_for(role)
    assert client.get(urls(account)["notice_preview"]).status_code == 403
    assert client.get(urls(account)["notice_pdf"]).status_code == 403
    assert client.post(urls(account)["notice_generate"], {"language": "en"}).status_code == 403
    assert not ValidationNotice.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(urls(itemized_account())["notice_preview"])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_preview_embeds_the_whole_notice_in_one_escaped_srcdoc(client_for):
    page = client_for(COMPLIANCE).get(urls(itemized_account())["notice_preview"]).content.decode()
    start = page.index('<iframe title="Notice preview" srcdoc="')
    frame = page[start:page.index("</iframe>", start)]
    assert "&lt;html" in frame and "is a debt collector" in frame
    assert "<html" not in frame  # raw markup would end the attribute at its first quote


@pytest.mark.parametrize(("notice", "status"), [
    ("abc", 404), ("1e30", 404), ("NaN", 404), ("-1", 404), ("99999999999999999999999999", 404), ("999999", 404),
    ("a\x00b", 400),  # refused before the view: no address may hold NUL
])
def test_a_stored_notice_asked_for_by_an_id_that_is_no_notice_is_404_not_500(client_for, notice, status):
    account = itemized_account()
    response = client_for(COMPLIANCE).get(urls(account)["notice_pdf"], {"notice": notice})
    assert response.status_code == status
