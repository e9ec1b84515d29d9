"""The audit trail moved to the bottom layer (``accounts.audit``); kept here as an import path."""

from accounts.audit import audit_record, audit_request, client_meta

__all__ = ["audit_record", "audit_request", "client_meta"]
