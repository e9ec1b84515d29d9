"""Where a form sends the user back to: a page of this site named in the request, never a bare word.

``redirect()`` takes a string without "/" or "." for a view name, so a posted ``next=-1`` would be a 500
(NoReverseMatch), and a full URL to another host an open redirect: both go to the default page instead."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, target: str | None, default: str) -> str:
    """``target`` when it is a URL of this site, else the URL of the view named ``default``."""
    target = (target or "").strip()
    if target.startswith("/") and "\x00" not in target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)
