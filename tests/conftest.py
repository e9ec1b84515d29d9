import pytest

from accounts.access import ROLES

from .factories import UserFactory

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser build."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
