import os
import tempfile

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.access import ROLES

from .factories import UserFactory


def _private_filesystem_broker():
    """Without Redis, Celery's filesystem:// broker lives under var/celery, where a developer's own
    worker would take the tests' tasks: give this test run a folder of its own."""
    from collections_app.celery import app

    if not str(app.conf.broker_url).startswith("filesystem"):
        return
    folder = tempfile.mkdtemp(prefix="collections-test-broker-")
    options = {**app.conf.broker_transport_options}
    for key in ("data_folder_in", "data_folder_out"):
        options[key] = os.path.join(folder, "queue")
    options["control_folder"] = os.path.join(folder, "control")
    options["processed_folder"] = os.path.join(folder, "processed")
    for path in {options["data_folder_in"], options["control_folder"], options["processed_folder"]}:
        os.makedirs(path, exist_ok=True)
    app.conf.broker_transport_options = options


_private_filesystem_broker()

# Property tests judge behaviour, not speed: on a loaded 2-core CI machine a per-example deadline only
# makes them flaky (speed is measured by bench/).
hypothesis_settings.register_profile("project", deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
hypothesis_settings.load_profile("project")


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A Spanish user's request leaves Spanish active in the thread (LocaleMiddleware activates, nothing
    deactivates): later tests start from the site's language, as a fresh request would."""
    yield
    from django.utils import translation

    translation.deactivate()

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser build."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_token_failure_counts(settings):
    """Failed API tokens are counted per address in the cache (Redis in CI, shared by the whole run): each
    test counts in its own namespace, so one test's bad tokens never lock another test's 127.0.0.1 out."""
    import uuid

    settings.API_TOKEN_FAILURE_CACHE_PREFIX = f"test-api-token-failures-{uuid.uuid4().hex}"


@pytest.fixture
def users(db):
    """One user per role, keyed by role name."""
    return {role: UserFactory(username=f"{role}_user", roles=[role]) for role in ROLES}


@pytest.fixture
def client_for(client, users):
    def make(role):
        if role is None:
            client.logout()
        else:
            client.force_login(users[role])
        return client
    return make
