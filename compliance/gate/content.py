"""What an email, SMS or letter says: the caller's text plus the notices the law requires.

12 CFR 1006.18(e): disclose that the communication is from a debt collector; 1006.6(e): every
electronic message carries a clear and conspicuous way to opt out. The gate tells the engine
these are present (``includes_opt_out_notice``), so they must be added here, not by callers.
"""

from __future__ import annotations

from django.conf import settings

DISCLOSURE = "This communication is from a debt collector. This is an attempt to collect a debt, and any " \
             "information obtained will be used for that purpose."
SMS_DISCLOSURE = "From a debt collector."
SMS_OPT_OUT = "Reply STOP to opt out of texts."
EMAIL_OPT_OUT = "To stop emails from us, reply with the word STOP or call {phone}."


def message_content(*, channel: str, account, content: dict | None) -> dict:
    profile = getattr(settings, "COLLECTOR_PROFILE", {}) or {}
    name, phone = profile.get("name", ""), profile.get("phone", "")
    given = dict(content or {})
    ref = account.creditor_account_number
    if channel == "sms":
        body = given.get("body") or f"{name}: please call us at {phone} about account ending {ref[-4:]}."
        return {"body": f"{body} {SMS_DISCLOSURE} {SMS_OPT_OUT}"}
    if channel == "email":
        subject = given.get("subject") or f"Your account with {name}"
        body = given.get("body") or (f"Hello {account.debtor.display_name},\n\nPlease contact us at {phone} about "
                                     f"account {ref} ({account.creditor.name}).")
        return {"subject": subject, "body": f"{body}\n\n{DISCLOSURE}\n\n{EMAIL_OPT_OUT.format(phone=phone)}"}
    if channel == "letter":
        body = given.get("body") or (f"Please contact us at {phone} about your account {ref} with "
                                     f"{account.creditor.name}.")
        # A letter rendered elsewhere (validation notices) arrives with its stored "pdf" and metadata.
        return {**given, "template": given.get("template") or "collection_demand", "body": body,
                "disclosure": DISCLOSURE}
    return given
