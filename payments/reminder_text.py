"""Reminder wording in English and Spanish (chosen by the debtor's language).

The gate adds the debt-collector disclosure and the English opt-out line to every email and text
(compliance.gate.content); the Spanish texts carry the same opt-out in Spanish too, so a Spanish
reader sees how to stop them (12 CFR 1006.6(e): clear and conspicuous).
"""

from compliance.notices.wording import format_date, format_money

OPT_OUT_ES = {"sms": "Responda STOP para no recibir más mensajes de texto.",
              "email": "Para dejar de recibir correos electrónicos, responda con la palabra STOP."}

_TEXT = {
    "en": {
        "promise_due": ("Payment reminder", "This is a reminder of your promised payment of {amount} due {date} "
                                            "on account ending {ref}."),
        "installment_due": ("Payment plan reminder", "Your payment plan installment of {amount} is due {date} "
                                                      "on account ending {ref}."),
        "installment_missed": ("Missed plan payment", "We have not received your plan installment of {amount} "
                                                       "that was due {date} on account ending {ref}. Please call us."),
        "promise_missed": ("Missed payment", "We have not received the payment of {amount} you planned for {date} "
                                             "on account ending {ref}. Please call us."),
    },
    "es": {
        "promise_due": ("Recordatorio de pago", "Le recordamos su pago prometido de {amount} con vencimiento el "
                                                "{date} en la cuenta que termina en {ref}."),
        "installment_due": ("Recordatorio de plan de pagos", "Su cuota del plan de pagos de {amount} vence el "
                                                             "{date} en la cuenta que termina en {ref}."),
        "installment_missed": ("Pago del plan no recibido", "No hemos recibido su cuota de {amount} que vencía "
                                                            "el {date} en la cuenta que termina en {ref}. "
                                                            "Llámenos, por favor."),
        "promise_missed": ("Pago no recibido", "No hemos recibido el pago de {amount} previsto para el {date} en "
                                               "la cuenta que termina en {ref}. Llámenos, por favor."),
    },
}


def reminder_content(*, kind: str, channel: str, language: str, amount, due_date, account_number: str) -> dict:
    language = language if language in _TEXT else "en"
    subject, body = _TEXT[language][kind]
    body = body.format(amount=format_money(amount), date=format_date(due_date, language), ref=account_number[-4:])
    if language == "es" and channel in OPT_OUT_ES:
        body = f"{body} {OPT_OUT_ES[channel]}"
    if channel == "email":
        return {"subject": subject, "body": body, "template": "payment_reminder"}
    return {"body": body, "template": "payment_reminder"}
