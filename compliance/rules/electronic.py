"""Electronic messages and voicemail (12 CFR 1006.2(j), 1006.6(d)-(e), 1006.22(f)(3))."""

from __future__ import annotations

from compliance.context import ELECTRONIC_CHANNELS, Context, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.third_party import REVEALING_WORDS

# 12 CFR 1006.2(j); COMPLIANCE.md §3 names (``action.voicemail_if_unanswered.script_elements``) first.
LCM_REQUIRED = {
    "a business name that does not indicate debt collection": (
        "business_name_not_indicating_debt_collection", "business_name"),
    "a request to reply": ("request_to_reply", "request_reply", "requests_reply"),
    "the name of a natural person to contact": (
        "natural_person_name", "natural_person_names", "contact_name", "agent_name"),
    "a callback telephone number": ("callback_number", "callback_telephone_number", "telephone_number"),
}
LCM_OPTIONAL = {
    "salutation", "date_and_time", "date_time", "suggested_reply_times", "may_speak_to_any_representative",
    "any_representative_statement", "consumer_name",
}
LCM_ALLOWED = LCM_OPTIONAL.union(*LCM_REQUIRED.values())
# keys of a script object that describe it rather than name an element
LCM_META = {"script_id", "limited_content", "language", "duration_seconds", "prerecorded", "elements",
            "script_elements", "leave_message", "leave", "id", "name", "business_name_text"}
VOICEMAIL_KEYS = ("voicemail_if_unanswered", "voicemail", "voicemail_script", "voicemail_script_elements",
                  "planned_voicemail")

class MissingOptOutNotice(Rule):
    """FED-ELEC-01: every email, text or other electronic message offers a simple opt-out.

    12 CFR 1006.6(e): a collector who communicates electronically "must include in such
    communication or attempt to communicate a clear and conspicuous statement describing a
    reasonable and simple method by which the consumer can opt out", and may not require a
    fee or information beyond the opt-out preference and the address or number.
    """

    id = "FED-ELEC-01"

    rule_set = "fdcpa"
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

    rule_set = "fdcpa"
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


def planned_voicemail(ctx: Context) -> tuple[object, bool]:
    """The message that would be left if the call goes unanswered, and whether one is planned."""
    for key in VOICEMAIL_KEYS:
        for source in (ctx.action, ctx.content):
            value = source.get(key)
            if value in (None, False, "", [], {}):
                continue
            if isinstance(value, dict) and (value.get("leave_message") is False or value.get("leave") is False):
                return None, False
            return value, True
    return None, False


def voicemail_elements(script: object) -> set[str] | None:
    """Element names of a planned message, or None when its shape cannot be read."""
    if isinstance(script, list):
        if not all(isinstance(e, str) for e in script):
            return None
        return {lower(e) for e in script}
    if not isinstance(script, dict):
        return None
    listed = script.get("script_elements", script.get("elements"))
    if listed is not None:
        if not isinstance(listed, list) or not all(isinstance(e, str) for e in listed):
            return None
        found = {lower(e) for e in listed}
    else:
        found = set()
    flags = {lower(k) for k, v in script.items()
             if k not in LCM_META and k != "text" and v not in (None, False, "", [])}
    found |= flags
    if not found:
        return None  # only free text (or nothing): the engine cannot tell what the message says
    return found


class VoicemailLimitedContent(Rule):
    """FED-ELEC-04: [POL] a voicemail may only be a limited-content message.

    12 CFR 1006.2(j): a limited-content message includes a business name that does not indicate
    debt collection, a request to reply, the name of a natural person to contact and a callback
    number, and may include a salutation, the date and time, suggested times to reply, the
    consumer's name and a statement that the consumer may speak to any representative; nothing
    else. Anything more is a communication a third party may hear (1006.6(d); 1006.18(e)).
    The planned message is ``action.voicemail_if_unanswered.script_elements`` (COMPLIANCE.md §3);
    a planned message the engine cannot read is not assumed to be limited-content.
    """

    id = "FED-ELEC-04"
    rule_set = "fdcpa"
    reason = "VOICEMAIL_NOT_LIMITED_CONTENT"
    citation = "12 CFR 1006.2(j), 1006.6(d), 1006.18(e)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in {"call", "voicemail"} or ctx.recipient_kind == "professional":
            return []
        script, planned = planned_voicemail(ctx)
        if not planned:
            return []
        elements = voicemail_elements(script)
        if elements is None:
            return [self.fail("A voicemail is planned but its content cannot be read as limited-content elements "
                              "(give voicemail_if_unanswered.script_elements); it is not assumed to be limited.")]
        problems = [f"content beyond a limited-content message: {', '.join(sorted(elements - LCM_ALLOWED))}"] \
            if elements - LCM_ALLOWED else []
        missing = [label for label, keys in LCM_REQUIRED.items() if not elements & set(keys)]
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        names = [script.get(k) for k in ("business_name", "business_name_text")] if isinstance(script, dict) else []
        for name in names:
            if isinstance(name, str) and any(w in name.lower() for w in REVEALING_WORDS):
                problems.append(f'business name "{name}" indicates debt collection')
        if not problems:
            return []
        return [self.fail("Planned voicemail is not a limited-content message: " + "; ".join(problems) + ".")]

RULES = [MissingOptOutNotice(), WorkEmail(), VoicemailLimitedContent()]
