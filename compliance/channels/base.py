"""What a delivery channel is, and the two kinds of failure the delivery task tells apart."""

from typing import Protocol


class TransientDeliveryError(Exception):
    """Might succeed next time (connection refused, timeout, provider 5xx): the task retries."""


class PermanentDeliveryError(Exception):
    """Will fail again (bad address, rejected content): the attempt is marked failed."""


class DeliveryChannel(Protocol):
    name: str

    def send(self, attempt) -> str:
        """Deliver one allowed, queued ContactAttempt; return a provider/file reference."""
