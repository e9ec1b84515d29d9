"""Refused and missing pages: styled, with the navigation and a way back; a refusal logs one line."""

import logging

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import RequestFactory
from django.urls import reverse

from collections_app.views.errors import server_error

pytestmark = pytest.mark.django_db


def test_refused_page_is_styled_with_navigation_and_a_way_back(client_for):
    client = client_for("collector")
    came_from = "http://testserver" + reverse("accounts:list")
    response = client.get(reverse("compliance:audit"), HTTP_REFERER=came_from)
    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is not open to your role" in page
    assert 'data-testid="whoami"' in page and reverse("accounts:list") in page  # the site menu is there
    assert f'href="{came_from}"' in page and 'data-testid="error-home"' in page


def test_back_link_never_points_off_site(client_for):
    response = client_for("collector").get(reverse("compliance:audit"), HTTP_REFERER="https://evil.example/x")
    assert "evil.example" not in response.content.decode()


def test_missing_page_is_styled_with_a_way_home(client_for):
    response = client_for("supervisor").get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page and 'data-testid="error-home"' in page


def test_server_error_page_renders_without_touching_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):  # the failure may be the database itself
        response = server_error(RequestFactory().get("/boom/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_refusal_is_logged_as_one_line_naming_the_user(client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client_for("collector").get(reverse("compliance:audit"))
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None and "Traceback" not in caplog.text
    assert "/compliance/audit/" in record.getMessage() and "collector_user" in record.getMessage()


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.url == static("favicon.svg")
    assert finders.find("favicon.svg")


@pytest.mark.parametrize(("url", "query", "reason"), [
    ("payments:paid", {"creditor": "a\x00b"},
     "The parameter “creditor” of the address contains a NUL character (\\0): remove it and try again."),
    ("dashboard:home", {"from": ["2025-01-01", "a\x00b"]},
     "The parameter “from” of the address contains a NUL character (\\0): remove it and try again."),
    ("accounts:autocomplete", {"q\x00": "x"},
     "The parameter “q\N{SYMBOL FOR NULL}” of the address contains a NUL character (\\0): remove it and try again."),
])
def test_a_nul_character_in_the_address_is_a_400_naming_the_parameter(client_for, url, query, reason):
    import html

    response = client_for("admin").get(reverse(url), query)
    assert response.status_code == 400
    assert reason in html.unescape(response.content.decode())


def test_a_nul_character_in_the_path_is_a_400(client_for):
    response = client_for("admin").get("/dashboard/drill/a%00b/")
    assert response.status_code == 400
    assert "The path of the address contains a NUL character" in response.content.decode()


def test_the_nul_refusal_reads_in_spanish(client_for, users):
    import html

    users["admin"].language = "es"
    users["admin"].save(update_fields=["language"])
    response = client_for("admin").get(reverse("payments:paid"), {"creditor": "a\x00b"})
    assert response.status_code == 400
    assert ("El parámetro «creditor» de la dirección contiene un carácter NUL (\\0): quítelo y vuelva a intentarlo."
            in html.unescape(response.content.decode()))
