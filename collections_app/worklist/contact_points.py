"""Contact points from the collector's screen: add a phone or email, verify it, or mark it wrong party /
disconnected; mark an address whose mail came back. The gate only offers active contact points, so a
marked number is never dialled again and a returned address no longer counts as the debtor's location."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import timezones
from accounts.models import Address, Email, Phone
from accounts.models.parties import ContactStatus
from collections_app.models import ContactPointEvent

from .rescoring import rescore_account

ACTION_STATUS = {ContactPointEvent.Action.VERIFIED: ContactStatus.ACTIVE,
                 ContactPointEvent.Action.WRONG: ContactStatus.WRONG,
                 ContactPointEvent.Action.DISCONNECTED: ContactStatus.DISCONNECTED,
                 ContactPointEvent.Action.RETURNED: ContactStatus.RETURNED}
# What each kind of contact point can be marked (an address is not "disconnected"; a phone's mail is not returned).
KIND_ACTIONS = {ContactPointEvent.Kind.PHONE: {"verified", "wrong", "disconnected"},
                ContactPointEvent.Kind.EMAIL: {"verified", "wrong", "disconnected"},
                ContactPointEvent.Kind.ADDRESS: {"verified", "wrong", "returned"}}


def contact_point_add(*, account, kind: str, value: str, user, phone_type: str = Phone.Type.CELL):
    """Add a phone (any US format, stored E.164 with its zones) or an email to the account's debtor."""
    debtor = account.debtor
    with transaction.atomic():
        if kind == ContactPointEvent.Kind.PHONE:
            number = timezones.normalize_phone(value)
            if not number:
                raise ValidationError(_("phone: %(value)s is not a valid phone number.") % {"value": repr(value)})
            if debtor.phones.filter(number=number).exists():
                raise ValidationError(_("phone: %(number)s is already on file.") % {"number": number})
            point = Phone.objects.create(debtor=debtor, number=number, phone_type=phone_type,
                                         time_zones=list(timezones.zones_for_phone(number)))
            shown = number
        elif kind == ContactPointEvent.Kind.EMAIL:
            try:
                validate_email(value.strip())
            except ValidationError:
                raise ValidationError(_("email: %(value)s is not a valid email address.")
                                      % {"value": repr(value)}) from None
            if debtor.emails.filter(address__iexact=value.strip()).exists():
                raise ValidationError(_("email: %(value)s is already on file.") % {"value": value.strip()})
            point = Email.objects.create(debtor=debtor, address=value.strip())
            shown = point.address
        else:
            raise ValidationError(_("kind: %(kind)s is not phone or email.") % {"kind": repr(kind)})
        ContactPointEvent.objects.create(debtor=debtor, kind=kind, contact_id=point.pk, value=shown,
                                         action=ContactPointEvent.Action.ADDED, user=user)
    rescore_account(account_id=account.pk)
    return point


def contact_point_mark(*, account, kind: str, contact_id: int, action: str, user):
    """Verify a contact point (active again) or mark it wrong party / disconnected."""
    if action not in ACTION_STATUS:
        raise ValidationError(_("action: %(action)s is not one of %(allowed)s.")
                              % {"action": repr(action), "allowed": ", ".join(ACTION_STATUS)})
    model = {ContactPointEvent.Kind.PHONE: Phone, ContactPointEvent.Kind.EMAIL: Email,
             ContactPointEvent.Kind.ADDRESS: Address}.get(kind)
    if model is None:
        raise ValidationError(_("kind: %(kind)s is not phone, email or address.") % {"kind": repr(kind)})
    if action not in KIND_ACTIONS[kind]:
        raise ValidationError(_("action: a %(kind)s can be marked %(allowed)s.")
                              % {"kind": kind, "allowed": ", ".join(sorted(KIND_ACTIONS[kind]))})
    with transaction.atomic():
        point = model.objects.select_for_update().filter(pk=contact_id, debtor_id=account.debtor_id).first()
        if point is None:
            raise ValidationError(_("That contact point is not the debtor's."))
        point.status = ACTION_STATUS[action]
        point.save(update_fields=["status"])
        ContactPointEvent.objects.create(debtor_id=account.debtor_id, kind=kind, contact_id=point.pk,
                                         value=str(point)[:254], action=action, user=user)
    rescore_account(account_id=account.pk)
    if action != ContactPointEvent.Action.VERIFIED:
        from collections_app.skiptrace.services import skip_case_open_if_lost

        skip_case_open_if_lost(account=account, user=user)
    return point
