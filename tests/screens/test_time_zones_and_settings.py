"""Times are typed and shown in each user's own zone, always labelled; language and zone are per user."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from compliance.models import DirectPriorConsent
from tests.factories import UserFactory
from tests.gate.support import account_in_zone

pytestmark = pytest.mark.django_db


def record_consent(client, account, typed):
    return client.post(reverse("account-consent-record", args=[account.pk]), {
        "scope": "call_frequency", "given_at": typed, "given_via": "inbound_call", "statement": "call me"},
        HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("zone, stored_utc_hour", [("America/New_York", 14), ("America/Chicago", 15),
                                                    ("Pacific/Honolulu", 19)])
def test_a_local_time_typed_on_the_consent_form_is_stored_as_the_right_instant(client, zone, stored_utc_hour):
    client.force_login(UserFactory(username="typist", roles=["collector"], time_zone=zone))
    account = account_in_zone("America/Phoenix")
    response = record_consent(client, account, "2026-01-15T09:00")  # 09:00 on the collector's own clock
    assert response.status_code == 200
    assert DirectPriorConsent.objects.get().given_at == datetime(2026, 1, 15, stored_utc_hour, 0, tzinfo=UTC)


def test_the_form_says_which_zone_times_are_typed_in_and_shows_the_debtors_beside_it(client):
    client.force_login(UserFactory(username="typist", roles=["collector"], time_zone="America/New_York"))
    page = client.get(reverse("account-workspace", args=[account_in_zone("America/Phoenix").pk])).content.decode()
    assert "Your local time (America/New_York)." in page  # the Given at field's help text
    consent_zones = page.split('data-testid="consent-zones"')[1].split("</p>")[0]
    assert "America/New_York" in consent_zones and "America/Phoenix" in consent_zones and "MST" in consent_zones


def test_the_compliance_list_labels_the_same_instant_with_the_viewers_zone(client):
    collector = UserFactory(username="typist", roles=["collector"], time_zone="America/New_York")
    client.force_login(collector)
    record_consent(client, account_in_zone("America/Phoenix"), "2026-01-15T08:58")
    client.force_login(UserFactory(username="counsel", roles=["compliance"], time_zone="America/New_York"))
    listing = client.get(reverse("compliance:direct_consents")).content.decode()
    assert "2026-01-15 08:58 EST" in listing and "13:58" not in listing  # not an unlabelled UTC time
    client.force_login(UserFactory(username="west", roles=["compliance"], time_zone="America/Los_Angeles"))
    assert "2026-01-15 05:58 PST" in client.get(reverse("compliance:direct_consents")).content.decode()


def test_settings_page_changes_the_users_zone_and_language(client):
    user = UserFactory(username="setter", roles=["supervisor"], time_zone="America/New_York")
    client.force_login(user)
    response = client.post(reverse("user-settings"), {"time_zone": "America/Denver", "language": "es"}, follow=True)
    user.refresh_from_db()
    assert (user.time_zone, user.language) == ("America/Denver", "es")
    page = response.content.decode()
    assert '<html lang="es"' in page and "Su configuración se ha guardado." in page and "America/Denver" in page
    translation.activate("en")


def test_settings_refuse_an_unknown_zone(client):
    client.force_login(UserFactory(username="setter", roles=["collector"]))
    response = client.post(reverse("user-settings"), {"time_zone": "Mars/Olympus", "language": ""})
    assert response.status_code == 200 and "Mars/Olympus" in response.content.decode()
    assert "errorlist" in response.content.decode()


def test_language_switcher_stores_the_choice_and_returns_to_the_page(client):
    user = UserFactory(username="switcher", roles=["collector"])
    client.force_login(user)
    back = reverse("accounts:list")
    response = client.post(reverse("user-language"), {"language": "es", "next": back})
    assert response.status_code == 302 and response.url == back
    user.refresh_from_db()
    assert user.language == "es"
    page = client.get(back).content.decode()
    assert '<html lang="es"' in page and "Cerrar sesión" in page, page[:3000]
    switcher = page.split('data-testid="language-switcher"')[1].split("</form>")[0]
    assert 'value="en"' in switcher and "English" in switcher and 'value="es"' not in switcher
    response = client.post(reverse("user-language"), {"language": "xx", "next": "https://evil.example/"})
    assert "evil.example" not in response.url
    user.refresh_from_db()
    assert user.language == "es"  # an unknown language changes nothing
    translation.activate("en")


@pytest.mark.parametrize("next_value", ["-1", "999999", "a\x00b", "home"])
def test_language_switcher_given_a_next_that_is_no_url_goes_home_and_says_what_was_refused(client, next_value):
    client.force_login(UserFactory(username="switcher2", roles=["collector"]))
    response = client.post(reverse("user-language"), {"language": "xx", "next": next_value}, follow=True)
    assert response.status_code == 200 and response.redirect_chain[0][0] == reverse("home")
    assert "The language was not changed: “xx” is not one of the languages on offer." in response.content.decode()
