"""Brute force, second factor and sessions (issue 14, item 2).

The rest of the suite runs with TWO_FACTOR_REQUIRED_ROLES empty (pytest.ini); these tests turn the
enforcement on and prove it. Lockout state lives in the database (django-axes' database handler), so each
test's transaction rollback resets it.
"""

import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent
from collections_app.middleware import IdleSessionTimeoutMiddleware
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def enforce_2fa(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "compliance"]


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _fail(client, path, username, times, addr="10.0.0.1"):
    for _ in range(times):
        client.post(path, {"username": username, "password": "wrong"}, REMOTE_ADDR=addr)


def test_five_wrong_passwords_lock_the_login_page_even_for_the_right_password(client):
    UserFactory(username="ana", roles=["collector"])
    _fail(client, reverse("login"), "ana", 5)
    response = client.post(reverse("login"), {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429 and b"Too many failed logins" in response.content
    assert "_auth_user_id" not in client.session
    # the name is locked from another address too (per user), and the address for another name (per address)
    assert client.post(reverse("login"), {"username": "ana", "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.2").status_code == 429
    UserFactory(username="bo", roles=["collector"])
    assert client.post(reverse("login"), {"username": "bo", "password": PASSWORD},
                       REMOTE_ADDR="10.0.0.1").status_code == 429


def test_four_wrong_passwords_then_the_right_one_logs_in(client):
    UserFactory(username="cy", roles=["collector"])
    _fail(client, reverse("login"), "cy", 4)
    response = client.post(reverse("login"), {"username": "cy", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_admin_login_is_locked_too_and_the_lockout_is_audited(client):
    UserFactory(username="root", roles=["admin"])
    _fail(client, reverse("admin:login"), "root", 5, addr="10.0.0.9")
    response = client.post(reverse("admin:login"), {"username": "root", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    event = AuditEvent.objects.filter(action="lockout").order_by("id").first()
    assert event.object_id == "root" and event.ip_address == "10.0.0.9" and "locked out" in event.summary


def test_an_admin_unlocks_a_login_in_the_admin_and_it_is_audited(client, client_for, users):
    UserFactory(username="dee", roles=["collector"])
    _fail(client, reverse("login"), "dee", 5, addr="10.0.0.3")
    admin_client = client_for("admin")
    attempts = list(AccessAttempt.objects.filter(username="dee"))
    assert attempts
    for attempt in attempts:
        url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="dee").exists()
    assert AuditEvent.objects.filter(action="unlock", object_id="dee", user=users["admin"]).exists()
    admin_client.logout()
    response = client.post(reverse("login"), {"username": "dee", "password": PASSWORD}, REMOTE_ADDR="10.0.0.4")
    assert response.status_code == 302


def test_admin_and_compliance_must_enrol_and_confirm_a_totp_code(client, enforce_2fa, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code; not this test's point
    user = UserFactory(username="comp", roles=["compliance"])
    response = client.post(reverse("login"), {"username": "comp", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("compliance:home"))
    assert page.status_code == 302 and page.url.startswith(reverse("two-factor"))
    assert client.get("/api/accounts/").status_code == 403  # session API calls too
    enrol = client.get(reverse("two-factor"))
    assert enrol.status_code == 200 and b"<svg" in enrol.content
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    wrong = client.post(reverse("two-factor"), {"code": "000000" if _code(device) != "000000" else "111111"})
    assert b"not valid" in wrong.content
    confirmed = client.post(reverse("two-factor"), {"code": _code(device), "next": reverse("compliance:home")})
    assert confirmed.status_code == 302 and confirmed.url == reverse("compliance:home")
    assert client.get(reverse("compliance:home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_admin_pages_need_the_second_factor(client_for, enforce_2fa):
    response = client_for("admin").get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("two-factor"))


def test_collectors_need_no_second_factor_unless_they_enrolled(client_for, users, enforce_2fa):
    client = client_for("collector")
    assert client.get(reverse("accounts:list")).status_code == 200
    TOTPDevice.objects.create(user=users["collector"], name="phone", confirmed=True)
    assert client.get(reverse("accounts:list")).status_code == 302


def test_the_deploy_check_refuses_production_without_totp_for_admin_and_compliance(settings):
    from collections_app.checks import two_factor_for_privileged_roles

    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin"]
    assert [e.id for e in two_factor_for_privileged_roles(None)] == ["collections.E001"]
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "compliance"]
    assert two_factor_for_privileged_roles(None) == []


def test_an_idle_session_ends_after_the_timeout(client_for, settings):
    settings.SESSION_IDLE_TIMEOUT = 3600
    client = client_for("collector")
    assert client.get(reverse("accounts:list")).status_code == 200
    session = client.session
    session[IdleSessionTimeoutMiddleware.KEY] = int(time.time()) - 3601
    session.save()
    response = client.get(reverse("accounts:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("accounts:list")).status_code == 302  # the session is gone


def test_an_active_session_stays_and_the_default_idle_timeout_is_8_hours(client_for, settings):
    from django.conf import settings as live

    assert live.SESSION_IDLE_TIMEOUT == 8 * 3600 and live.SESSION_COOKIE_AGE == 8 * 3600
    client = client_for("collector")
    session = client.session
    session[IdleSessionTimeoutMiddleware.KEY] = int(time.time()) - 3500
    session.save()
    assert client.get(reverse("accounts:list")).status_code == 200
    assert client.session[IdleSessionTimeoutMiddleware.KEY] >= int(time.time()) - 5  # touched


def test_logout_everywhere_ends_every_session_of_the_user(users, django_user_model):
    from django.test import Client

    laptop, phone = Client(), Client()
    for c in (laptop, phone):
        c.force_login(users["collector"])
        assert c.get(reverse("accounts:list")).status_code == 200
    assert laptop.post(reverse("logout-everywhere")).status_code == 302
    assert phone.get(reverse("accounts:list")).status_code == 302
    assert laptop.get(reverse("accounts:list")).status_code == 302
    other = Client()
    other.force_login(users["supervisor"])
    assert other.get(reverse("accounts:list")).status_code == 200  # other users keep theirs
