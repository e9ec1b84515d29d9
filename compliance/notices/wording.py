"""The words of the validation notice in English and Spanish.

English follows Model Form B-1 (12 CFR part 1006, appendix B); Spanish follows the CFPB's
published Spanish translation of that form, which carries a safe harbor for the "complete and
accurate" translation requirement of 12 CFR 1006.34(e) when the English notice is also provided.
Every sentence that carries a required FED-VN-02 item is produced here, so the content builder can
check it is present and the templates print exactly what was checked.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

LANGUAGES = ("en", "es")

CFPB_WEBSITE = "www.cfpb.gov/debt-collection"
# The optional Spanish-offer sentences of 1006.34(d)(3)(vi); always printed in Spanish.
SPANISH_OFFER = "Póngase en contacto con nosotros para solicitar una copia de este formulario en español."
SPANISH_REQUEST_PROMPT = "Quiero este formulario en español."

_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
_MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre"]


def format_date(day: date, language: str) -> str:
    """'July 9, 2025' / '9 de julio de 2025'."""
    if language == "es":
        return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    return f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}"


def format_money(amount: Decimal) -> str:
    """US dollars to the cent, as on Model Form B-1 in both languages: '$1,843.27', '-$5.00'."""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def _sentence(name: str) -> str:
    """End a sentence with a name without doubling its own period ("Acme Bank, N.A.")."""
    return name if name.endswith(".") else f"{name}."


def statements(*, language: str, collector_name: str, current_creditor: str, creditor_on_itemization_date: str,
               account_number: str, itemization_date: date, end_date: date, electronic_address: str | None,
               reference: str) -> dict:
    """Every sentence of the notice that depends on the debt, in ``language``."""
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported notice language {language!r}; use one of {LANGUAGES}.")
    item = format_date(itemization_date, language) if itemization_date else ""
    end = format_date(end_date, language) if end_date else ""
    return (_spanish if language == "es" else _english)(
        collector=collector_name, current=current_creditor, then=creditor_on_itemization_date,
        account=account_number, item=item, end=end, electronic=electronic_address, reference=reference)


def _english(*, collector, current, then, account, item, end, electronic, reference) -> dict:
    return {
        "debt_collector_disclosure": (
            f"{collector} is a debt collector. We are trying to collect a debt that you owe to {_sentence(current)} "
            "We will use any information you give us to help collect the debt."),
        "debt_description": f"You had an account from {then} with account number {account}.",
        "our_information_shows": "Our information shows:",
        "as_of": f"As of {item}, you owed:",
        "between": f"Between {item} and today:",
        "interest": "You were charged this amount in interest:",
        "fees": "You were charged this amount in fees:",
        "payments": "You paid or were credited this amount toward the debt:",
        "total": "Total amount of the debt now:",
        "dispute_heading": "How can you dispute the debt?",
        "dispute_by_end_date": (
            f"Call or write to us by {end}, to dispute all or part of the debt. "
            "If you do not, we will assume that our information is correct."),
        "dispute_stops_collection": (
            f"If you write to us by {end}, we must stop collection on any amount you dispute until we send "
            "you information that shows you owe the debt. You may use the form below or write to us without "
            "the form. You may also include supporting documents."),
        "electronic_dispute_instructions": (
            f"We accept disputes electronically at {electronic}." if electronic else None),
        "what_else_heading": "What else can you do?",
        "original_creditor_by_end_date": (
            "Write to ask for the name and address of the original creditor, if different from the current "
            f"creditor. If you write by {end}, we must stop collection until we send you that information. "
            "You may use the form below or write to us without the form."),
        "electronic_original_creditor_instructions": (
            f"We accept such requests electronically at {electronic}." if electronic else None),
        "cfpb_reference": (
            f"Go to {CFPB_WEBSITE} to learn more about your rights under federal law. "
            "For instance, you have the right to stop or limit how we contact you."),
        "payment_options": "Contact us about your payment options.",
        "reference_label": "Reference:",
        "to_label": "To:",
        "response_heading": "How do you want to respond?",
        "response_check_all": "Check all that apply:",
        "response_dispute_intro": "I want to dispute the debt because I think:",
        "response_dispute_options": [
            "This is not my debt.",
            "The amount is wrong.",
            "Other (please describe on reverse or attach additional information).",
        ],
        "response_original_creditor": "I want you to send me the name and address of the original creditor.",
        "response_enclosed_amount": "I enclosed this amount:",
        "response_payable_to": f"Make your check payable to {collector}. Include the reference number {reference}.",
        "response_mail_to": "Mail this form to:",
    }


def _spanish(*, collector, current, then, account, item, end, electronic, reference) -> dict:
    return {
        "debt_collector_disclosure": (
            f"{collector} es un cobrador de deudas. Estamos tratando de cobrar una deuda que usted le debe a "
            f"{_sentence(current)} Usaremos cualquier información que usted nos dé para ayudarnos a cobrar la deuda."),
        "debt_description": f"Usted tenía una cuenta de {then} con el número de cuenta {account}.",
        "our_information_shows": "Nuestra información muestra:",
        "as_of": f"Al {item}, usted debía:",
        "between": f"Entre el {item} y hoy:",
        "interest": "Se le cobró esta cantidad en intereses:",
        "fees": "Se le cobró esta cantidad en cargos:",
        "payments": "Usted pagó o se le acreditó esta cantidad a la deuda:",
        "total": "Cantidad total de la deuda ahora:",
        "dispute_heading": "¿Cómo puede disputar la deuda?",
        "dispute_by_end_date": (
            f"Llámenos o escríbanos a más tardar el {end} para disputar toda o parte de la deuda. "
            "Si no lo hace, asumiremos que nuestra información es correcta."),
        "dispute_stops_collection": (
            f"Si nos escribe a más tardar el {end}, debemos dejar de cobrar cualquier cantidad que usted "
            "dispute hasta que le enviemos información que demuestre que usted debe la deuda. Puede usar el "
            "formulario de abajo o escribirnos sin el formulario. También puede incluir documentos de respaldo."),
        "electronic_dispute_instructions": (
            f"Aceptamos disputas electrónicamente en {electronic}." if electronic else None),
        "what_else_heading": "¿Qué más puede hacer?",
        "original_creditor_by_end_date": (
            "Escríbanos para pedir el nombre y la dirección del acreedor original, si es diferente del "
            f"acreedor actual. Si nos escribe a más tardar el {end}, debemos dejar de cobrar hasta que le "
            "enviemos esa información. Puede usar el formulario de abajo o escribirnos sin el formulario."),
        "electronic_original_creditor_instructions": (
            f"Aceptamos esas solicitudes electrónicamente en {electronic}." if electronic else None),
        "cfpb_reference": (
            f"Visite {CFPB_WEBSITE} para obtener más información sobre sus derechos según la ley federal. "
            "Por ejemplo, usted tiene derecho a detener o limitar la forma en que nos comunicamos con usted."),
        "payment_options": "Comuníquese con nosotros para conocer sus opciones de pago.",
        "reference_label": "Referencia:",
        "to_label": "Para:",
        "response_heading": "¿Cómo desea responder?",
        "response_check_all": "Marque todas las opciones que correspondan:",
        "response_dispute_intro": "Quiero disputar la deuda porque creo que:",
        "response_dispute_options": [
            "Esta no es mi deuda.",
            "La cantidad es incorrecta.",
            "Otro (describa al reverso o adjunte información adicional).",
        ],
        "response_original_creditor": "Quiero que me envíen el nombre y la dirección del acreedor original.",
        "response_enclosed_amount": "Adjunté esta cantidad:",
        "response_payable_to": (
            f"Haga su cheque pagadero a {collector}. Incluya el número de referencia {reference}."),
        "response_mail_to": "Envíe este formulario por correo a:",
    }
