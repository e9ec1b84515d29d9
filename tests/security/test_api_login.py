"""Brute force on the token API (issue 14, item 2): the token login is locked like the login pages
(django-axes, per user name and per address, audited), and failed tokens are throttled per address."""

import io

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-1"
LOGIN = "/api/auth/token/"


def _login(client, username, password, addr="10.1.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra}, format="json",
                       REMOTE_ADDR=addr)


def test_the_right_password_gets_the_users_token_and_a_wrong_one_a_json_400():
    user = UserFactory(username="api1", roles=["accounting"])
    client = APIClient()
    response = _login(client, "api1", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=user).key
    assert _login(client, "api1", PASSWORD).json()["token"] == token  # the same token each time
    assert client.get("/api/imports/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    wrong = _login(client, "api1", "nope")
    assert wrong.status_code == 400 and wrong.json() == {"detail": "Unable to log in with this user name and "
                                                                   "password."}
    assert "token" not in wrong.json()


def test_an_inactive_user_gets_no_token():
    UserFactory(username="gone", roles=["accounting"], is_active=False)
    assert _login(APIClient(), "gone", PASSWORD).status_code == 400


def test_five_failures_lock_the_token_login_even_for_the_right_password_and_it_is_audited():
    UserFactory(username="api2", roles=["collector"])
    client = APIClient()
    assert [_login(client, "api2", "wrong", addr="10.1.0.2").status_code for _ in range(5)] == [400] * 4 + [429]
    locked = _login(client, "api2", PASSWORD, addr="10.1.0.2")
    assert locked.status_code == 429 and locked["Content-Type"] == "application/json"
    assert "Too many failed logins" in locked.json()["detail"] and int(locked["Retry-After"]) > 0
    assert "token" not in locked.json()
    event = AuditEvent.objects.filter(action="lockout").order_by("id").first()
    assert event.object_id == "api2" and event.ip_address == "10.1.0.2" and "locked out" in event.summary
    # per user name: from another address too; per address: another user from the same one
    assert _login(client, "api2", PASSWORD, addr="10.1.0.3").status_code == 429
    UserFactory(username="api3", roles=["collector"])
    assert _login(client, "api3", PASSWORD, addr="10.1.0.2").status_code == 429
    assert _login(client, "api3", PASSWORD, addr="10.1.0.4").status_code == 200


def test_failures_on_the_token_login_lock_the_login_page_too(client):
    UserFactory(username="api4", roles=["collector"])
    api = APIClient()
    for _ in range(5):
        _login(api, "api4", "wrong", addr="10.1.0.5")
    page = client.post(reverse("login"), {"username": "api4", "password": PASSWORD}, REMOTE_ADDR="10.1.0.6")
    assert page.status_code == 429 and "_auth_user_id" not in client.session


def test_a_user_who_needs_a_second_factor_must_send_a_current_code(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "compliance"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = UserFactory(username="root2", roles=["admin"])
    client = APIClient()
    refused = _login(client, "root2", PASSWORD)
    assert refused.status_code == 403 and "second factor" in refused.json()["detail"]
    assert not Token.objects.filter(user=user).exists()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    wrong = "000000" if code != "000000" else "111111"
    assert _login(client, "root2", PASSWORD, otp=wrong).status_code == 403
    assert _login(client, "root2", PASSWORD, otp=code).status_code == 200


def test_failed_tokens_lock_the_address_out_of_token_authentication_and_it_is_audited(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    good = Token.objects.create(user=UserFactory(username="api5", roles=["accounting"])).key
    client = APIClient()

    def call(token, addr="10.2.0.1"):
        return client.get("/api/imports/", HTTP_AUTHORIZATION=f"Token {token}", REMOTE_ADDR=addr)

    assert call(good).status_code == 200
    assert [call("f" * 40).status_code for _ in range(2)] == [401, 401]
    third = call("e" * 40)
    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert "Too many failed token authentications" in third.json()["detail"]
    locked = call(good)  # the address is locked whatever the token: guessing goes nowhere
    assert locked.status_code == 429
    assert call(good, addr="10.2.0.2").status_code == 200  # other addresses are not affected
    events = AuditEvent.objects.filter(action="lockout", object_type="auth.token")
    assert [(e.object_id, e.ip_address) for e in events] == [("10.2.0.1", "10.2.0.1")]  # once, not per request
    assert call("d" * 40).status_code == 429 and events.count() == 1
    from django.core.management import call_command

    call_command("api_token_unlock", "10.2.0.1", stdout=io.StringIO())  # an administrator's unlock, audited
    assert AuditEvent.objects.filter(action="unlock", object_type="auth.token", object_id="10.2.0.1").exists()
    assert call(good).status_code == 200


def test_a_session_or_anonymous_request_is_not_counted_as_a_failed_token(settings, client_for):
    settings.API_TOKEN_FAILURE_LIMIT = 1
    assert APIClient().get("/api/imports/").status_code == 401
    assert client_for("accounting").get("/api/imports/").status_code == 200
    assert APIClient().get("/api/imports/", HTTP_AUTHORIZATION="Bearer abc").status_code == 401


def test_the_schema_documents_the_token_login_and_the_token_lockout():
    from drf_spectacular.generators import SchemaGenerator

    spec = SchemaGenerator().get_schema(request=None, public=True)
    login = spec["paths"]["/api/auth/token/"]["post"]
    assert {"200", "400", "403", "429"} <= set(login["responses"]) and "401" not in login["responses"]
    assert not login.get("security")
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if path != "/api/auth/token/" and method in ("get", "post", "put", "patch", "delete"):
                assert "429" in operation["responses"], (method, path)
