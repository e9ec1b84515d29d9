"""Third parties, location contacts and mail.

15 USC 1692b, 1692c(b), 1692f(7)-(8); 12 CFR 1006.6(d), 1006.10, 1006.22.
"""

from __future__ import annotations

import re

from compliance.context import Context, as_dict, digits, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import consumer_consent_to_third_party, entry_at, entry_channel

REVEALING_WORDS = (
    "collect", "debt", "past due", "overdue", "delinquen", "owe", "payment due", "final notice",
    "pay now", "repossess", "judgment", "balance due", "amount due",
)
WRONG_PARTY = {"wrong_number", "wrong_party", "wrong", "reassigned", "not_consumers_number", "belongs_to_third_party"}
LOCATION_CONTACT_OUTCOMES = ("conversation", "answered", "voicemail_left", "sent", "delivered")


def third_party_consented(ctx: Context) -> bool:
    """Direct prior consent of the consumer (not the third party's), a court order or a post-judgment remedy."""
    if ctx.action_flag("court_order", "court_permission", "post_judgment_remedy"):
        return True
    return consumer_consent_to_third_party(ctx, ctx.target_key) is not None


def describe_target(ctx: Context) -> str:
    person = ctx.target_person or {}
    name = person.get("name") or person.get("id") or ctx.action.get("to") or "the recipient"
    rel = person.get("relationship") or ctx.action.get("recipient")
    return f"{name} ({rel})" if rel else str(name)


class ThirdPartyDisclosure(Rule):
    """FED-3P-01: talk about the debt only with the consumer and the permitted professionals.

    15 USC 1692c(b); 12 CFR 1006.6(d)(1)-(2): without the consumer's direct prior consent, a
    court's permission or a post-judgment remedy, a collector may communicate about the debt
    only with the consumer (including spouse, parent of a minor, guardian, executor or
    administrator, confirmed successor in interest: 1006.6(a)), the consumer's attorney, a CRA,
    the creditor, the creditor's attorney and the collector's attorney.
    """

    id = "FED-3P-01"

    rule_set = "fdcpa"
    reason = "THIRD_PARTY_DISCLOSURE"
    citation = "15 USC 1692c(b); 12 CFR 1006.6(a), (d)(1)-(2)"

    def check(self, ctx: Context) -> list[Violation]:
        status = lower(ctx.target_phone.get("status"))
        if ctx.channel in {"call", "voicemail", "sms"} and ctx.recipient_kind == "consumer" and status in WRONG_PARTY:
            # [POL] the number is known to reach someone else: whoever answers is a third party
            return [self.fail(f"{ctx.action.get('to')} is recorded as {status.replace('_', ' ')}: the person "
                              "reached there is a third party.")]
        if not ctx.is_communication or ctx.recipient_kind != "third_party" or ctx.consumer.get("deceased"):
            return []
        if ctx.purpose == "location_information" or third_party_consented(ctx):
            return []
        return [self.fail(
            f"{describe_target(ctx)} is a third party; communicating with them about the debt needs the "
            "consumer's direct prior consent or a court order.")]


class LocationContact(Rule):
    """FED-3P-02: location calls only to find the consumer, once per third party, saying nothing of the debt.

    15 USC 1692b; 12 CFR 1006.10: a collector seeking location information must identify
    itself, say it is confirming or correcting location information, name its employer only if
    asked, never state that the consumer owes a debt, and "not communicate with any such person
    more than once unless requested to do so by such person or unless the debt collector
    reasonably believes that the earlier response ... is erroneous or incomplete and that such
    person now has correct or complete location information" (1692b(3)).
    """

    id = "FED-3P-02"

    rule_set = "fdcpa"
    reason = "LOCATION_CONTACT_REPEAT"
    citation = "15 USC 1692b; 12 CFR 1006.10"

    def _prior(self, ctx: Context) -> list[dict]:
        number = digits(ctx.action.get("to"))
        return [
            e for e in ctx.history
            if lower(e.get("purpose")) == "location_information"
            and (ctx.person_key(e) == ctx.target_key or (number and digits(e.get("to_or_from")) == number))
            and any(k in lower(e.get("outcome") or "sent") for k in LOCATION_CONTACT_OUTCOMES)
        ]

    def _script_problems(self, ctx: Context) -> list[str]:
        script = as_dict(ctx.action.get("script"))
        problems = []
        if script.get("mentions_debt") or ctx.content.get("mentions_debt"):
            problems.append("the script mentions the debt")
        if script.get("identifies_caller_by_name") is False:
            problems.append("the caller does not identify themselves by name")
        if script.get("states_confirming_or_correcting_location") is False:
            problems.append("the caller does not say they are confirming or correcting location information")
        if script.get("names_employer_unless_asked"):
            problems.append("the caller names the employer without being asked")
        return problems

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.purpose != "location_information" or ctx.recipient_kind != "third_party":
            return []
        out = []
        has_rep = any(p.get("is_personal_representative") for p in ctx.related_persons)
        if ctx.consumer.get("location_known") and not (ctx.consumer.get("deceased") and not has_rep):
            out.append(self.fail("The consumer's location is already known; location calls are not permitted.",
                                 reason="THIRD_PARTY_DISCLOSURE"))
        problems = self._script_problems(ctx)
        if problems:
            out.append(self.fail("Location contact breaks 1692b: " + "; ".join(problems) + ".",
                                 reason="THIRD_PARTY_DISCLOSURE"))
        prior = self._prior(ctx)
        allowed_again = ctx.action_flag("third_party_requested_further_contact",
                                        "collector_believes_prior_response_erroneous_or_incomplete") or any(
            e.get("third_party_requested_further_contact")
            or e.get("collector_believes_prior_response_erroneous_or_incomplete") for e in prior)
        if prior and not allowed_again:
            last = max(prior, key=lambda e: entry_at(e) or ctx.now)
            out.append(self.fail(
                f"{describe_target(ctx)} was already contacted for location information on "
                f"{ctx.date(last.get('at'))} ({entry_channel(last)}, {last.get('outcome')}); they did not ask "
                "for further contact and there is no reason to think the answer was wrong."))
        return out


# 1692f(8) allows the collector's address and a business name that does not indicate debt
# collection; 1006.22(f)(2) adds the consumer's name and address, postage, and markings that only
# facilitate delivery. Anything else on the outside of the envelope blocks.
ENVELOPE_ELEMENTS = {
    "collector_address", "debt_collector_address", "return_address", "business_address",
    "business_name", "business_name_not_indicating_debt_collection", "collector_business_name", "return_name",
    "consumer_name", "consumer_address", "consumer_name_and_address", "recipient_name", "recipient_address",
    "mailing_address", "postage", "postage_indicia", "postmark", "permit_imprint", "barcode", "usps_barcode",
    "intelligent_mail_barcode", "imb", "return_service_requested", "address_service_requested",
    "forwarding_service_requested", "change_service_requested", "electronic_service_requested",
}
DELIVERY_TEXT = ("return service requested", "address service requested", "forwarding service requested",
                 "change service requested", "electronic service requested")


# a postal address (the consumer's or the collector's): it ends in a ZIP code
ADDRESS_LINE = re.compile(r"^[\w .,#'/-]*\b\d{5}(-\d{4})?\s*$")


def _norm(text: object) -> str:
    return " ".join(str(text or "").lower().replace(",", " ").replace(".", " ").split())


class EnvelopeOrPostcard(Rule):
    """FED-3P-03: no postcards; nothing on the envelope but the permitted elements.

    15 USC 1692f(7)-(8); 12 CFR 1006.22(f)(1)-(2): a collector may not communicate by postcard,
    nor use "any language or symbol, other than the debt collector's address" on an envelope,
    except a business name that does not indicate debt collection (and, 1006.22(f)(2), the
    consumer's name and address, postage and delivery markings). The exterior is checked
    against that list, not against a list of revealing words: "Personal and confidential",
    "Time-sensitive" or a logo are other language and block.
    """

    id = "FED-3P-03"
    rule_set = "fdcpa"
    reason = "ENVELOPE_OR_POSTCARD"
    citation = "15 USC 1692f(7), (8); 12 CFR 1006.22(f)(1), (2)"

    def _allowed_text(self, ctx: Context, envelope: dict) -> set[str]:
        collector = ctx.collector
        values = [envelope.get("return_name"), envelope.get("return_address"), collector.get("name"),
                  collector.get("address"), collector.get("mailing_address"), ctx.consumer.get("name"),
                  ctx.consumer.get("address"), ctx.consumer.get("mailing_address"), ctx.action.get("addressed_to"),
                  envelope.get("addressed_to"), envelope.get("recipient")]
        return {_norm(v) for v in values if isinstance(v, str) and v.strip()}

    def _business_name_reveals(self, name: object) -> bool:
        return isinstance(name, str) and any(w in name.lower() for w in REVEALING_WORDS)

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel != "letter":
            return []
        raw = ctx.action.get("envelope")
        envelope = as_dict(raw)
        problems = []
        if raw not in (None, {}, "") and not isinstance(raw, dict):
            problems.append("the envelope description cannot be read")
        if envelope.get("is_postcard") or ctx.action_flag("postcard") or "postcard" in lower(
                ctx.action.get("format") or ctx.action.get("letter_format")):
            problems.append("it is a postcard")
        exterior = envelope.get("exterior_text", envelope.get("exterior_elements"))
        if exterior is not None and not isinstance(exterior, (list, str)):
            problems.append("the envelope's exterior cannot be read")
        items = [exterior] if isinstance(exterior, str) else [t for t in exterior or [] if t]
        allowed = self._allowed_text(ctx, envelope)
        for item in items:
            if not isinstance(item, str):
                problems.append(f"unreadable exterior item {item!r}")
                continue
            key = lower(item).replace(" ", "_").replace("-", "_")
            norm = _norm(item)
            address = ADDRESS_LINE.match(item.strip()) and not self._business_name_reveals(item)
            if key in ENVELOPE_ELEMENTS or norm in allowed or norm in DELIVERY_TEXT or address:
                if self._business_name_reveals(item):
                    problems.append(f'the business name "{item}" indicates debt collection')
                continue
            problems.append(f'the envelope shows "{item}", which is not among the permitted elements '
                            "(collector's address, a non-revealing business name, the consumer's name and address, "
                            "postage, delivery markings)")
        for name in (envelope.get("return_name"), envelope.get("business_name")):
            if self._business_name_reveals(name):
                problems.append(f'the return name "{name}" indicates debt collection')
        for flag in ("reveals_debt_collection", "symbol_indicates_debt_collection", "logo", "has_logo",
                     "window_shows_content", "shows_amount", "shows_medical_provider"):
            if envelope.get(flag):
                problems.append(f"the envelope has {flag.replace('_', ' ')}")
        return [self.fail("Mail exterior breaks 1692f(8): " + "; ".join(problems) + ".")] if problems else []


class SocialMediaPublic(Rule):
    """FED-3P-04: never post debt-collection messages others can see on social media.

    12 CFR 1006.22(f)(4): a collector may not communicate or attempt to communicate with a
    person through a social media platform if the communication is viewable by the general
    public or the person's social media contacts.
    """

    id = "FED-3P-04"

    rule_set = "fdcpa"
    reason = "THIRD_PARTY_DISCLOSURE"
    citation = "12 CFR 1006.22(f)(4)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel != "social_media":
            return []
        visibility = lower(ctx.action.get("visibility") or ("private" if ctx.action.get("private_message") else ""))
        if visibility in {"private", "direct_message", "private_message"}:
            return []
        return [self.fail(f"Social-media message visibility '{visibility or 'unknown'}' is not private.")]


RULES = [ThirdPartyDisclosure(), LocationContact(), EnvelopeOrPostcard(), SocialMediaPublic()]
