"""A user's own settings: time zone and language (the switcher in the menu posts here too)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ALL_ROLES, allow_roles
from accounts.redirects import local_url
from collections_app.forms import UserPreferencesForm


def _next_url(request) -> str:
    """Back to the page the switcher was on (a page of this site), else home."""
    return local_url(request, request.POST.get("next") or request.META.get("HTTP_REFERER", ""), "home")


@allow_roles(*ALL_ROLES)
def user_settings(request):
    form = UserPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language or settings.LANGUAGE_CODE)
        messages.success(request, _("Your settings are saved."))
        return redirect("user-settings")
    return render(request, "account_settings.html", {"form": form})


@require_POST
@allow_roles(*ALL_ROLES)
def user_language(request):
    """The menu's language switcher: stored on the user, so it follows them to any device."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
        translation.activate(language)
    else:
        messages.error(request, _("The language was not changed: “%(language)s” is not one of the languages on "
                                  "offer.") % {"language": language[:20]})
    return redirect(_next_url(request))
