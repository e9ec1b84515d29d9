"""Process-wide test environment, set before Django settings load."""

import os

os.environ.setdefault("DEBUG", "1")  # test runner still forces settings.DEBUG = False
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
