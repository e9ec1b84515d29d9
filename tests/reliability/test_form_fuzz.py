"""Malformed form input never makes an HTML page answer 500 (the API is fuzzed by schemathesis).

One run: the demo portfolio is seeded, every page of the URLconf (outside /api/ and /admin/) is read by every
role, and every form found on them (POST forms, and GET filter and search forms) is sent back with one field at
a time made malformed (empty, very long, NUL, not a number, impossible dates, unknown choices, several values,
unknown ids, bad JSON, junk files). Each URL pattern is also sent generic junk by POST, and unknown ids in its
URL. Every 500 is collected and reported together."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from accounts.imports import services as import_services
from accounts.models import Account, Creditor
from collections_app.models import User

pytestmark = pytest.mark.django_db(transaction=False)

DEMO_LOGINS = {"admin": "admin", "supervisor": "supervisor1", "accounting": "accounting1",
               "compliance": "compliance1", "collector": "collector1"}
SKIPPED_PREFIXES = ("api/", "admin/")
# Signing out (or in) changes the session, not a record: nothing to fuzz, and it would end the crawl's login.
SKIPPED_NAMES = {"login", "logout", "logout-everywhere", "two-factor"}
UNKNOWN_ID = "999999"
LONG = "x" * 5000
NUL = "a\x00b"
NUMBERS = ["abc", "-5", "1e30", "NaN", "99999999999999999999999999"]
DATES = ["2025-02-30", "0000-01-01", "99999-01-01"]
GENERIC = ["", LONG, NUL]
JSONS = ["{not json", "[]", "1e999", '{"a": ' * 200 + "1" + "}" * 200]


# Every URL pattern that takes a form by POST (the rest answer 405, or ignore the method): the crawl must
# find a form for each, or the test is no longer fuzzing it.
EXPECTED_FORMS = {
    "accounts/<int:account_id>/consent/", "accounts/<int:account_id>/contact/", "accounts/<int:account_id>/inbound/",
    "accounts/<int:account_id>/money/payment/", "accounts/<int:account_id>/money/plan/",
    "accounts/<int:account_id>/money/promise/", "accounts/<int:account_id>/money/refund/",
    "accounts/<int:account_id>/money/settlement/", "accounts/imports/<int:batch_id>/columns/",
    "accounts/imports/<int:batch_id>/dry-run/", "accounts/imports/<int:batch_id>/mapping/",
    "accounts/imports/<int:batch_id>/start/", "accounts/imports/new/", "compliance/complaints/",
    "compliance/complaints/<int:pk>/", "compliance/consents/", "compliance/consents/<int:pk>/revoke/",
    "compliance/direct-consents/", "compliance/direct-consents/<int:pk>/revoke/", "compliance/disputes/",
    "compliance/disputes/<int:pk>/status/", "compliance/notices/<int:account_id>/generate/",
    "compliance/original-creditor-requests/", "compliance/original-creditor-requests/<int:pk>/provided/",
    "compliance/policy/<int:pk>/", "compliance/policy/add/", "compliance/restrictions/<slug:kind>/<int:pk>/end/",
    "compliance/restrictions/add/<slug:kind>/", "compliance/simulator/", "dashboard/goals/", "escalations/",
    "escalations/<int:escalation_id>/adjustment/", "escalations/<int:escalation_id>/decide/",
    "escalations/<int:escalation_id>/resolve/", "escalations/<int:escalation_id>/update/", "me/language/",
    "me/settings/", "payments/<int:payment_id>/return/", "payments/approvals/<str:kind>/<int:pk>/",
    "payments/posting/", "reporting/runs/", "retention/holds/", "retention/holds/<int:pk>/release/",
    "retention/policies/<int:pk>/", "retention/purge/", "skip-trace/<int:case_id>/call/",
    "skip-trace/<int:case_id>/lead/", "skip-trace/<int:case_id>/search/", "skip-trace/<int:case_id>/status/",
    "skip-trace/open/", "skip-trace/vendor/<int:batch_id>/import/", "skip-trace/vendor/export/",
    "worklist/accounts/<int:account_id>/contact-points/",
    "worklist/accounts/<int:account_id>/contact-points/<str:kind>/<int:contact_id>/",
    "worklist/accounts/<int:account_id>/dispose/", "worklist/next/", "worklist/queues/<int:queue_id>/",
    "worklist/queues/<int:queue_id>/accounts/", "worklist/queues/new/", "worklist/skip/", "worklist/teams/",
    "worklist/weights/",
}


@dataclass
class Form:
    action: str
    role: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> values sent by default
    kinds: dict[str, str] = field(default_factory=dict)          # name -> input type (select, textarea, date...)
    choices: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    method: str = "post"


class FormParser(HTMLParser):
    """The POST forms of a page: fields with the values a browser would send untouched."""

    def __init__(self, page_url: str, role: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.role = page_url, role
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("hx-post") or (a.get("action") if method == "post" else None)
            if a.get("hx-post") or method == "post":
                self.form = Form(action=action or self.page_url, role=self.role)
                self.forms.append(self.form)
            else:  # a filter or search form: its fields go in the query string
                self.form = Form(action=a.get("hx-get") or a.get("action") or self.page_url, role=self.role,
                                 method="get")
                self.forms.append(self.form)
            return
        form = self.form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind == "file":
                form.files.append(name)
            elif kind in ("checkbox", "radio"):
                form.kinds.setdefault(name, kind)
                form.choices.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    form.fields.setdefault(name, []).append(a.get("value", "on"))
                elif kind == "radio" and name not in form.fields:
                    form.fields[name] = [a.get("value", "on")]
            else:
                form.kinds[name] = kind
                form.fields[name] = [a.get("value", "")]
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select = name
            form.kinds[name] = "select"
            form.choices[name] = []
            form.fields[name] = []
        elif tag == "option" and self.select:
            value = a.get("value", "")
            form.choices[self.select].append(value)
            if "selected" in a or not form.fields[self.select]:
                form.fields[self.select] = [value] if "selected" in a or value else form.fields[self.select]
        elif tag == "textarea" and name:
            self.textarea = name
            form.kinds[name] = "textarea"
            form.fields[name] = [""]

    def handle_data(self, data):
        if self.form is not None and self.textarea:
            self.form.fields[self.textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def patterns(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def fill(route: str, ids: dict[str, str]) -> str | None:
    """A concrete path for a route, with known objects' ids (or None when a kwarg is unknown)."""
    missing = False

    def one(match):
        nonlocal missing
        name = match.group(2)
        value = ids.get(name)
        if value is None:
            missing = True
            return ""
        return value
    path = re.sub(r"<(?:(\w+):)?(\w+)>", one, route)
    return None if missing else "/" + path


def junk_for(name: str, kind: str, value: str) -> list:
    """The malformed values tried for one field, by what the field holds."""
    looks_numeric = kind == "number" or re.search(r"amount|cents|balance|weight|count|limit|percent|days|number_of|"
                                                 r"installments|score|_id$|^id$|goal|target|minutes|hours", name)
    looks_date = kind in ("date", "datetime-local", "time", "month") or re.search(r"date|_on$|_at$|since|until|"
                                                                                  r"from|^to$|as_of|time", name)
    typed = kind in ("select", "radio", "checkbox", "number", "date", "datetime-local", "time", "month")
    # NUL and 5,000 characters are text's trials; a typed field gets its own malformed values instead
    values = [""] if typed else list(GENERIC)
    if looks_numeric or re.fullmatch(r"-?\d+(\.\d+)?", value or ""):
        values += NUMBERS
    if looks_date or re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value or ""):
        values += DATES
    if kind in ("select", "radio", "checkbox"):
        values += ["no-such-choice", UNKNOWN_ID]
    if kind == "hidden" or name.endswith("_id") or name in ("account", "id", "pk"):
        values += [UNKNOWN_ID, "-1"]
    if kind == "textarea" or (value or "").lstrip().startswith(("{", "[")) or "json" in name or "context" in name:
        values += JSONS
    values.append([value or "1", "2"])  # several values for one key
    return values


JUNK_FILES = [b"", b"\x00\xff\xfe\x00garbage", b"\xef\xbb\xbfa,b\r\n\"never closed", b"PK\x03\x04not a zip",
              b"{not json"]


def file_upload(name: str, content: bytes):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


class Fuzzer:
    def __init__(self):
        self.clients = {}
        for role, username in DEMO_LOGINS.items():
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=username))
            self.clients[role] = client
        self.failures: list[str] = []
        self.requests = 0
        self.fuzzed = set()
        self.allowed: dict[str, list[str]] = {}  # route -> the roles its page did not refuse

    def send(self, role: str, method: str, path: str, data=None, label=""):
        client = self.clients[role]
        sid = transaction.savepoint()
        response = getattr(client, method)(path, data or {})
        self.requests += 1
        if response.status_code >= 500:
            transaction.savepoint_rollback(sid)
            exc = getattr(response, "exc_info", None)
            reason = f"{exc[0].__name__}: {str(exc[1])[:200]}" if exc else response.content[:200]
            self.failures.append(f"{role} {method.upper()} {path} {label} -> {response.status_code} {reason}")
        else:
            transaction.savepoint_commit(sid)
        return response


@pytest.fixture
def portfolio(db, capsys, settings, tmp_path):
    from tests.gate.support import state_policy_seeded

    settings.MEDIA_ROOT = str(tmp_path / "media")
    state_policy_seeded()  # the policy pages list its rows (a test that flushed the database emptied it)
    call_command("seed_demo", accounts=30, seed=5)
    capsys.readouterr()
    creditor = Creditor.objects.filter(accounts__isnull=False).first()
    number = creditor.accounts.first().creditor_account_number
    data = f"creditor_account_number,posted_date,type,amount,reference,memo\r\n{number},2025-03-01,fee,1.00,R-1,x\r\n"
    batch = import_services.import_batch_create(creditor=creditor, kind="transactions",
                                                fileobj=io.BytesIO(data.encode()), original_name="t.csv")
    records_for_the_targeted_forms(creditor.accounts.order_by("pk").first())
    return {"import_batch": batch}


def records_for_the_targeted_forms(account):
    """A record in each state some form is shown for: a posted payment (return, refund), a settlement awaiting
    approval, live consents, an original-creditor request, a vendor batch sent."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from collections_app.models import SkipTraceCase
    from collections_app.skiptrace.vendor import vendor_batch_create
    from compliance.models import TcpaConsent
    from compliance.services import direct_consent_record, original_creditor_request_record, tcpa_consent_record
    from payments.services import payment_post, settlement_create
    from tests.factories import PhoneFactory

    admin = User.objects.get(username="admin")
    collector = User.objects.get(username="collector2")
    now = timezone.now() - timedelta(days=1)
    payment_post(account=account, amount=Decimal("5.00"), method="ach", received_at=now, idempotency_key="fuzz-1",
                 source="posting", user=admin)
    settlement_create(account=account, user=collector, amount=Decimal("1.00"), reason="fuzz",
                      expires_on=timezone.localdate() + timedelta(days=5))
    phone = PhoneFactory(debtor=account.debtor, number="+14045550199")
    tcpa_consent_record(phone=phone, source=TcpaConsent.Source.choices[0][0], scope="all", given_at=now, user=admin)
    direct_consent_record(debtor=account.debtor, account=account, scope="call_frequency", given_at=now, user=admin)
    original_creditor_request_record(account=account, received_at=now, user=admin)
    vendor_batch_create(user=admin, case_ids=list(SkipTraceCase.objects.values_list("pk", flat=True)))


def known_ids(portfolio) -> dict[str, str]:
    from collections_app.models import Escalation, SkipTraceCase
    from payments.models import Payment

    account = Account.objects.order_by("pk").first()
    ids = {"account_id": account.pk, "batch_id": portfolio["import_batch"].pk}
    if payment := Payment.objects.order_by("pk").first():
        ids["payment_id"] = payment.pk
    if case := SkipTraceCase.objects.order_by("pk").first():
        ids["case_id"] = case.pk
    if escalation := Escalation.objects.order_by("pk").first():
        ids["escalation_id"] = escalation.pk
    return {k: str(v) for k, v in ids.items()}


def crawl(fuzzer: Fuzzer, ids: dict[str, str]) -> list[Form]:
    """Every page each role can read, with the forms it shows (and the pages the forms' pages link to
    with ids: detail pages of records)."""
    forms: list[Form] = []
    seen: set[tuple[str, str]] = set()
    pages = []
    for route, pattern in patterns():
        if route.startswith(SKIPPED_PREFIXES) or pattern.name in SKIPPED_NAMES:
            continue
        path = fill(route, ids)
        if path:
            pages.append(path)
    queue = [(role, page) for page in pages for role in fuzzer.clients]
    routes_seen = [(role, resolve_route(page)) for role, page in queue]
    links = re.compile(r'(?:href|hx-get|action)="(/(?!api/|admin/|static/|logout)[^"?#]*)"')
    queries = re.compile(r'(?:href|hx-get)="(/(?!api/|admin/|static/|logout)[^"#]*\?[^"#]+)"')
    while queue:
        role, page = queue.pop(0)
        if (role, page) in seen or len(seen) > 1500:
            continue
        seen.add((role, page))
        response = fuzzer.send(role, "get", page, label="(crawl)")
        if response.status_code != 403:
            fuzzer.allowed.setdefault(resolve_route(page), []).append(role)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode(errors="replace")
        parser = FormParser(page, role)
        parser.feed(html)
        forms += parser.forms
        for link in sorted(set(queries.findall(html))):
            # a link with a query string (a page of results, a filter) is a GET form of its parameters
            url = urlsplit(unescape(link))
            query = Form(action=url.path, role=role, method="get")
            for name, value in parse_qsl(url.query, keep_blank_values=True):
                query.kinds[name], query.fields[name] = "text", [value]
            forms.append(query)
        for link in sorted(set(links.findall(html))):
            # a few pages per pattern and role (records in different states show different forms)
            name = resolve_route(link)
            if name and routes_seen.count((role, name)) < 4 and (role, link) not in seen:
                routes_seen.append((role, name))
                queue.append((role, link))
    return forms


def resolve_route(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def form_key(form: Form):
    """Forms alike but for a record's number in their field names (p1-days, p2-days) are fuzzed once."""
    return (resolve_route(form.action), form.method,
            tuple(sorted({re.sub(r"\d+", "", name) for name in form.kinds})),
            tuple(sorted(form.buttons)), tuple(form.files))


def baseline(form: Form, button: tuple[str, str] | None) -> dict:
    data = {k: (v if len(v) != 1 else v[0]) for k, v in form.fields.items() if v}
    if button:
        data[button[0]] = button[1]
    return data


def fuzz_form(fuzzer: Fuzzer, form: Form):
    path = urlsplit(form.action).path
    route = resolve_route(path)
    buttons = form.buttons or [None]
    # every action button once with the defaults, then each field malformed with the first button
    for button in buttons:
        fuzzer.send(form.role, form.method, path, baseline(form, button), label=f"defaults {button}")
    for button in buttons[:1]:
        base = baseline(form, button)
        shapes = set()
        for name, kind in form.kinds.items():
            if name == "csrfmiddlewaretoken":
                continue
            # fields of one shape (a weight per bucket, a column per mapping row) are tried once
            shape = (re.sub(r"\..*$|[-_]?\d+", "", name), kind)
            if len(form.kinds) > 12:  # a long form of repeated rows: src_amount, src_date... once
                shape = (shape[0].split("_")[0], kind)
            if shape in shapes or (route, form.method, shape) in fuzzer.fuzzed:  # (or in another form to this URL)
                continue
            shapes.add(shape)
            fuzzer.fuzzed.add((route, form.method, shape))
            value = form.fields.get(name, [""])[0] if form.fields.get(name) else ""
            for junk in junk_for(name, kind, value):
                fuzzer.send(form.role, form.method, path, {**base, name: junk}, label=f"{name}={junk!r:.40}")
            if form.method == "post":  # a filter left out is the page unfiltered
                fuzzer.send(form.role, form.method, path, {k: v for k, v in base.items() if k != name},
                            label=f"{name} missing")
        for name in form.files:
            for content in JUNK_FILES:
                fuzzer.send(form.role, form.method, path, {**base, name: file_upload("junk.csv", content)},
                            label=f"{name}=file {content[:12]!r}")
        # the id in the URL unknown
        if re.search(r"/\d+/", path):
            fuzzer.send(form.role, form.method, re.sub(r"/\d+/", f"/{UNKNOWN_ID}/", path, count=1), base,
                        label="unknown id in URL")


def django_form(form_class, action: str, role: str, **values) -> Form:
    """A Form as a page would show ``form_class``, for records in a state the crawl met no form for."""
    form = Form(action=action, role=role)
    for name, f in form_class().fields.items():
        widget = f.widget
        kind = "select" if hasattr(f, "choices") else getattr(widget, "input_type", None) or "textarea"
        if kind == "file":
            form.files.append(name)
            continue
        form.kinds[name] = kind
        choices = [str(c[0]) for c in getattr(f, "choices", []) if c[0] != ""]
        if choices:
            form.choices[name] = choices
        default = values.get(name, choices[0] if choices else "1" if kind == "number" else "x")
        form.fields[name] = [str(default)]
    return form


def targeted_forms() -> list[Form]:
    """Forms shown only for records in some states (an adjustment awaiting approval, a posted payment, a
    vendor batch sent...): built from their form classes, posted to the first such record."""
    from collections_app.escalations.forms import AdjustmentForm, DecideForm
    from collections_app.models import Escalation, SkipVendorBatch
    from collections_app.skiptrace.forms import VendorUploadForm
    from collections_app.worklist.forms import SkipForm
    from compliance.forms import RevokeConsentForm, RevokeDirectConsentForm
    from compliance.models import DirectPriorConsent, OriginalCreditorRequest, TcpaConsent
    from payments.forms import DecisionForm, RefundForm, ReturnForm
    from payments.models import Payment, Settlement

    forms = [django_form(SkipForm, "/worklist/skip/", "collector", back="/worklist/")]
    for escalation in Escalation.objects.all():
        forms.append(django_form(AdjustmentForm, f"/escalations/{escalation.pk}/adjustment/", "admin"))
        forms.append(django_form(DecideForm, f"/escalations/{escalation.pk}/decide/", "admin"))
    if payment := Payment.objects.filter(status="posted").first():
        forms.append(django_form(ReturnForm, f"/payments/{payment.pk}/return/", "accounting"))
        forms.append(django_form(RefundForm, f"/accounts/{payment.account_id}/money/refund/", "accounting"))
    if settlement := Settlement.objects.first():
        forms.append(django_form(DecisionForm, f"/payments/approvals/settlement/{settlement.pk}/", "supervisor",
                                 next="/payments/approvals/"))
    if consent := TcpaConsent.objects.filter(revoked_at__isnull=True).first():
        forms.append(django_form(RevokeConsentForm, f"/compliance/consents/{consent.pk}/revoke/", "compliance"))
    if direct := DirectPriorConsent.objects.first():
        forms.append(django_form(RevokeDirectConsentForm, f"/compliance/direct-consents/{direct.pk}/revoke/",
                                 "compliance"))
    if oc := OriginalCreditorRequest.objects.first():
        forms.append(Form(action=f"/compliance/original-creditor-requests/{oc.pk}/provided/", role="compliance"))
    if batch := SkipVendorBatch.objects.first():
        forms.append(django_form(VendorUploadForm, f"/skip-trace/vendor/{batch.pk}/import/", "supervisor"))
    return forms


def test_no_html_form_answers_500_to_malformed_input(portfolio):
    started = time.monotonic()
    fuzzer = Fuzzer()
    ids = known_ids(portfolio)
    forms = crawl(fuzzer, ids) + targeted_forms()
    done, covered = set(), set()
    for form in forms:
        key = form_key(form)
        if key[0] is None or key in done or resolve(urlsplit(form.action).path).url_name in SKIPPED_NAMES:
            continue
        done.add(key)
        if form.method == "post":
            covered.add(key[0])
        fuzz_form(fuzzer, form)

    # URL patterns that accept POST but showed no form to anyone: generic junk, and unknown ids
    generic = {"id": UNKNOWN_ID, "amount": "NaN", "date": "2025-02-30", "status": "no-such-choice", "note": NUL,
               "action": "no-such-action", "decision": ["approve", "reject"], "context": "{not json",
               "next": "-1", "back": "-1"}
    for route, pattern in patterns():
        if route.startswith(SKIPPED_PREFIXES) or pattern.name in SKIPPED_NAMES:
            continue
        unknown = fill(route, {**{k: UNKNOWN_ID for k in re.findall(r"<int:(\w+)>", route)},
                               **{k: "no-such-kind" for k in re.findall(r"<(?:str|slug):(\w+)>", route)}})
        known = fill(route, {**ids, "kind": "consent"})
        # one role the page lets in is enough (the others are refused before any input is read)
        for role in fuzzer.allowed.get(route, list(fuzzer.clients))[:1]:
            if "<" in route:
                fuzzer.send(role, "post", unknown, generic, label="generic junk, unknown ids")
            if known and route not in covered:
                fuzzer.send(role, "post", known, generic, label="generic junk")

    # query parameters pages read without a form showing them (cursors, filters kept in links): all at once
    params = ["after", "before", "page", "sort", "order", "q", "status", "kind", "date", "date_from", "date_to",
              "as_of", "from", "to", "creditor", "account", "collector", "team", "queue", "limit", "wanted", "period",
              "month", "bucket", "code", "taken", "rpc", "export", "mine", "review", "example", "mode", "notice"]
    from collections_app.dashboards.views import DRILLS

    paths = []
    for route, pattern in patterns():
        if route.startswith(SKIPPED_PREFIXES) or pattern.name in SKIPPED_NAMES:
            continue
        kinds = DRILLS if pattern.name == "drill" else ["consent"]  # every figure's drill-down page
        paths += [(route, path) for kind in kinds if (path := fill(route, {**ids, "kind": kind}))]
    for route, path in paths:
        for role in fuzzer.allowed.get(route, [])[:1]:
            for junk in ["abc", "99999999999999999999999999", "2025-02-30", NUL]:
                fuzzer.send(role, "get", path, {p: junk for p in params}, label=f"every parameter {junk!r:.20}")
            fuzzer.send(role, "get", path, {p: ["1", "2"] for p in params}, label="every parameter twice")

    elapsed = time.monotonic() - started
    missed = sorted(EXPECTED_FORMS - covered)
    assert not missed, f"POST pages whose form the crawl no longer finds (so nothing fuzzed them): {missed}"
    assert fuzzer.requests > 1000, f"{len(done)} forms, {fuzzer.requests} requests in {elapsed:.0f}s"
    assert not fuzzer.failures, "\n".join(sorted(set(fuzzer.failures)))
