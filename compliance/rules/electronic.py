"""Electronic messages and voicemail (12 CFR 1006.2(j), 1006.6(d)-(e), 1006.22(f)(3))."""

from __future__ import annotations

from compliance.context import ELECTRONIC_CHANNELS, Context, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.third_party import REVEALING_WORDS

LCM_REQUIRED = {
    "business_name": ("business_name",),
    "request to reply": ("request_reply", "requests_reply", "request_to_reply"),
    "natural person's name": ("natural_person_name", "natural_person_names", "contact_name", "agent_name"),
    "callback number": ("callback_number", "callback_telephone_number", "telephone_number"),
}
LCM_OPTIONAL = {
    "salutation", "date_time", "date_and_time", "suggested_reply_times",
    "any_representative_statement", "may_speak_to_any_representative",
}
LCM_META = {"script_id", "text", "limited_content", "language", "duration_seconds", "prerecorded", "elements"}


class MissingOptOutNotice(Rule):
    """FED-ELEC-01: every email, text or other electronic message offers a simple opt-out.

    12 CFR 1006.6(e): a collector who communicates electronically "must include in such
    communication or attempt to communicate a clear and conspicuous statement describing a
    reasonable and simple method by which the consumer can opt out", and may not require a
    fee or information beyond the opt-out preference and the address or number.
    """

    id = "FED-ELEC-01"
    reason = "MISSING_OPT_OUT_NOTICE"
    citation = "12 CFR 1006.6(e)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in ELECTRONIC_CHANNELS or ctx.recipient_kind == "professional":
            return []
        if not ctx.action_flag("includes_opt_out_notice", "opt_out_notice"):
            return [self.fail(f"This {ctx.channel} has no clear and conspicuous opt-out method (e.g. 'Reply STOP').")]
        if ctx.action_flag("opt_out_requires_fee", "opt_out_requires_additional_information"):
            return [self.fail("The opt-out method asks for a fee or information beyond the opt-out preference.")]
        return []


class WorkEmail(Rule):
    """FED-ELEC-02: no email to an employer-provided address without consent or use by the consumer.

    12 CFR 1006.22(f)(3): a collector may not communicate using an email address it knows or
    should know is provided by the consumer's employer, unless it received directly from the
    consumer prior consent to use that address or an email from that address.
    """

    id = "FED-ELEC-02"
    reason = "WORK_EMAIL"
    citation = "12 CFR 1006.22(f)(3)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel != "email" or ctx.recipient_kind == "professional":
            return []
        email = ctx.email(ctx.action.get("to")) or {}
        work = email.get("is_work_email") or "employer" in lower(email.get("acquired_via")) or ctx.action_flag(
            "to_is_work_email")
        if not work:
            return []
        if ctx.before_now(email.get("consumer_emailed_collector_from_this_address_at")) or ctx.before_now(
                email.get("consumer_consented_to_electronic_comms_at")):
            return []
        for consent in ctx.consents:
            if "email" in lower(consent.get("type")) and lower(consent.get("address")) == lower(
                    ctx.action.get("to")) and ctx.before_now(consent.get("given_at")):
                return []
        return [self.fail(
            f"{ctx.action.get('to')} is an employer-provided email address and the consumer neither consented "
            "to its use nor emailed the collector from it.")]


def _elements(script: object) -> set[str]:
    if isinstance(script, list):
        return {lower(e) for e in script}
    if not isinstance(script, dict):
        return set()
    found = {lower(e) for e in script.get("elements") or []}
    found |= {lower(k) for k, v in script.items() if v not in (None, False, "", []) and k not in LCM_META}
    return found


class VoicemailLimitedContent(Rule):
    """FED-ELEC-04: [POL] a voicemail may only be a limited-content message.

    12 CFR 1006.2(j): a limited-content message contains the consumer's name, a request to
    reply, the name of a natural person to contact, a callback number and a business name that
    does not indicate debt collection, and optionally a salutation, the date and time, times to
    reply and a statement that the consumer may speak to any representative; nothing else.
    Anything more is a communication a third party may hear (1006.6(d); 1006.18(e)).
    """

    id = "FED-ELEC-04"
    reason = "VOICEMAIL_NOT_LIMITED_CONTENT"
    citation = "12 CFR 1006.2(j), 1006.6(d), 1006.18(e)"

    def check(self, ctx: Context) -> list[Violation]:
        script = ctx.action.get("voicemail") or ctx.action.get("voicemail_script")
        if ctx.channel not in {"call", "voicemail"} or not script:
            return []
        elements = _elements(script)
        allowed = set(LCM_OPTIONAL).union(*LCM_REQUIRED.values()) | {"consumer_name"}
        problems = [f"extra content: {', '.join(sorted(elements - allowed))}"] if elements - allowed else []
        missing = [label for label, keys in LCM_REQUIRED.items() if not elements & set(keys)]
        if missing:
            problems.append(f"missing: {', '.join(missing)}")
        name = script.get("business_name") if isinstance(script, dict) else None
        if isinstance(name, str) and any(w in name.lower() for w in REVEALING_WORDS):
            problems.append(f'business name "{name}" indicates debt collection')
        if not problems:
            return []
        return [self.fail("Planned voicemail is not a limited-content message: " + "; ".join(problems) + ".")]


RULES = [MissingOptOutNotice(), WorkEmail(), VoicemailLimitedContent()]
