"""The compliance engine's explanations, in the reader's language.

The rules (compliance/rules) write each violation's ``message`` in English, and the decision record keeps
that English for the audit. Screens show it through ``explanation()``: the stored English is read back into
its template and parameters (accounts.texts) and rendered with gettext, so a Spanish-speaking collector
reads the engine's reasons in Spanish while the record stays as the engine wrote it. A message no template
here matches (a new rule's, an old wording) is shown in English, marked lang="en".

Each template is the English a rule writes, its varying parts named (see accounts.texts for
``_text`` and ``_list``). tests/compliance/test_explanations.py checks that the rules' messages match.
"""

from django.utils.translation import gettext_noop

from accounts.texts import Catalogue

MESSAGES = [
    # attorney
    gettext_noop("Consumer is represented on this debt by %(attorney)s (known since %(since)s); contact the attorney "
                 "instead of %(who)s."),
    # bankruptcy
    gettext_noop("Chapter %(chapter)s petition %(case)s filed %(filed)s (%(status)s); the automatic stay bars this "
                 "collection act."),
    gettext_noop("Chapter %(chapter)s petition filed %(filed)s (%(status)s); the automatic stay bars this collection "
                 "act."),
    gettext_noop("%(person)s is a non-filing co-obligor on %(debt)s while debtor %(debtors)s's Chapter 13 case "
                 "%(case)s is pending; the co-debtor stay applies."),
    gettext_noop("Debt %(debt)s was discharged; report CII E-H with a zero balance (got CII '%(cii)s')."),
    gettext_noop("Debt %(debt)s was discharged in bankruptcy %(case)s; collecting it is enjoined."),
    # cease
    gettext_noop("The person asked on %(date)s not to be contacted by %(medium)s at %(address)s (\"%(statement)s\")."),
    gettext_noop("The person asked on %(date)s not to be contacted by %(medium)s at %(address)s."),
    gettext_noop("The person asked on %(date)s not to be contacted by %(medium)s (\"%(statement)s\")."),
    gettext_noop("The person asked on %(date)s not to be contacted by %(medium)s."),
    gettext_noop("Written %(kind)s received %(date)s (%(method)s); a %(channel)s about this debt is not one of the "
                 "1692c(c) exceptions (termination notice, or notice of a specified remedy)."),
    # credit reporting
    gettext_noop("No conversation with the consumer and no delivered letter or electronic message about the debt; "
                 "furnishing is not yet allowed."),
    gettext_noop("No conversation with the consumer yet, and the message sent %(sent)s has not completed its "
                 "%(days)s-day wait; furnishing is allowed from %(date)s."),
    gettext_noop("Debt disputed (%(method)s, received %(date)s) but Compliance Condition Code is '%(code)s'; report "
                 "%(report)s."),
    gettext_noop("Reported DOFD %(reported)s differs from the established DOFD %(established)s."),
    gettext_noop("Initial furnishing while a timely written dispute awaits verification."),
    gettext_noop("Initial furnishing while an original-creditor request is unanswered."),
    gettext_noop("Debt %(debt)s: DOFD %(dofd)s is %(years)s+ years ago; the account became obsolete on %(date)s."),
    gettext_noop("Debt %(debt)s is %(why)s; it may not be sold or placed."),
    gettext_noop("Debt %(debt)s: %(problem_text)s."),
    # deceased
    gettext_noop("The consumer is deceased; %(target)s is not the personal representative, surviving spouse or "
                 "parent of a deceased minor, so they are a third party."),
    gettext_noop("The message implies that someone other than the obligor is personally liable (%(hits)s)."),
    gettext_noop("Deceased consumer's validation notice: %(problem_text)s."),
    # disputes
    gettext_noop("Written dispute (%(method)s) received %(date)s, on or before the validation-period end %(end)s; "
                 "collection must stop until verification or a judgment copy is sent."),
    gettext_noop("Written dispute (%(method)s) received %(date)s; collection must stop until verification or a "
                 "judgment copy is sent."),
    gettext_noop("Written original-creditor request received %(date)s within the validation period; send the "
                 "original creditor's name and address (%(creditors)s) before collecting."),
    gettext_noop("Communication overshadows validation rights: %(problems_list)s."),
    gettext_noop("Payment allocated to disputed debt %(debt)s."),
    gettext_noop("Payment allocated to %(debt)s against the consumer's direction."),
    # electronic
    gettext_noop("%(address)s is an employer-provided email address and the consumer neither consented to its use "
                 "nor emailed the collector from it."),
    gettext_noop("Planned voicemail is not a limited-content message: %(problems_list)s."),
    gettext_noop("This %(channel)s has no clear and conspicuous opt-out method (e.g. 'Reply STOP')."),
    gettext_noop("The opt-out method asks for a fee or information beyond the opt-out preference."),
    gettext_noop("A voicemail is planned but its content cannot be read as limited-content elements (give "
                 "voicemail_if_unanswered.script_elements); it is not assumed to be limited."),
    gettext_noop("Validation notice by %(method)s: %(problems_list)s."),
    # fraud
    gettext_noop("An open %(kind)s claim received %(date)s holds all collection and credit reporting (%(channel)s) "
                 "until it is investigated."),
    # frequency
    gettext_noop("A telephone conversation (%(direction)s) with %(person)s on %(day)s about this debt blocks calls "
                 "through %(through)s; the first allowed date is %(first)s."),
    gettext_noop("This would be call %(number)s to %(person)s about debt %(debt)s within %(days)s consecutive days "
                 "(%(first)s..%(today)s); at most %(cap)s are allowed."),
    # inputs
    gettext_noop("Unknown action channel %(channel)s; use one of %(known)s."),
    gettext_noop("Cannot read %(fields)s; the restriction is not assumed to be absent."),
    # medical
    gettext_noop("Unpaid medical debt %(debt)s may not be furnished until a date of service or DOFD is known."),
    gettext_noop("Unpaid medical debt %(debt)s may not be furnished until %(date)s."),
    gettext_noop("%(state)s bans furnishing medical debt (since %(since)s); debt %(debt)s is medical."),
    gettext_noop("Medical debt: this %(channel)s carries health information collection does not need (%(found)s); "
                 "use a generic provider name and no codes."),
    gettext_noop("Medical debt: do not mention diagnosis, treatment or procedure codes, and name the provider "
                 "generically (in letters and voicemails too). Confirm before contacting."),
    gettext_noop("Medical debt %(debt)s initial balance %(balance)s is under %(floor)s; the nationwide CRAs do not "
                 "accept it."),
    gettext_noop("Medical debt %(debt)s has an %(pending)s; it is not furnished until the claim is resolved."),
    gettext_noop("Medical debt %(debt)s has an %(pending)s; it is not collected until the claim is resolved."),
    # rebuttal
    gettext_noop("%(number)s was called %(minutes)s minute(s) ago; two calls to one number within 5 minutes can "
                 "rebut the 7-in-7 presumption."),
    gettext_noop("This would be call %(number)s to %(person)s today (%(today)s); %(cap)s+ calls in one day can rebut "
                 "the 7-in-7 presumption."),
    gettext_noop("%(today)s is a Sunday or legal holiday and %(count)s earlier call(s) in the last %(days)s days were "
                 "too; calls concentrated on such days can rebut the 7-in-7 presumption."),
    gettext_noop("Calling after %(signals_list)s can rebut the presumption of compliance: make sure this call has a "
                 "lawful purpose."),
    # scra
    gettext_noop("Default-judgment step '%(stage)s' without: %(missing)s."),
    gettext_noop("%(channel)s against a servicemember in protected service needs a court order."),
    gettext_noop("Debt %(debt)s (opened %(opened)s) bears %(rate)s%% during service that began %(start)s; interest "
                 "above %(cap)s%% must be forgiven and the payment reduced."),
    # state
    gettext_noop("Washington: %(problem_text)s."),
    gettext_noop("New York City consumer has not consented to %(channel)s communication."),
    gettext_noop("New York City allows %(cap)s attempts per %(days)s days per creditor; %(count)s already made."),
    gettext_noop("Massachusetts allows %(cap)s telephone communications per %(days)s days to %(kind)s about debt "
                 "%(debt)s; %(count)s already made."),
    # tcpa
    gettext_noop("%(dialer)s %(channel)s to %(number)s (%(line)s) without prior express consent (the number came "
                 "from %(source)s, not from the consumer)."),
    gettext_noop("%(dialer)s %(channel)s to %(number)s (%(line)s) without prior express consent."),
    gettext_noop("%(count)s prerecorded calls to residential line %(number)s in the last %(days)s days; at most "
                 "%(cap)s are allowed without consent."),
    gettext_noop("TCPA consent for %(number)s was revoked %(date)s; automated %(channel)s to it is not allowed."),
    # third party
    gettext_noop("%(target)s is a third party; communicating with them about the debt needs the consumer's direct "
                 "prior consent or a court order."),
    gettext_noop("Social-media message visibility '%(visibility)s' is not private."),
    gettext_noop("%(address)s is recorded as %(status)s: the person reached there is a third party."),
    gettext_noop("The consumer's location is already known; location calls are not permitted."),
    gettext_noop("Location contact breaks 1692b: %(problems_list)s."),
    gettext_noop("%(target)s was already contacted for location information on %(date)s (%(channel)s, %(outcome)s); "
                 "they did not ask for further contact and there is no reason to think the answer was wrong."),
    gettext_noop("Mail exterior breaks 1692f(8): %(problems_list)s."),
    # time-barred debt
    gettext_noop("Debt %(debt)s is past the %(jurisdiction)s limitations period (%(expired)s); this %(channel)s lacks "
                 "the required time-barred-debt disclosure."),
    gettext_noop("Lawsuit on debt %(debt)s, whose limitations period expired %(expired)s."),
    gettext_noop("Threat of legal action on debt %(debt)s, whose limitations period expired %(expired)s."),
    gettext_noop("Lawsuit on debt %(debt)s with no known limitations date; [POL] an unknown SOL is treated as "
                 "expired."),
    # time and place
    gettext_noop("Workplace contact blocked: %(where)s and %(grounds_list)s."),
    gettext_noop("%(time)s in %(zone)s is outside %(start)s–%(end)s; next lawful time %(next)s local."),
    gettext_noop("%(time)s in %(zone)s is outside %(start)s–%(end)s; no time is lawful in every candidate "
                 "zone."),
    gettext_noop("%(time)s in %(zone)s falls in the consumer's inconvenient window %(days)s %(start)s–%(end)s "
                 "(\"%(statement)s\")."),
    gettext_noop("%(time)s in %(zone)s falls in the consumer's inconvenient window %(days)s %(start)s–%(end)s."),
    # validation
    gettext_noop("Initial communication on %(day)s (%(channel)s) without validation information; the notice was due "
                 "by %(due)s and has not been provided (the one sent came back undeliverable, 12 CFR 1006.42(a)). "
                 "Only the validation notice itself may go out."),
    gettext_noop("Initial communication on %(day)s (%(channel)s) without validation information; the notice was due "
                 "by %(due)s and has not been provided. Only the validation notice itself may go out."),
    gettext_noop("Validation notice is missing required content: %(missing_list)s."),
    gettext_noop("Stated end date %(stated)s is before the minimum %(minimum)s for a notice sent %(sent)s (assumed "
                 "receipt %(receipt)s + 30 days)."),
]

# Fragments rules join into one message (problems, grounds, signals, missing items).
PARTS = [
    # Metro 2 paid / unpaid status
    gettext_noop("paid in full %(date)s but Account Status %(status)s; a paid collection is 62"),
    gettext_noop("paid %(date)s but Account Status %(status)s is not a paid status"),
    gettext_noop("settled for less than the full balance needs Special Comment AU"),
    gettext_noop("paid account reports balance %(balance)s"),
    gettext_noop("Account Status %(status)s says paid but the debt is unpaid"),
    gettext_noop("unpaid collection account must report 93, not %(status)s"),
    gettext_noop("Account Status 93 with a zero balance"),
    gettext_noop("Payment Rating '%(rating)s' must be blank for Account Status %(status)s"),
    # deceased consumer's notice
    gettext_noop("the notice has no named addressee"),
    gettext_noop("\"%(addressee)s\" does not name a person authorized to act for the estate"),
    gettext_noop("\"%(addressee)s\" is not the known representative (%(known)s)"),
    gettext_noop("no person authorized to act for the estate is on file to confirm \"%(addressee)s\""),
    # overshadowing
    gettext_noop("payment deadline %(deadline)s precedes the validation-period end %(end)s"),
    gettext_noop("it names %(date)s for legal action, before the validation-period end %(end)s"),
    gettext_noop("it threatens legal action during the validation period"),
    gettext_noop("its presentation obscures the dispute and original-creditor rights"),
    # voicemail
    gettext_noop("content beyond a limited-content message: %(elements)s"),
    gettext_noop("missing %(elements)s"),
    gettext_noop("business name \"%(name)s\" indicates debt collection"),
    # electronic delivery
    gettext_noop("it is not in a form the consumer can keep and access later"),
    gettext_noop("it has no 1006.6(e) opt-out notice"),
    gettext_noop("there is no E-SIGN consent and %(address)s does not qualify under 1006.42(c) (the consumer has "
                 "not used it to reach the collector, consented to it, or been given the creditor's 35-day opt-out "
                 "notice)"),
    gettext_noop("an earlier electronic delivery today was returned undeliverable"),
    # rebuttal signals
    gettext_noop("an oral request on %(date)s to stop or a refusal to pay"),
    gettext_noop("a dispute received %(date)s"),
    gettext_noop("the %(channel)s on %(date)s (%(said)s)"),
    # Washington
    gettext_noop("more than %(max)s communications in %(days)s days"),
    gettext_noop("more than %(max)s workplace communication in %(days)s days"),
    gettext_noop("%(time)s at the residence is within %(start)s-%(end)s"),
    # location contact
    gettext_noop("the script mentions the debt"),
    gettext_noop("the caller does not identify themselves by name"),
    gettext_noop("the caller does not say they are confirming or correcting location information"),
    gettext_noop("the caller names the employer without being asked"),
    # mail exterior
    gettext_noop("the envelope description cannot be read"),
    gettext_noop("it is a postcard"),
    gettext_noop("the envelope's exterior cannot be read"),
    gettext_noop("unreadable exterior item %(item)s"),
    gettext_noop("the business name \"%(name)s\" indicates debt collection"),
    gettext_noop("the envelope shows \"%(item)s\", which is not among the permitted elements (collector's address, "
                 "a non-revealing business name, the consumer's name and address, postage, delivery markings)"),
    gettext_noop("the return name \"%(name)s\" indicates debt collection"),
    gettext_noop("the envelope has %(flag)s"),
    # workplace
    gettext_noop("the employer prohibits such contact"),
    gettext_noop("the consumer said on %(date)s (%(method)s) that work is inconvenient (\"%(statement)s\")"),
    gettext_noop("the consumer said on %(date)s (%(method)s) that work is inconvenient"),
    # validation notice content
    gettext_noop("debt-collector disclosure (1006.18(e))"),
    gettext_noop("collector name and dispute mailing address"),
    gettext_noop("consumer name and mailing address"),
    gettext_noop("current creditor"),
    gettext_noop("itemization date"),
    gettext_noop("current amount of the debt"),
    gettext_noop("validation-period end date"),
    gettext_noop("dispute statements and prompts"),
    gettext_noop("original-creditor request statement"),
    gettext_noop("CFPB website reference"),
    gettext_noop("consumer-response (tear-off) section"),
    gettext_noop("account number"),
    gettext_noop("amount on the itemization date"),
    gettext_noop("interest since the itemization date"),
    gettext_noop("fees since the itemization date"),
    gettext_noop("payments and credits since the itemization date"),
    gettext_noop("itemization date type must be one of %(types)s"),
    gettext_noop("creditor as of the itemization date"),
    gettext_noop("electronic-dispute instructions"),
]

# Short English values rules put into a message, translated where they stand alone as a parameter.
WORDS = [
    gettext_noop("record"), gettext_noop("pending"), gettext_noop("blank"), gettext_noop("earlier"),
    gettext_noop("any channel"), gettext_noop("unknown"), gettext_noop("writing"), gettext_noop("written"),
    gettext_noop("unspecified"), gettext_noop("the consumer"), gettext_noop("a third party (location contact)"),
    gettext_noop("the address"), gettext_noop("the recipient"), gettext_noop("every day"),
    gettext_noop("unspecified method"), gettext_noop("refusal"), gettext_noop("contact"), gettext_noop("automated"),
    gettext_noop("unknown line, treated as cell"), gettext_noop("unknown channel"), gettext_noop("before service"),
    gettext_noop("paid or settled"), gettext_noop("subject to an identity-theft report"),
    gettext_noop("discharged in bankruptcy"), gettext_noop("outbound"), gettext_noop("inbound"),
    gettext_noop("XH or XC"), gettext_noop("fraud"), gettext_noop("identity theft"),
]

CATALOGUE = Catalogue(messages=MESSAGES, parts=PARTS, words=WORDS)


def explanation_key(message: str) -> dict | None:
    """The template and parameters of an engine message (None when no template matches)."""
    return CATALOGUE.key(message)


def explanation(message: str) -> str:
    """An engine message in the active language (as stored when no template matches it)."""
    return CATALOGUE.render(message)


def explanation_parts(text: str) -> list[dict] | None:
    """Engine messages joined by "; " (a bureau run's blocked detail), split back into their keys; None when
    the text is not wholly made of messages this catalogue knows."""
    pieces = str(text or "").split("; ")
    best: list[list[dict] | None] = [[]] + [None] * len(pieces)
    for end in range(1, len(pieces) + 1):
        for start in range(end - 1, -1, -1):
            if best[start] is None:
                continue
            key = CATALOGUE.key("; ".join(pieces[start:end]))
            if key:
                best[end] = [*best[start], key]
                break
    return best[-1] or None


def explanations(text: str) -> tuple[str, bool]:
    """(text in the active language, whether it was translated) for one engine message or several joined by
    "; "; a text not wholly recognised is returned as stored."""
    key = CATALOGUE.key(text)
    if key:
        return CATALOGUE.render(key), True
    parts = explanation_parts(text)
    if parts:
        return "; ".join(CATALOGUE.render(p) for p in parts), True
    return str(text or ""), False
