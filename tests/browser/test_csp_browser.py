"""The strict Content-Security-Policy breaks nothing: pages, HTMX, Swagger UI and the notice preview run with
no CSP violation in Chromium; and a TOTP enrolment works end to end in the browser (issue 14)."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import AccountFactory, AddressFactory, DebtorFactory, UserFactory

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def test_pages_htmx_and_swagger_run_without_csp_violations(page, live_server):
    UserFactory(username="comp1", roles=["compliance", "admin"])
    debtor = DebtorFactory(first_name="Ana", last_name="Reyes")
    AddressFactory(debtor=debtor)
    account = AccountFactory(debtor=debtor, creditor_account_number="CSP-1")
    violations = _violations(page)
    login(page, live_server, "comp1")
    page.goto(f"{live_server.url}/accounts/")
    page.fill("input[name=q]", "Reyes")
    expect(page.locator("[data-testid=account-table] tbody tr")).to_have_count(1)  # HTMX still swaps
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    expect(page.get_by_test_id("account-heading")).to_contain_text("Ana Reyes")
    page.goto(f"{live_server.url}/compliance/notices/{account.pk}/")
    page.goto(f"{live_server.url}/compliance/simulator/")
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible(timeout=15000)  # its init script ran
    page.goto(f"{live_server.url}/admin/")
    assert violations == []


def test_an_admin_enrols_totp_in_the_browser(page, live_server, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "compliance"]
    user = UserFactory(username="adm1", roles=["admin"])
    login(page, live_server, "adm1")
    expect(page.get_by_test_id("totp-qr")).to_be_visible()  # sent to enrol before anything else
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.fill("input[name=code]", code)
    page.click("button:has-text('Confirm')")
    expect(page).not_to_have_url(re.compile(r"/2fa/"))  # past the second factor, on the role's landing page
    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_test_id("whoami")).to_contain_text("Administrator")
