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

# A debtor whose language is Spanish reads the same notices in Spanish first; the English ones follow
# (a Spanish-language communication carries its disclosures in Spanish: 12 CFR 1006.34(e), 1006.18(e)).
DISCLOSURE_ES = "Esta comunicación proviene de un cobrador de deudas. Se trata de un intento de cobrar una " \
                "deuda y cualquier información obtenida se utilizará con ese fin."
SMS_DISCLOSURE_ES = "De un cobrador de deudas."
SMS_OPT_OUT_ES = "Responda STOP para no recibir más mensajes de texto."
EMAIL_OPT_OUT_ES = "Para dejar de recibir correos electrónicos, responda con la palabra STOP o llame al {phone}."


def debtor_language(account) -> str:
    """The language the debtor reads: 'es' or 'en' (anything else reads English)."""
    language = getattr(account.debtor, "preferred_language", "en") or "en"
    return language if language in ("en", "es") else "en"


def message_content(*, channel: str, account, content: dict | None) -> dict:
    profile = getattr(settings, "COLLECTOR_PROFILE", {}) or {}
    name, phone = profile.get("name", ""), profile.get("phone", "")
    given = dict(content or {})
    ref = account.creditor_account_number
    spanish = debtor_language(account) == "es"
    if channel == "sms":
        if spanish:
            body = given.get("body") or (f"{name}: llámenos al {phone} por la cuenta que termina en {ref[-4:]}.")
            opt_out = "" if "Responda STOP" in body else f" {SMS_OPT_OUT_ES}"
            return {"body": f"{body} {SMS_DISCLOSURE_ES}{opt_out} {SMS_DISCLOSURE} {SMS_OPT_OUT}"}
        body = given.get("body") or f"{name}: please call us at {phone} about account ending {ref[-4:]}."
        return {"body": f"{body} {SMS_DISCLOSURE} {SMS_OPT_OUT}"}
    if channel == "email":
        if spanish:
            subject = given.get("subject") or f"Su cuenta con {name}"
            body = given.get("body") or (f"Hola, {account.debtor.display_name}:\n\nComuníquese con nosotros al "
                                         f"{phone} por la cuenta {ref} ({account.creditor.name}).")
            opt_out = "" if "responda con la palabra STOP" in body else f"\n\n{EMAIL_OPT_OUT_ES.format(phone=phone)}"
            english = f"{DISCLOSURE}\n\n{EMAIL_OPT_OUT.format(phone=phone)}"
            return {"subject": subject, "body": f"{body}\n\n{DISCLOSURE_ES}{opt_out}\n\n{english}"}
        subject = given.get("subject") or f"Your account with {name}"
        body = given.get("body") or (f"Hello {account.debtor.display_name},\n\nPlease contact us at {phone} about "
                                     f"account {ref} ({account.creditor.name}).")
        return {"subject": subject, "body": f"{body}\n\n{DISCLOSURE}\n\n{EMAIL_OPT_OUT.format(phone=phone)}"}
    if channel == "letter":
        if spanish:
            body = given.get("body") or (f"Comuníquese con nosotros al {phone} por su cuenta {ref} con "
                                         f"{account.creditor.name}.")
            disclosure = f"{DISCLOSURE_ES} {DISCLOSURE}"
        else:
            body = given.get("body") or (f"Please contact us at {phone} about your account {ref} with "
                                         f"{account.creditor.name}.")
            disclosure = DISCLOSURE
        # A letter rendered elsewhere (validation notices) arrives with its stored "pdf" and metadata.
        return {**given, "template": given.get("template") or "collection_demand", "body": body,
                "disclosure": disclosure, "language": "es" if spanish else "en"}
    return given
