"""Delivery channels. Only the gate (``compliance.gate``) may import this package: anything that
reaches a debtor must pass the gate first (a test walks the source tree to keep it so).
"""

from .base import PermanentDeliveryError, TransientDeliveryError


def channel_for(name: str):
    if name == "email":
        from .email import EmailChannel
        return EmailChannel()
    if name == "sms":
        from .sms import SmsChannel
        return SmsChannel()
    if name == "letter":
        from .letter import LetterChannel
        return LetterChannel()
    if name == "call":
        from .call import CallChannel
        return CallChannel()
    raise PermanentDeliveryError(f"No delivery channel {name!r}.")


__all__ = ["PermanentDeliveryError", "TransientDeliveryError", "channel_for"]
