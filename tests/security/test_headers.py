"""Security headers (issue 14, item 5): a strict CSP, no-store on everything Django answers, Permissions-Policy."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_pages_send_a_strict_csp_without_unsafe_inline_or_eval(client_for):
    account = AccountFactory()
    response = client_for("collector").get(reverse("account-workspace", args=[account.pk]))
    policy = _csp(response)
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert not any("unsafe" in v for values in policy.values() for v in values)


@pytest.mark.parametrize("path", ["workspace", "api-detail", "login", "api-list"])
def test_personal_data_responses_are_never_cached(client_for, path):
    account = AccountFactory()
    url = {"workspace": reverse("account-workspace", args=[account.pk]),
           "api-detail": f"/api/accounts/{account.pk}/", "api-list": "/api/accounts/", "login": reverse("login")}[path]
    response = client_for(None if path == "login" else "collector").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_notice_preview_styles_its_iframe_with_the_pages_nonce(client_for):
    from tests.factories import AddressFactory

    account = AccountFactory()
    AddressFactory(debtor=account.debtor)
    response = client_for("compliance").get(reverse("compliance:notice_preview", args=[account.pk]))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f"nonce=&quot;{nonce}&quot;" in response.content.decode()  # inside the escaped srcdoc


# Rendered to PDF by WeasyPrint only, never served to a browser: inline <style> is fine there.
PDF_ONLY = ("templates/compliance/letters/", "templates/payments/documents/")


def test_templates_have_no_inline_script_style_or_event_handlers():
    """The CSP would block them: behaviour lives in static/js, looks in static/css."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        if str(path.relative_to(ROOT)).startswith(PDF_ONLY):
            continue
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text) \
                or re.search(r"\sstyle\s*=", text) or (re.search(r"<style[\s>]", text) and "nonce" not in text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, (f"{offenders}: the Content-Security-Policy blocks inline <script>, style=\"…\", <style> "
                           "and on*= handlers; move them to static/js and static/css (a PDF-only template folder "
                           "goes in PDF_ONLY)")


def test_swagger_ui_loads_its_script_from_a_url_not_inline(client_for):
    html = client_for("collector").get(reverse("api-docs")).content.decode()
    assert "<script>" not in html and "?script=" in html and "<style>" not in html


def test_the_cached_policy_is_django_csps_own_and_follows_the_settings(client_for, settings):
    """collections_app.middleware.CSPMiddleware builds the common header once: the same header
    django-csp builds, rebuilt when the settings change, and never used for a response with a nonce."""
    from csp.utils import build_policy

    response = client_for("collector").get("/api/accounts/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == build_policy()
    assert "nonce-" not in response["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
                                                       "img-src": ["'self'", "https://img.example.org"]}}
    changed = client_for("collector").get("/api/accounts/")["Content-Security-Policy"]
    assert "https://img.example.org" in changed and changed == build_policy()
