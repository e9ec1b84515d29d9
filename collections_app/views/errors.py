"""Styled error pages (403, 404, 500) with the navigation and a way back, and one-line logs for refusals."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def _back_url(request) -> str:
    """The page the user came from, when it is on this site: the error page links back to it."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return ""


def _render(request, template, status, **extra):
    return render(request, template, {"back_url": _back_url(request), **extra}, status=status)


def permission_denied(request, exception=None):
    return _render(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


def server_error(request):
    # Rendered without the request: no context processor may touch the database that may have failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"back_url": ""}))
