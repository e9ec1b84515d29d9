"""Calls are dialled by the collector; the gate authorises and logs them. Nothing to deliver."""

from .base import PermanentDeliveryError


class CallChannel:
    name = "call"

    def send(self, attempt) -> str:
        raise PermanentDeliveryError("Calls are placed by the collector, not delivered by the system.")
