"""Every page, as every role that may open it, in a real Chromium:

- axe-core (vendored in tests/browser/vendor/axe-core) finds no serious or critical violation,
  at 1440 px and at 390 px (the narrow layout has its own menu and card tables);
- at 390 px the page does not scroll sideways (tables scroll inside their own box or become cards).

Pages come from the URL conf, so a new page is audited as soon as it is named: the roles that may
open it come from the role matrix (tests/foundation/test_access.py), its URL arguments from
URL_KWARGS / KWARG_VALUES below (a URL whose arguments are unknown fails with the entry to add).
Responses that are not full HTML documents (JSON, CSV, PDF, HTMX partials) are skipped: partials
are audited inside the page that shows them.

Screenshots: `SCREENS_DIR=test-results/screens pytest tests/browser/test_screens.py` also writes
<role>/<page>-1440.png and -390.png for every audited page (see scripts in README); with
SCREENS_LANGUAGE=es every role's user reads the pages in Spanish (the same audit, longer words).
"""

import os
import re
import warnings
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.access import ROLES
from tests.foundation.test_access import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDE, NARROW = 1440, 390
SERIOUS = {"serious", "critical"}
DEMO_USER = {"admin": "admin", "supervisor": "supervisor1", "accounting": "accounting1",
             "compliance": "compliance1", "collector": "collector1"}

# URL name -> kwargs, for arguments that are not of a generic kind (see KWARG_VALUES).
URL_KWARGS = {
    "compliance:restriction_add": lambda d: {"kind": "cease"},
    "dashboard:drill": lambda d: {"kind": "accounts"},
    "compliance:policy_edit": lambda d: {"pk": d["policy"].pk},
    # Detail pages (see DETAIL_PAGES), each opened on a demo object that fills it.
    "skiptrace:detail": lambda d: {"case_id": d["skip_case"].pk},
    "escalations:detail": lambda d: {"escalation_id": d["escalation"].pk},
    "bureau:run_detail": lambda d: {"pk": d["metro2_run"].pk},
    "retention:run_detail": lambda d: {"pk": d["purge_run"].pk},
    "payments:batch": lambda d: {"batch_id": d["payment_batch"].pk},
    "compliance:medical_record": lambda d: {"account_id": d["medical_account"].pk},
}
# Detail pages: the role matrix opens them on an object that does not exist (404 for an allowed role); the
# audits open them on a demo object (URL_KWARGS). A page the matrix answers 404 must be here or in NOT_AUDITED.
DETAIL_PAGES = {"skiptrace:detail", "escalations:detail", "bureau:run_detail", "retention:run_detail",
                "payments:batch", "compliance:medical_record"}
# URL argument name -> value from the demo data, for every URL that takes it.
KWARG_VALUES = {
    "account_id": lambda d: d["account"].pk,
    "batch_id": lambda d: d["batch"].pk,
    "queue_id": lambda d: d["queue"].pk,
}
# Pages known to scroll sideways at 390 px, with who fixes them: reported as warnings until then.
NARROW_PENDING: dict[str, str] = {}
# Named pages not audited, with the reason.
NOT_AUDITED = {
    "api-docs": "Swagger UI, a vendored third-party page",
    "payments:receipt": "a PDF (its HTML is checked in tests/payments/test_documents_and_pages.py)",
    "bureau:run_file": "the Metro 2 file, a download",
}


def _patterns(resolver, namespace="", params=frozenset()):
    """(url name, names of its URL arguments) for every named URL outside the Django admin."""
    for p in resolver.url_patterns:
        own = frozenset(getattr(p.pattern, "converters", {}) or re.compile(str(p.pattern.regex.pattern)).groupindex)
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            yield from _patterns(p, f"{namespace}{p.namespace}:" if p.namespace else namespace, params | own)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", params | own


def demo_data():
    """A small demo portfolio (the real seed_demo) plus an import batch with an error report."""
    from accounts.models import Account
    from collections_app.models import Queue
    from compliance.models import Dispute, StatePolicy
    from tests.imports.support import matrix_batch

    call_command("seed_demo", accounts=40, seed=1, verbosity=0, stdout=open(os.devnull, "w"))
    dispute = Dispute.objects.select_related("account").first()
    account = dispute.account if dispute else Account.objects.order_by("pk").first()
    policy, _ = StatePolicy.objects.get_or_create(state="US", city="", effective_from="2000-01-01")
    queue = Queue.objects.order_by("pk").first() or Queue.objects.create(name="Screens queue")
    return {"account": account, "batch": matrix_batch(account.creditor), "policy": policy, "queue": queue,
            **detail_objects(account)}


def detail_objects(account) -> dict:
    """An object for every detail page (DETAIL_PAGES), from the demo data where it has one: a skip trace, an
    escalation, a Metro 2 run with blocked accounts, a purge certificate, a refused lockbox file, a medical
    record."""
    from django.core.files.base import ContentFile

    from collections_app.models import Escalation, SkipTraceCase
    from compliance.models import MedicalDetail, Metro2Run, PurgeRun
    from compliance.retention.services import purge_run
    from payments.batch import payment_batch_run
    from payments.models import PaymentBatch

    number = account.creditor_account_number
    lockbox = PaymentBatch(creditor=account.creditor, original_name="lockbox.csv")
    lockbox.file.save("screens-lockbox.csv", ContentFile(
        "creditor_account_number,amount,method,received_at,reference\r\n"
        f"{number},$40.00,check,2026-01-05,SCR-1\r\n{number},abc,wire,2026-01-05,SCR-2\r\n".encode()))
    objects = {
        "skip_case": SkipTraceCase.objects.order_by("pk").first(),
        "escalation": Escalation.objects.order_by("pk").first(),
        "metro2_run": Metro2Run.objects.filter(blocked__gt=0).order_by("pk").first()
        or Metro2Run.objects.order_by("pk").first(),
        "purge_run": PurgeRun.objects.get(pk=purge_run()["run"]),
        "payment_batch": payment_batch_run(batch_id=lockbox.pk),
        "medical_account": MedicalDetail.objects.select_related("account").order_by("pk").first().account,
    }
    missing = [name for name, obj in objects.items() if obj is None]
    assert not missing, f"the demo data has no object for these detail pages: {missing}"
    return objects


def pages_for(role, data):
    """(name, path) of every named HTML page `role` may open (anonymous: role None)."""
    pages, unknown = [], []
    for name, params in sorted(_patterns(get_resolver())):
        if name in NOT_AUDITED:
            continue
        if role is None:
            if name != "login":
                continue
        else:
            allowed, status = MATRIX.get(name, ((), None))
            if role not in allowed or name.startswith("api-"):
                continue
            if status != 200 and name not in DETAIL_PAGES:
                continue
        if name in URL_KWARGS:
            kwargs = URL_KWARGS[name](data)
        else:
            missing = sorted(params - set(KWARG_VALUES))
            if missing:
                unknown.append(f"{name} (arguments {missing})")
                continue
            kwargs = {p: KWARG_VALUES[p](data) for p in params}
        pages.append((name, reverse(name, kwargs=kwargs)))
    assert not unknown, ("tests/browser/test_screens.py cannot build these URLs: add an entry to URL_KWARGS "
                         f"(or KWARG_VALUES) for each: {unknown}")
    return pages


def run_axe(page):
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [v for v in result if v["impact"] in SERIOUS]


def horizontal_overflow(page):
    """How many pixels the page is wider than the viewport (0 when it does not scroll sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def audit(page, name, path, label, problems, shots, seen):
    """Axe at both widths the first time a page is seen, then (other roles: the same page with another
    menu) at 390 px only, which keeps the whole audit near a minute; the sideways check always."""
    probe = page.request.get(path)  # downloads (CSV, PDF) and JSON are not pages: look before going
    if "text/html" not in probe.headers.get("content-type", "") or "<main" not in probe.text():
        return False
    page.set_viewport_size({"width": WIDE, "height": 900})
    page.goto(path)
    first_time = name not in seen
    seen.add(name)
    for width in (WIDE, NARROW):
        if width == NARROW:
            page.set_viewport_size({"width": NARROW, "height": 844})
            # Let resize observers (charts) redraw for the phone, as they do when a phone loads the page.
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            page.wait_for_timeout(200)
        for v in (run_axe(page) if first_time or width == NARROW else []):
            problems.append(f"{label} {path} @{width}px axe {v['impact']} {v['id']}: {v['help']} {v['nodes']}")
        if width == NARROW and horizontal_overflow(page) > 0:
            page.reload()  # as a phone loads it (a chart drawn for 1440 px may not shrink in place)
        if width == NARROW and (over := horizontal_overflow(page)) > 0:
            if name in NARROW_PENDING:
                warnings.warn(f"{path} scrolls sideways by {over}px at 390 px: {NARROW_PENDING[name]}", stacklevel=1)
            else:
                problems.append(f"{label} {path} @390px scrolls sideways by {over}px")
        if shots:
            folder = shots / label
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{name.replace(':', '_')}-{width}.png"), full_page=True)
    return True


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "collect-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def test_every_page_passes_axe_and_fits_390px_for_every_role(browser, live_server, settings):
    settings.DEMO_PASSWORD = "collect-demo-2026"
    data = demo_data()
    shots = Path(os.environ["SCREENS_DIR"]) if os.environ.get("SCREENS_DIR") else None
    language = os.environ.get("SCREENS_LANGUAGE", "")
    from collections_app.models import User

    problems, audited, seen = [], 0, set()
    for role in (None, *ROLES):
        label = role or "anonymous"
        context = browser.new_context(base_url=live_server.url)
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        if role:
            if language:  # SCREENS_LANGUAGE=es: the same audit and screenshots in Spanish (longer words)
                User.objects.filter(username=DEMO_USER[role]).update(language=language)
            login(page, live_server.url, DEMO_USER[role])
        for name, path in pages_for(role, data):
            audited += audit(page, name, path, label, problems, shots, seen)
        # The error pages, as this role sees them.
        audited += audit(page, "404", "/no-such-page/", label, problems, shots, seen)
        if role == "collector":
            audited += audit(page, "403", reverse("compliance:audit"), label, problems, shots, seen)
        context.close()
    assert audited > 20
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_status_badges_differ_in_colour_symbol_and_shape(page, live_server):
    """Never colour alone: the kinds of badge differ in colour, in their leading symbol and in shape."""
    page.goto(f"{live_server.url}/login/")  # any page: it loads the site's stylesheets
    page.evaluate("""() => { document.querySelector('main').insertAdjacentHTML('beforeend',
        '<span class="badge ok">Allowed</span><span class="badge block">Blocked</span>' +
        '<span class="badge warn">Hold</span><span class="badge">Closed</span>'); }""")
    looks = page.evaluate("""() => [...document.querySelectorAll('main .badge')].map(b => {
        const s = getComputedStyle(b), before = getComputedStyle(b, '::before');
        return [s.backgroundColor, before.content, s.borderTopLeftRadius]; })""")
    for part in range(2):  # colour and symbol: all four differ
        assert len({look[part] for look in looks}) == len(looks), looks
    assert len({look[2] for look in looks[:3]}) == 3, looks  # shape: allowed, blocked and warning differ
