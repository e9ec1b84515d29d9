"""Spanish: the catalogue is complete and current, and every page renders in Spanish.

- locale/es/LC_MESSAGES/django.po has no empty and no fuzzy translation;
- running makemessages now (on a copy) finds no string the catalogue lacks: a page or form that adds
  a translatable string without its Spanish fails here, naming the string;
- the committed django.mo is what compilemessages makes of the committed django.po;
- every page each role may open, with the user's language set to Spanish, is served as lang="es" and
  shows none of the catalogue's English sentences.
"""

import os
import re
import shutil
import subprocess
import sys
import uuid
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from accounts.access import ROLES
from tests.browser.test_screens import DEMO_USER, demo_data, pages_for

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES"
# What makemessages reads: the project's own code and templates. Debtor-facing letters and notices
# have one template per language (compliance/notices, compliance/letters, payments/documents).
MAKEMESSAGES = [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete", "--no-location",
                *[f"--ignore={p}" for p in ("var/*", "tests/*", "bench/*", "test-results/*", "locale/*",
                                            "templates/compliance/notices/*validation_notice*",
                                            "templates/compliance/letters/*",
                                            "templates/payments/documents/*")]]


# Pages or templates not yet swept for Spanish, with the reason: English found on them is reported as a
# warning, not a failure. Empty: every page is swept (add an entry only with the issue that will sweep it).
NOT_YET_SPANISH: dict[str, str] = {}
NOT_YET_SPANISH_APPS: dict[str, str] = {}
NOT_YET_SPANISH_TEMPLATES: list[str] = []


def unswept_english() -> str:
    """The raw source of the templates not yet swept: catalogue sentences found there are theirs."""
    text = []
    for entry in NOT_YET_SPANISH_TEMPLATES:
        path = ROOT / entry
        files = sorted(path.rglob("*.html")) if path.is_dir() else [path] if path.exists() else []
        text += [f.read_text(encoding="utf-8") for f in files]
    return "\n".join(text)


def entries(po: Path) -> list[dict]:
    """(msgid, msgstrs, fuzzy) of every entry but the header."""
    found = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        lines = [ln for ln in block.splitlines() if not ln.startswith("#~")]
        text = "\n".join(lines)
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', text, re.M)
        if not msgid:
            continue
        ident = "".join(re.findall(r'"(.*)"', msgid.group(1)))
        if not ident:
            continue
        strs = ["".join(re.findall(r'"(.*)"', m)) for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text, re.M)]
        found.append({"msgid": ident.replace('\\"', '"'), "msgstr": strs, "fuzzy": "#, fuzzy" in block})
    return found


def untranslated(po: Path) -> list[str]:
    return [e["msgid"] for e in entries(po) if e["fuzzy"] or not all(e["msgstr"])]


def test_spanish_catalogue_has_no_empty_or_fuzzy_translation():
    assert len(entries(CATALOGUE / "django.po")) > 200
    assert untranslated(CATALOGUE / "django.po") == []


def test_makemessages_finds_no_string_without_its_spanish():
    # makemessages writes a source file's strings to the first locale path whose parent directory holds the
    # file, and it adds ./locale after LOCALE_PATHS: a copy outside the project would be passed over and the
    # committed catalogue rewritten. The copy is a directory of the project's root, so it comes first.
    copy = ROOT / f".i18n-check-{uuid.uuid4().hex}"
    shutil.copytree(ROOT / "locale", copy)
    committed = (CATALOGUE / "django.po").read_bytes()
    try:
        result = subprocess.run(MAKEMESSAGES, cwd=ROOT, env={**os.environ, "LOCALE_DIR": str(copy), "DEBUG": "1"},
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        missing = untranslated(copy / "es" / "LC_MESSAGES" / "django.po")
        assert (CATALOGUE / "django.po").read_bytes() == committed, "makemessages wrote the committed catalogue"
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    assert not missing, ("new translatable strings without Spanish: run `manage.py makemessages -l es "
                         "--no-obsolete` (ignores as in tests/screens/test_i18n.py), translate them in "
                         f"locale/es/LC_MESSAGES/django.po, then `manage.py compilemessages`: {missing}")


def test_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(CATALOGUE / "django.po")], check=True)
    assert out.read_bytes() == (CATALOGUE / "django.mo").read_bytes(), "run `manage.py compilemessages -l es`"


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """Visible text and the attributes people hear or see (title, aria-label, placeholder).

    Text inside an element marked translate="no" (people's own words and records kept in English: audit
    summaries, hold reasons, the engine's detail) or lang="en" is content, not the interface: skipped."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip, self._stack = [], 0, []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v]
            return
        attributes = dict(attrs)
        skip = tag in ("script", "style") or attributes.get("translate") == "no" or attributes.get("lang") == "en"
        self._stack.append((tag, skip))
        self._skip += skip
        if not self._skip:
            self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag):
        # close up to the matching open tag (HTML lets some end tags be omitted)
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                for _tag, skip in self._stack[i:]:
                    self._skip -= skip
                del self._stack[i:]
                break

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_left(html: str, sentences: list[str]) -> list[str]:
    parser = _Text()
    parser.feed(html)
    text = " ".join(" ".join(parser.parts).split())
    return [s for s in sentences if s in text]


@pytest.mark.django_db
def test_every_page_renders_in_spanish_for_every_role(settings):
    settings.DEMO_PASSWORD = "collect-demo-2026"
    data = demo_data()
    # Whole English sentences of the catalogue (several words, no placeholders) that Spanish changes.
    sentences = [e["msgid"] for e in entries(CATALOGUE / "django.po")
                 if " " in e["msgid"] and "%" not in e["msgid"] and e["msgstr"][0] != e["msgid"]]
    from collections_app.models import User

    unswept = unswept_english()
    problems, checked = [], 0
    for role in ROLES:
        user = User.objects.get(username=DEMO_USER[role])
        user.language = "es"
        user.save(update_fields=["language"])
        client = Client()
        client.force_login(user)
        for name, path in pages_for(role, data):
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            html = response.content.decode()
            if "<main" not in html:
                continue  # a partial: checked inside its page
            checked += 1
            if '<html lang="es"' not in html:
                problems.append(f"{role} {path}: not served in Spanish")
            left = english_left(html, sentences)
            theirs = [s for s in left if s in unswept]
            if theirs:
                warnings.warn(f"{path}: English from templates not yet swept: {theirs}", stacklevel=1)
                left = [s for s in left if s not in theirs]
            app = name.partition(":")[0] if ":" in name else ""
            pending = NOT_YET_SPANISH.get(name) or NOT_YET_SPANISH_APPS.get(app)
            if left and pending:
                warnings.warn(f"{path} not yet in Spanish ({pending}): {left}", stacklevel=1)
            elif left:
                problems.append(f"{role} {path}: English left: {left}")
    assert checked > 20
    assert not problems, "\n".join(problems)


def test_spanish_numbers_are_written_as_a_us_agency_writes_them():
    """es-US: $1,250.40 on every screen, never Django's es 1.250,40 or 335 246,66."""
    from django.template import Context, Template
    from django.utils import translation

    page = Template("{% load humanize display %}{{ v|intcomma }} {{ m|money }} {{ s|floatformat:2 }}")
    with translation.override("es"):
        assert page.render(Context({"v": 335246.66, "m": "1250.4", "s": 78})) == "335,246.66 $1,250.40 78.00"


def test_python_built_texts_read_in_spanish():
    """Texts built in Python reach pages in the reader's language: gate reasons, hold reasons, refusals."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from collections_app.templatetags.display import hold_label, reason_labels
    from compliance.services import holds

    with translation.override("es"):
        assert reason_labels(["CEASE_COMMUNICATION", "INCONVENIENT_TIME"]) == \
            "Cese de comunicaciones, Fuera del horario permitido para llamar"
        assert hold_label("escalation #3: legal; skip trace #4 open") == \
            "escalamiento n.º 3: remisión legal; localización n.º 4: abierto"
        with pytest.raises(ValidationError, match="Indique por qué se retiene la cuenta"):
            holds.place_hold(None, "suit", "  ")
    assert reason_labels(["CEASE_COMMUNICATION"]) == "Cease communication"
