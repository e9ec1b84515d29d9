"""Deploy checks (``manage.py check --deploy``) for the login hardening of issue 14."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from accounts.access import ADMIN, COMPLIANCE


@register(Tags.security, deploy=True)
def two_factor_for_privileged_roles(app_configs, **kwargs):
    missing = {ADMIN, COMPLIANCE} - set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if missing:
        return [Error(f"TWO_FACTOR_REQUIRED_ROLES must include {sorted(missing)}: they hold the system and the "
                      "audit trail", hint="unset TWO_FACTOR_REQUIRED_ROLES (the default is admin,compliance)",
                      id="collections.E001")]
    return []


@register(Tags.security, deploy=True)
def login_lockout_enabled(app_configs, **kwargs):
    if not getattr(settings, "AXES_ENABLED", True) or settings.AXES_FAILURE_LIMIT < 1:
        return [Error("django-axes login lockout is off", id="collections.E002")]
    return []
