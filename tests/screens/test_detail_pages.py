"""Detail pages are in the automatic audits (axe-core and 390 px in tests/browser/test_screens.py, Spanish in
tests/screens/test_i18n.py) like every other page: each is opened on a demo object that fills it."""

import pytest
from django.urls import get_resolver

from tests.browser.test_screens import DETAIL_PAGES, NOT_AUDITED, URL_KWARGS, _patterns, demo_data, pages_for
from tests.foundation.test_access import MATRIX


def test_every_page_the_matrix_opens_on_a_missing_object_is_audited_on_a_real_one():
    """The role matrix checks a detail page with an id that does not exist (404 for an allowed role); such a
    page must name its demo object for the audits (DETAIL_PAGES and URL_KWARGS) or say why it is not audited."""
    names = {name for name, _params in _patterns(get_resolver())}
    detail = {name for name, (_roles, status) in MATRIX.items()
              if status == 404 and name in names and not name.startswith("api-")}
    assert detail - DETAIL_PAGES - set(NOT_AUDITED) == set()
    assert {"skiptrace:detail", "escalations:detail", "bureau:run_detail", "retention:run_detail"} <= DETAIL_PAGES
    assert DETAIL_PAGES <= set(URL_KWARGS)


@pytest.mark.django_db
def test_detail_pages_open_on_their_demo_objects_for_every_allowed_role():
    from django.test import Client

    from accounts.access import ROLES
    from collections_app.models import User
    from tests.browser.test_screens import DEMO_USER

    data = demo_data()
    opened = set()
    for role in ROLES:
        client = Client()
        client.force_login(User.objects.get(username=DEMO_USER[role]))
        for name, path in pages_for(role, data):
            if name in DETAIL_PAGES:
                response = client.get(path)
                assert response.status_code == 200, (role, path, response.status_code)
                assert b"<main" in response.content, (role, path)
                opened.add(name)
    assert opened == DETAIL_PAGES
