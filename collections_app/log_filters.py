"""Logging filters named in settings.LOGGING (imported while settings load: keep imports light)."""

import logging

from django.core.exceptions import PermissionDenied


class PermissionDeniedOneLine(logging.Filter):
    """A refused page is routine (a role opening a link it may not use): log one line naming who and
    what, not a traceback. Attach to the django.request logger (see settings.LOGGING)."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(getattr(request, "user", None), "username", "") or "anonymous"
            record.msg = f"{record.getMessage()} (user {user}: {exc})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
