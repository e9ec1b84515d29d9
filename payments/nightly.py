"""The night's payments work, set-based: one SQL statement (or a few) per step, safe to run twice.

Each step only moves rows whose current status the transitions tables allow to move (see
``payments.services.status.allowed_from``) and stamps what it did, so a rerun finds nothing to do.
These statements are PostgreSQL's (``UPDATE ... FROM``, ``RETURNING`` in CTEs, date arithmetic); on
any other database (SQLite) each step runs its ORM twin in ``payments.nightly_portable``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection, transaction

from payments import nightly_portable as portable
from payments.models.plan import INSTALLMENT_TRANSITIONS, PLAN_TRANSITIONS
from payments.models.promise import PROMISE_TRANSITIONS
from payments.models.settlement import SETTLEMENT_TRANSITIONS
from payments.services.status import allowed_from

# Accounts in these statuses are worked collections and may move with their commitments.
_OPEN_STATUSES = ("new", "active", "promise", "plan")


def _portable() -> bool:
    return connection.vendor != "postgresql"


def _assert_allowed(table, frm: str, to: str):
    if frm not in allowed_from(table, to):
        raise AssertionError(f"{frm} -> {to} is not in the transitions table")


def promises_judge(*, today: date) -> dict:
    """Open promises whose date has passed: kept / partially kept / broken by the payments matched to
    them when posted. Accounts left with no open promise and no active plan go back to active."""
    if _portable():
        return portable.promises_judge(today=today)
    for to in ("kept", "partial", "broken"):
        _assert_allowed(PROMISE_TRANSITIONS, "open", to)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            WITH judged AS (
                UPDATE payments_promise SET judged_on = %(today)s,
                       status = CASE WHEN amount_paid >= amount THEN 'kept'
                                     WHEN amount_paid > 0 THEN 'partial' ELSE 'broken' END
                 WHERE status = 'open' AND due_date < %(today)s
             RETURNING account_id, status)
            SELECT count(*) FILTER (WHERE status = 'kept'), count(*) FILTER (WHERE status = 'partial'),
                   count(*) FILTER (WHERE status = 'broken'), coalesce(array_agg(DISTINCT account_id)
                   FILTER (WHERE status <> 'kept'), '{}')
              FROM judged""", {"today": today})
        kept, partial, broken, accounts = cursor.fetchone()
        moved = _accounts_back_to_active(cursor, accounts, from_status="promise")
    return {"kept": kept, "partial": partial, "broken": broken, "accounts_to_active": moved}


def _accounts_back_to_active(cursor, account_ids: list[int], *, from_status: str) -> int:
    if not account_ids:
        return 0
    cursor.execute("""
        UPDATE accounts_account a SET status = 'active', updated_at = now()
         WHERE a.id = ANY(%(ids)s) AND a.status = %(from)s
           AND NOT EXISTS (SELECT 1 FROM payments_promise p WHERE p.account_id = a.id AND p.status = 'open')
           AND NOT EXISTS (SELECT 1 FROM payments_paymentplan p WHERE p.account_id = a.id AND p.status = 'active')
    """, {"ids": list(account_ids), "from": from_status})
    return cursor.rowcount


def plans_check(*, today: date) -> dict:
    """Installments unpaid past their grace days become missed; a plan defaults after its allowed misses."""
    if _portable():
        return portable.plans_check(today=today)
    _assert_allowed(INSTALLMENT_TRANSITIONS, "scheduled", "missed")
    _assert_allowed(PLAN_TRANSITIONS, "active", "defaulted")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            WITH missed AS (
                UPDATE payments_installment i SET status = 'missed'
                  FROM payments_paymentplan p
                 WHERE i.plan_id = p.id AND p.status = 'active' AND i.status = 'scheduled'
                   AND i.due_date + p.grace_days < %(today)s
             RETURNING i.plan_id),
            counted AS (
                UPDATE payments_paymentplan p SET missed_count = p.missed_count + m.n
                  FROM (SELECT plan_id, count(*) AS n FROM missed GROUP BY plan_id) m
                 WHERE p.id = m.plan_id
             RETURNING p.id)
            SELECT (SELECT count(*) FROM missed), (SELECT count(*) FROM counted)""", {"today": today})
        missed, plans_with_misses = cursor.fetchone()
        cursor.execute("""
            UPDATE payments_paymentplan SET status = 'defaulted', ended_on = %(today)s
             WHERE status = 'active' AND missed_count >= default_after_misses
         RETURNING account_id""", {"today": today})
        defaulted = [row[0] for row in cursor.fetchall()]
        moved = _accounts_back_to_active(cursor, defaulted, from_status="plan")
    return {"installments_missed": missed, "plans_with_new_misses": plans_with_misses,
            "plans_defaulted": len(defaulted), "accounts_to_active": moved}


def settlements_expire(*, today: date) -> dict:
    """Offers past their expiry date that were not paid: expired."""
    if _portable():
        return portable.settlements_expire(today=today)
    for frm in ("approved", "awaiting_approval"):
        _assert_allowed(SETTLEMENT_TRANSITIONS, frm, "expired")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("""
            UPDATE payments_settlement SET status = 'expired'
             WHERE status IN ('approved', 'awaiting_approval') AND kind = 'settlement' AND expires_on < %(today)s
        """, {"today": today})
        return {"expired": cursor.rowcount}


# The principal outstanding of every account whose simple interest is due: accounts.balances.balance_by_kind
# in SQL (charges, and positive totals of kinds that raise nothing else, make the principal; every
# credit retires the buckets in the creditor's allocation order, principal last if it is not named;
# a credit beyond every bucket comes off the principal). tests/payments check it against the Python.
PRINCIPAL_SQL = """
  simple_terms AS (
      SELECT t.account_id FROM payments_interestterms t
       WHERE t.accrued_through < %(through)s AND t.method <> 'compound_daily'),
  kinds AS (
      SELECT l.account_id, l.kind, sum(l.amount) AS total FROM accounts_ledgerentry l
       WHERE l.account_id IN (SELECT account_id FROM simple_terms) GROUP BY l.account_id, l.kind),
  raw AS (
      SELECT account_id,
             COALESCE(sum(total) FILTER (WHERE total >= 0 AND kind NOT IN ('interest', 'fee')), 0) AS p,
             COALESCE(sum(total) FILTER (WHERE total >= 0 AND kind = 'interest'), 0) AS i,
             COALESCE(sum(total) FILTER (WHERE total >= 0 AND kind = 'fee'), 0) AS f,
             COALESCE(-sum(total) FILTER (WHERE total < 0), 0) AS credit
        FROM kinds GROUP BY account_id),
  orders AS (
      SELECT c.id AS creditor_id, ARRAY(SELECT jsonb_array_elements_text(c.allocation_order)) AS o,
             COALESCE(array_position(ARRAY(SELECT jsonb_array_elements_text(c.allocation_order)), 'principal'),
                      1000) AS pp
        FROM accounts_creditor c),
  principal AS (
      SELECT r.account_id,
             r.p - LEAST(GREATEST(r.credit
                                  - CASE WHEN array_position(o.o, 'fees') < o.pp THEN r.f ELSE 0 END
                                  - CASE WHEN array_position(o.o, 'interest') < o.pp THEN r.i ELSE 0 END, 0), r.p)
                 - GREATEST(r.credit - r.p - CASE WHEN 'fees' = ANY(o.o) THEN r.f ELSE 0 END
                                           - CASE WHEN 'interest' = ANY(o.o) THEN r.i ELSE 0 END, 0) AS principal
        FROM raw r JOIN accounts_account a ON a.id = r.account_id JOIN orders o ON o.creditor_id = a.creditor_id)"""


def interest_accrue(*, today: date) -> dict:
    """Post interest up to yesterday for every account whose creditor allows it, as ledger entries
    (reference INT-<account>-<day>, unique per creditor) with the cached balance moved in the same
    statement. The account's terms say the rate and the method: simple interest runs on the principal
    outstanding only (never on fees or on interest already posted); compound on the whole balance.
    Stopped while a plan is active, a settlement is approved, a dispute is open, or the
    account is charged off (where the creditor's rule says so); stopped days are not accrued later.
    """
    if _portable():
        return portable.interest_accrue(today=today)
    through = today - timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"""
            WITH {PRINCIPAL_SQL},
            due AS (
                SELECT t.id AS terms_id, a.id AS account_id, a.creditor_id,
                       round(CASE WHEN t.method = 'compound_daily' THEN a.current_balance
                                  ELSE GREATEST(COALESCE(pr.principal, 0), 0) END
                             * t.annual_rate / 100 * (%(through)s - t.accrued_through) / 365, 2) AS amount,
                       (a.status = ANY(%(open)s) AND a.current_balance > 0
                        AND NOT (s.interest_stops_at_charge_off AND a.charge_off_date IS NOT NULL)
                        AND NOT EXISTS (SELECT 1 FROM payments_paymentplan p
                                         WHERE p.account_id = a.id AND p.status = 'active')
                        AND NOT EXISTS (SELECT 1 FROM payments_settlement st
                                         WHERE st.account_id = a.id AND st.status = 'approved')
                        AND NOT EXISTS (SELECT 1 FROM compliance_dispute d
                                         WHERE d.account_id = a.id AND d.status <> 'resolved')) AS accrues
                  FROM payments_interestterms t
                  JOIN accounts_account a ON a.id = t.account_id
                  JOIN payments_paymentsettings s ON s.creditor_id = a.creditor_id AND s.interest_allowed
                  LEFT JOIN principal pr ON pr.account_id = a.id
                 WHERE t.accrued_through < %(through)s),
            posted AS (
                INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date, reference, memo,
                                                  source, fingerprint, created_at)
                SELECT account_id, creditor_id, 'interest', amount, %(today)s,
                       'INT-' || account_id || '-' || %(through_text)s, 'Interest accrued through ' || %(through_text)s,
                       'system', '', now()
                  FROM due WHERE accrues AND amount > 0
                ON CONFLICT (creditor_id, reference) WHERE reference IS NOT NULL DO NOTHING
             RETURNING account_id, amount),
            balances AS (
                UPDATE accounts_account a SET current_balance = a.current_balance + posted.amount
                  FROM posted WHERE a.id = posted.account_id
             RETURNING a.id),
            stamped AS (
                UPDATE payments_interestterms t SET accrued_through = %(through)s,
                       stopped_reason = CASE WHEN due.accrues THEN '' ELSE 'stopped' END
                  FROM due WHERE t.id = due.terms_id
             RETURNING t.id)
            SELECT (SELECT count(*) FROM posted), (SELECT coalesce(sum(amount), 0) FROM posted),
                   (SELECT count(*) FROM balances), (SELECT count(*) FROM stamped)
        """, {"today": today, "through": through, "through_text": through.isoformat(),
              "open": list(_OPEN_STATUSES) + ["disputed", "hold"]})
        entries, total, balances, stamped = cursor.fetchone()
    return {"entries": entries, "total": str(total), "accounts": balances, "terms_advanced": stamped}


def reminders_queue(*, today: date) -> dict:
    """One reminder row per promise or installment due soon, and per missed one; the idempotency key
    (kind + id) makes the row, and so the message, happen once whatever reruns the night."""
    if _portable():
        return portable.reminders_queue(today=today)
    params = {"today": today}
    with transaction.atomic(), connection.cursor() as cursor:
        counts = {}
        statements = {
            "promise_due": """
                SELECT p.account_id, 'promise_due', p.id, NULL::bigint, p.due_date, 'reminder:promise_due:' || p.id
                  FROM payments_promise p
                  JOIN accounts_account a ON a.id = p.account_id
                  LEFT JOIN payments_paymentsettings s ON s.creditor_id = a.creditor_id
                 WHERE p.status = 'open' AND p.due_date >= %(today)s
                   AND p.due_date <= %(today)s + coalesce(s.reminder_days_before, 2)""",
            "installment_due": """
                SELECT pl.account_id, 'installment_due', NULL::bigint, i.id, i.due_date,
                       'reminder:installment_due:' || i.id
                  FROM payments_installment i
                  JOIN payments_paymentplan pl ON pl.id = i.plan_id AND pl.status = 'active'
                  JOIN accounts_account a ON a.id = pl.account_id
                  LEFT JOIN payments_paymentsettings s ON s.creditor_id = a.creditor_id
                 WHERE i.status = 'scheduled' AND i.due_date >= %(today)s
                   AND i.due_date <= %(today)s + coalesce(s.reminder_days_before, 2)""",
            "installment_missed": """
                SELECT pl.account_id, 'installment_missed', NULL::bigint, i.id, i.due_date,
                       'reminder:installment_missed:' || i.id
                  FROM payments_installment i
                  JOIN payments_paymentplan pl ON pl.id = i.plan_id AND pl.status = 'active'
                 WHERE i.status = 'missed' AND i.amount_paid < i.amount""",
            "promise_missed": """
                SELECT p.account_id, 'promise_missed', p.id, NULL::bigint, p.due_date,
                       'reminder:promise_missed:' || p.id
                  FROM payments_promise p
                 WHERE p.status = 'broken' AND p.judged_on = %(today)s""",
        }
        for kind, select in statements.items():
            cursor.execute(f"""
                INSERT INTO payments_reminder (account_id, kind, promise_id, installment_id, due_date,
                                               idempotency_key, status, channel, detail, created_on, updated_at)
                SELECT q.*, 'queued', '', '', %(today)s, now() FROM ({select}) q
                ON CONFLICT (idempotency_key) DO NOTHING""", params)
            counts[kind] = cursor.rowcount
    return {**counts, "queued": sum(counts.values())}
