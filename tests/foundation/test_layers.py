"""Layering (DESIGN.md §2): accounts <- compliance <- payments <- collections_app, checked by import-linter.

The contracts live in .importlinter (``lint-imports`` runs them by hand); these tests run them in the
suite, prove they catch a violation, and pin the audit trail at the bottom layer (issue 14, item 7).
"""

import shutil
import subprocess
import sys
from pathlib import Path

from django.contrib import admin

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("accounts", "compliance", "payments", "collections_app")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; "
                               "sys.exit(c(['--config', '.importlinter', '--no-cache']))"],
        cwd=cwd, env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=120)


def test_the_layering_contracts_are_kept():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_catch_accounts_importing_compliance(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "migrations", "templates", "static"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    (tmp_path / "accounts" / "upward.py").write_text("from compliance.models import Dispute  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode == 1
    assert "accounts.upward -> compliance.models" in result.stdout


def test_the_audit_trail_lives_in_accounts_and_keeps_its_table():
    from accounts.models import AuditEvent
    from compliance.models import AuditEvent as OldPath

    assert AuditEvent is OldPath  # in-flight code importing it from compliance still works
    assert (AuditEvent._meta.app_label, AuditEvent._meta.db_table) == ("accounts", "compliance_auditevent")


def test_accounts_audits_its_own_admin_pages_without_re_registration():
    from accounts import admin as accounts_admin
    from accounts.models import Account, Address, Debtor, Email, Phone

    for model in (Debtor, Phone, Email, Address, Account):
        registered = type(admin.site._registry[model])
        assert registered.__module__ == "accounts.admin", registered
        assert issubclass(registered, accounts_admin.AuditedAdminMixin)


def test_no_url_table_audits_for_accounts_and_export_balances_is_an_accounts_command():
    from django.conf import settings
    from django.core.management import get_commands

    assert not any("AuditPersonalData" in m for m in settings.MIDDLEWARE)
    assert get_commands()["export_balances"] == "accounts"
