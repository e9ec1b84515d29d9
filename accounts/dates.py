"""Dates of record (ledger posting dates, promise and plan dates, import days, dashboard months) are read
in the site's zone (settings.TIME_ZONE), never in the zone of whoever is signed in: the request activates
each user's own zone for what they see and type (collections_app.middleware.UserPreferencesMiddleware),
and a payment posted at 23:30 must land on the same day whether a worker or a New York user posts it."""

from django.utils import timezone


def record_date(value=None):
    """The date of `value` (default: now) in the site's zone."""
    return timezone.localdate(value, timezone=timezone.get_default_timezone())
