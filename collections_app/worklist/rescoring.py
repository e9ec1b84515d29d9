"""Re-prioritisation: aging bucket, score with components, queue and ready flag for every open account.

On PostgreSQL one ``UPDATE … FROM (SELECT …)`` per chunk of account ids computes everything
set-based, writes the bucket-change history in the same statement and commits the run's progress
with it, so a run killed midway is resumed by the next one and a rerun changes nothing (each value
is a function of the account's facts, ``as_of`` and the weights). Other databases (SQLite, the
embedded default) take the portable path: the same numbers from ``scoring.score`` in Python.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Account, AccountStatus, ContactStatus, DebtType
from collections_app.models import AgingBucket, BucketChange, Queue, RescoreRun, ScoringWeights, WorkItem
from collections_app.models.worklist import agency_today
from compliance.gate.policy import sol_years_by_state
from compliance.models import AttemptStatus, CallOutcome, ContactAttempt

from . import promises as promise_facts
from .buckets import Bucket, bucket_for, default_buckets
from .scoring import DEFAULT_WEIGHTS, Facts, add_years, pack, score, sol_years_for

# Account ids per transaction. A chunk locks only the rows it rewrites (the ones that changed, about
# a fifth a night) until it commits, so collectors' SKIP LOCKED pops pass over few rows; each
# statement also has fixed costs (a scan of the work items, the summary triggers' scan of the
# accounts), so fewer, larger chunks are faster: 500k = two statements per million.
CHUNK = 500_000
# Above this many account ids the statement is planned as a bulk job (see _rescore_range_pg).
NESTED_LOOP_MAX = 1000
OPEN = [s.value for s in (AccountStatus.NEW, AccountStatus.ACTIVE, AccountStatus.PROMISE, AccountStatus.PLAN,
                          AccountStatus.DISPUTED, AccountStatus.HOLD)]
# Open accounts a collector may work; disputed and held accounts wait for compliance.
WORKABLE = [s.value for s in (AccountStatus.NEW, AccountStatus.ACTIVE, AccountStatus.PROMISE, AccountStatus.PLAN)]
HAPPENED = [s.value for s in (AttemptStatus.ALLOWED, AttemptStatus.QUEUED, AttemptStatus.SENT, AttemptStatus.RECEIVED)]


def weights_current() -> ScoringWeights:
    current = ScoringWeights.objects.order_by("-version").first()
    if current is None:
        current = ScoringWeights.objects.create(version=1, weights=DEFAULT_WEIGHTS, note="defaults")
    return current


def buckets_current() -> list[Bucket]:
    rows = [Bucket(b.code, b.min_days, b.max_days) for b in AgingBucket.objects.all()]
    return rows or default_buckets()


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- the SQL -------------------------------------------------------------------------------------

def _in(column: str, values, params: list) -> str:
    params.append(list(values))
    return f"{column} = ANY(%s)"


def _queue_condition(queue: Queue, creditor_ids: list[int], params: list) -> str:
    conds = []
    if creditor_ids:
        conds.append(_in("creditor_id", creditor_ids, params))
    for column, values in (("bucket", queue.buckets), ("debt_type", queue.debt_types), ("state", queue.states),
                           ("status", queue.statuses), ("language", queue.languages)):
        if values:
            conds.append(_in(column, values, params))
    if queue.balance_min is not None:
        params.append(queue.balance_min)
        conds.append("balance >= %s")
    if queue.balance_max is not None:
        params.append(queue.balance_max)
        conds.append("balance <= %s")
    return " AND ".join(conds) or "TRUE"


def _queues() -> list[tuple[Queue, list[int]]]:
    queues = list(Queue.objects.filter(is_active=True).prefetch_related("creditors").order_by("position", "id"))
    return [(q, [c.pk for c in q.creditors.all()]) for q in queues]


def _case_map(column: str, mapping: dict, params: list) -> str:
    if not mapping:
        return "0"
    whens = []
    for key, points in mapping.items():
        params.extend([key, Decimal(str(points))])
        whens.append("WHEN %s THEN %s::numeric")
    return f"CASE {column} " + " ".join(whens) + " ELSE 0 END"


def _num(weights: dict, key: str, params: list) -> str:
    params.append(Decimal(str(weights.get(key, DEFAULT_WEIGHTS[key]))))
    return "%s::numeric"


# The day days past due count from (the portable path: facts_for; placed_at's day in UTC).
_SINCE = ("COALESCE(a.date_of_first_delinquency, a.due_date, a.charge_off_date, a.itemization_date, "
          "(a.placed_at AT TIME ZONE 'UTC')::date)")


def scored_sql(*, weights: dict, buckets: list[Bucket], queues, as_of: date, lo: int, hi: int,
               p: list, state_sol: dict[str, int] | None = None) -> str:
    """The CTEs up to ``scored``: one row per open account in lo..hi with its facts, points and score.

    Parameters are positional (psycopg) and appended to ``p`` in the order they appear in the text.
    ``state_sol``: the consumer-credit limitations period by state (default: the compliance policy's).
    """
    w = {**DEFAULT_WEIGHTS, **weights}
    state_sol = sol_years_by_state(on=as_of) if state_sol is None else state_sol
    # contact facts for the chunk (a hash aggregate over the chunk's slice of the contact log)
    p += [CallOutcome.CONVERSATION.value, lo, hi, HAPPENED]
    contact = ("SELECT account_id, (max(requested_at) AT TIME ZONE 'UTC')::date AS last_on, "
               "(max(requested_at) FILTER (WHERE outcome = %s) AT TIME ZONE 'UTC')::date AS rpc_on "
               "FROM compliance_contactattempt "
               "WHERE account_id BETWEEN %s AND %s AND status = ANY(%s) GROUP BY account_id")
    promise_sql, promise_params = promise_facts.chunk_sql(as_of=as_of, lo=lo, hi=hi)
    p += promise_params
    # Debtors are joined only when a queue filters on language; addresses when a queue filters on
    # state or the policy names a limitations period by state.
    by_language = any(q.languages for q, _ in queues)
    by_state = any(q.states for q, _ in queues) or bool(state_sol)
    p += [as_of, as_of, as_of]
    sol_whens = []
    for debt_type, years in {t: sol_years_for(w, t) for t in (w.get("sol_years_by_debt_type") or {})}.items():
        p += [debt_type, years]
        sol_whens.append("WHEN %s THEN %s")
    p.append(int(Decimal(str(w["sol_years"]))))
    sol_years_sql = f"CASE a.debt_type {' '.join(sol_whens)} ELSE %s END" if sol_whens else "%s"
    state_years_sql = "NULL::int"
    if state_sol:
        # the gate's period: from the date of first delinquency, in the debtor's state (consumer debts)
        p.append(DebtType.COMMERCIAL.value)
        state_whens = []
        for state, years in sorted(state_sol.items()):
            p += [state, years]
            state_whens.append("WHEN %s THEN %s")
        state_years_sql = f"CASE WHEN a.debt_type <> %s THEN CASE upper(addr.state) {' '.join(state_whens)} END END"
    if by_language or by_state:
        # The chunk's debtors by a range of the debtor key (an index range, not a scan of every debtor
        # or address; a superset of the chunk's debtors whatever their ids, exactly them when ids go
        # together), the range read first so that the planner sees real numbers, not an estimate.
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(debtor_id), max(debtor_id) FROM accounts_account WHERE id BETWEEN %s AND %s",
                           [lo, hi])
            first_debtor, last_debtor = cursor.fetchone()
    debtor_join = ""
    if by_language:
        p += [first_debtor, last_debtor]
        debtor_join = """
      JOIN accounts_debtor d ON d.id = a.debtor_id AND d.id BETWEEN %s AND %s"""
    address_join = ""
    if by_state:
        # the debtor's home: the primary address, else the first; a wrong one is nobody's (as the gate reads it)
        p += [ContactStatus.WRONG.value, first_debtor, last_debtor]
        only_the_chunks = ""
        if first_debtor is not None and last_debtor - first_debtor + 1 > 2 * (hi - lo + 1):
            # debtors spread far wider than the chunk: read only its own debtors' addresses (when the
            # ids go together, as they do when accounts and debtors are created together, the range
            # is the chunk's debtors and this semi-join was a second pass over the chunk for nothing)
            p += [lo, hi]
            only_the_chunks = " AND ad.debtor_id IN (SELECT debtor_id FROM accounts_account WHERE id BETWEEN %s AND %s)"
        address_join = f"""
      LEFT JOIN (SELECT DISTINCT ON (ad.debtor_id) ad.debtor_id, ad.state FROM accounts_address ad
                 WHERE ad.status <> %s AND ad.debtor_id BETWEEN %s AND %s{only_the_chunks}
                 ORDER BY ad.debtor_id, ad.is_primary DESC, ad.id) addr ON addr.debtor_id = a.debtor_id"""
    p += [lo, hi, OPEN]
    src = f"""
      SELECT a.id AS account_id, a.status, a.debt_type, a.current_balance AS balance, a.creditor_id,
             cr.code AS creditor_code,
             {"d.preferred_language" if by_language else "NULL::text"} AS language,
             {"addr.state" if by_state else "NULL::text"} AS state,
             {_SINCE} AS delinquent_since, GREATEST(0, %s::date - {_SINCE}) AS dpd,
             c.last_on AS contact_on, %s::date - c.last_on AS since_contact,
             c.rpc_on, %s::date - c.rpc_on AS since_rpc,
             -- the earliest of the weights' horizon and the state's period (LEAST passes over NULLs)
             LEAST((COALESCE(a.last_payment_date, a.date_of_first_delinquency, a.charge_off_date)
                     + ({sol_years_sql}) * interval '1 year')::date,
                   (a.date_of_first_delinquency + ({state_years_sql}) * interval '1 year')::date) AS sol_on,
             COALESCE(pr.broken, 0) AS broken, pr.broken_on, pr.since_broken, COALESCE(pr.kept, 0) AS kept,
             COALESCE(pr.plan_defaulted, false) AS plan_defaulted
      FROM accounts_account a
      JOIN accounts_creditor cr ON cr.id = a.creditor_id
      {debtor_join}{address_join}
      LEFT JOIN contact c ON c.account_id = a.id
      LEFT JOIN promise_facts pr ON pr.account_id = a.id
      WHERE a.id BETWEEN %s AND %s AND a.status = ANY(%s)"""
    p.append(as_of)
    whens = []
    for b in buckets:
        if b.max_days is None:
            p += [b.min_days, b.code]
            whens.append("WHEN dpd >= %s THEN %s")
        else:
            p += [b.min_days, b.max_days, b.code]
            whens.append("WHEN dpd BETWEEN %s AND %s THEN %s")
    bucketed = f"SELECT src.*, sol_on - %s::date AS to_sol, CASE {' '.join(whens)} ELSE '' END AS bucket FROM src"
    pts = []
    pts.append(f"round({_case_map('bucket', w['bucket'], p)}, 2) AS p_bucket")
    pts.append(f"round(GREATEST(0, LEAST(balance, {_num(w, 'balance_cap', p)})) * {_num(w, 'balance_per_1000', p)}"
               " / 1000, 2) AS p_balance")
    cap = _num(w, "no_contact_cap_days", p)
    cap_int = f"floor({cap})"
    pts.append(f"round(LEAST(COALESCE(since_contact, {cap_int}), {_num(w, 'no_contact_cap_days', p)}) * "
               f"{_num(w, 'no_contact_per_day', p)}, 2) AS p_no_contact")
    cap = _num(w, "no_rpc_cap_days", p)
    pts.append(f"round(LEAST(COALESCE(since_rpc, floor({cap})), {_num(w, 'no_rpc_cap_days', p)}) * "
               f"{_num(w, 'no_rpc_per_day', p)}, 2) AS p_no_rpc")
    pts.append(f"round(broken * {_num(w, 'broken_promise', p)}, 2) AS p_broken")
    pts.append(f"round(kept * {_num(w, 'kept_promise', p)}, 2) AS p_kept")
    pts.append(f"round(CASE WHEN plan_defaulted THEN {_num(w, 'plan_defaulted', p)} ELSE 0 END, 2) AS p_plan")
    pts.append(f"round({_case_map('status', w['status'], p)}, 2) AS p_status")
    expired = _num(w, "sol_expired", p)
    soon_days = _num(w, "sol_soon_days", p)
    soon = _num(w, "sol_soon", p)
    pts.append(f"round(CASE WHEN to_sol IS NULL THEN 0 WHEN to_sol < 0 THEN {expired} "
               f"WHEN to_sol <= floor({soon_days}) THEN {soon} ELSE 0 END, 2) AS p_sol")
    pts.append(f"round({_case_map('debt_type', w['debt_type'], p)}, 2) AS p_debt_type")
    pts.append(f"round({_case_map('creditor_code', w['creditor'], p)}, 2) AS p_creditor")
    pointed = f"SELECT bucketed.*, {', '.join(pts)} FROM bucketed"
    qwhens = []
    for queue, creditor_ids in queues:
        cond = _queue_condition(queue, creditor_ids, p)
        p.append(queue.pk)
        qwhens.append(f"WHEN {cond} THEN %s")
    queue_case = f"CASE {' '.join(qwhens)} END" if qwhens else "NULL::bigint"
    scored = ("SELECT pointed.*, p_bucket + p_balance + p_no_contact + p_no_rpc + p_broken + p_kept + p_plan"
              f" + p_status + p_sol + p_debt_type + p_creditor AS score, {queue_case} AS new_queue FROM pointed")
    # OFFSET 0: each step is computed once per row and its columns read from it. (Flattened into one
    # another, every mention of a column repeats its expression: the bucket's CASE recomputed days
    # past due in each WHEN, the score recomputed every point in each place that read it, and so on.)
    return (f"contact AS ({contact}), promise_facts AS ({promise_sql}), src AS ({src} OFFSET 0),"
            f" bucketed AS ({bucketed} OFFSET 0), pointed AS ({pointed} OFFSET 0), scored AS ({scored} OFFSET 0)")


# scoring.pack's layout: the points, then the values they came from (dates, not day counts)
_COMPONENTS = """jsonb_build_array(
          p_bucket, p_balance, p_no_contact, p_no_rpc, p_broken, p_kept, p_plan, p_status, p_sol,
          p_debt_type, p_creditor, balance::text, contact_on, rpc_on, broken, broken_on,
          kept, plan_defaulted, status, sol_on, debt_type, creditor_code)"""
# Oldest-first queues sort on the day delinquency began (minus its day number: highest first is
# oldest), the order of days past due without a new value every night.
_EPOCH = date(1970, 1, 1)


def rescore_sql(*, weights: dict, version: int, buckets: list[Bucket], queues, as_of: date, now: datetime,
                lo: int, hi: int, state_sol: dict[str, int] | None = None) -> tuple[str, list]:
    """One statement: score accounts ``lo``..``hi``, write the work items that changed and their bucket changes.

    A row is rewritten only when something stored in it changes (its score, bucket, queue, sort key,
    ready flag, the day it is delinquent from, the weights version or the reasons): the stored values
    are dates, not day counts, so most rows are the same from one night to the next, and a row left
    alone costs neither a new row version nor index entries nor the summary triggers' work.
    It answers (rows rewritten, bucket changes).
    """
    p: list = []
    ctes = scored_sql(weights=weights, buckets=buckets, queues=queues, as_of=as_of, lo=lo, hi=hi, p=p,
                      state_sol=state_sol)
    by_balance = [q.pk for q, _ in queues if q.order == Queue.Order.BALANCE]
    by_dpd = [q.pk for q, _ in queues if q.order == Queue.Order.DPD]
    final_queue = "(CASE WHEN w.queue_pinned THEN w.queue_id ELSE s.new_queue END)"

    def priority() -> str:
        p.extend([by_balance, by_dpd, _EPOCH])
        return (f"(CASE WHEN {final_queue} = ANY(%s) THEN s.balance "
                f"WHEN {final_queue} = ANY(%s) THEN (%s::date - s.delinquent_since)::numeric ELSE s.score END)")

    def ready() -> str:
        p.extend([WORKABLE, now])
        return (f"(s.status = ANY(%s) AND w.hold_reason = '' AND ({final_queue} IS NOT NULL OR w.owner_id IS NOT NULL)"
                " AND (w.next_contact_at IS NULL OR w.next_contact_at <= %s))")

    p += [version, as_of]
    sets = (f"bucket_before = w.bucket, delinquent_since = s.delinquent_since, bucket = s.bucket, score = s.score,"
            f" components = s.components, weights_version = %s, scored_on = %s, queue_id = {final_queue},"
            f" priority = {priority()}, ready = {ready()}")
    p += [lo, hi]
    where = "w.account_id = s.account_id AND w.account_id BETWEEN %s AND %s"
    # the cheap comparisons first (OR stops at the first difference)
    new = f"s.score, s.bucket, {final_queue}, {priority()}, {ready()}, s.delinquent_since, %s::int"
    p.append(version)
    changed = (f"(w.score, w.bucket, w.queue_id, w.priority, w.ready, w.delinquent_since, w.weights_version)"
               f" IS DISTINCT FROM ({new}) OR w.components IS DISTINCT FROM s.components")
    update = f"""
      UPDATE collections_app_workitem w SET {sets}
      FROM (SELECT account_id, status, balance, delinquent_since, dpd, bucket, score, new_queue,
                   {_COMPONENTS} AS components FROM scored OFFSET 0) s
      WHERE {where} AND ({changed})
      -- on the right of SET, w.bucket is the value before this UPDATE: RETURNING then shows both
      RETURNING w.account_id, w.bucket_before AS old_bucket, w.bucket, s.dpd"""
    p += [as_of]
    sql = f"""
      WITH {ctes}, upd AS ({update}),
           ins AS (INSERT INTO collections_app_bucketchange (account_id, from_bucket, to_bucket, dpd, changed_on)
                   SELECT account_id, old_bucket, bucket, dpd, %s::date FROM upd
                   WHERE old_bucket IS DISTINCT FROM bucket RETURNING 1)
      SELECT (SELECT count(*) FROM upd), (SELECT count(*) FROM ins)"""
    return sql, p


_INSERT_MISSING = """
  INSERT INTO collections_app_workitem (account_id, bucket, score, priority, components, weights_version,
      queue_pinned, owner_reason, ready, wait_reason, hold_reason, bucket_before)
  SELECT a.id, '', 0, 0, '{}'::jsonb, 0, false, '', false, '', '', ''
  FROM accounts_account a
  WHERE a.id BETWEEN %s AND %s AND a.status = ANY(%s)
    AND NOT EXISTS (SELECT 1 FROM collections_app_workitem w WHERE w.account_id = a.id
                    AND w.account_id BETWEEN %s AND %s)"""

# Accounts no collector may work now leave the ready set; closed ones (paid, settled, recalled, ...:
# not OPEN) also leave every queue, so no queue's size counts them. Disputed and held accounts keep
# their queue (they come back to it).
_CLOSE = """
  UPDATE collections_app_workitem w SET ready = false, next_contact_at = NULL, wait_reason = '',
      queue_id = CASE WHEN a.status = ANY(%s) THEN w.queue_id END,
      queue_pinned = w.queue_pinned AND a.status = ANY(%s)
  FROM accounts_account a
  WHERE a.id = w.account_id AND w.account_id BETWEEN %s AND %s AND a.id BETWEEN %s AND %s
    AND NOT (a.status = ANY(%s))
    AND (w.ready OR w.next_contact_at IS NOT NULL OR (w.queue_id IS NOT NULL AND NOT (a.status = ANY(%s))))"""


def _rescore_range_pg(*, lo: int, hi: int, weights: ScoringWeights, buckets, queues, as_of: date,
                      now: datetime, state_sol: dict[str, int]) -> tuple[int, int, int]:
    sql, params = rescore_sql(weights=weights.weights, version=weights.version, buckets=buckets, queues=queues,
                              as_of=as_of, now=now, lo=lo, hi=hi, state_sol=state_sol)
    with connection.cursor() as cursor:
        if hi - lo > NESTED_LOOP_MAX:
            # A chunk is a bulk join: hash joins, whatever the row estimates say. (A misestimate that
            # picked nested loops over the contact aggregate made a 20k-account chunk take minutes.)
            cursor.execute("SET LOCAL enable_nestloop = off")
            # and hash joins of a chunk in memory, not in batches spilled to disk (a chunk's scored
            # rows with their reasons are ~320 MB at 500k accounts)
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Compiling the statement's expressions took ~0.8 s a chunk for nothing measurable back.
            cursor.execute("SET LOCAL jit = off")
        # (each statement names the chunk's range on both sides of its join: one range, not a table scan)
        cursor.execute(_INSERT_MISSING, [lo, hi, OPEN, lo, hi])
        cursor.execute(sql, params)
        rewritten, changes = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM accounts_account WHERE id BETWEEN %s AND %s AND status = ANY(%s)",
                       [lo, hi, OPEN])
        scored = cursor.fetchone()[0]
        cursor.execute(_CLOSE, [OPEN, OPEN, lo, hi, lo, hi, WORKABLE, OPEN])
    return scored, rewritten, changes


# --- the portable path (and the reference for tests) ------------------------------------------------

def facts_for(*, account_ids, as_of: date, weights: dict, buckets: list[Bucket],
              state_sol: dict[str, int] | None = None) -> dict[int, tuple[Facts, dict]]:
    """account id -> (Facts, extra columns: queue matching and the day delinquency began), read with the ORM."""
    w = {**DEFAULT_WEIGHTS, **weights}
    state_sol = sol_years_by_state(on=as_of) if state_sol is None else state_sol
    accounts = (Account.objects.filter(pk__in=account_ids, status__in=OPEN)
                .select_related("creditor", "debtor").prefetch_related("debtor__addresses"))
    contacts = {}
    for row in (ContactAttempt.objects.filter(account_id__in=account_ids, status__in=HAPPENED)
                .values("account_id").annotate(last=Max("requested_at"),
                                               rpc=Max("requested_at", filter=Q(outcome=CallOutcome.CONVERSATION)))):
        contacts[row["account_id"]] = row
    promises = promise_facts.facts_python(account_ids=account_ids, as_of=as_of)
    out = {}
    for a in accounts:
        since = a.date_of_first_delinquency or a.due_date or a.charge_off_date or a.itemization_date \
            or a.placed_at.astimezone(ZoneInfo("UTC")).date()
        dpd = max(0, (as_of - since).days)
        c = contacts.get(a.pk, {})

        def days(moment):
            return None if moment is None else (as_of - moment.astimezone(ZoneInfo("UTC")).date()).days

        pr = promises.get(a.pk, {})
        # the debtor's home as the gate reads it: the primary address, else the first; never a wrong one
        addresses = sorted((ad for ad in a.debtor.addresses.all() if ad.status != ContactStatus.WRONG),
                           key=lambda ad: (not ad.is_primary, ad.pk))
        state = addresses[0].state if addresses else None
        facts = Facts(dpd=dpd, bucket=bucket_for(dpd, buckets), balance=a.current_balance, status=a.status,
                      debt_type=a.debt_type, creditor_code=a.creditor.code,
                      days_since_contact=days(c.get("last")), days_since_rpc=days(c.get("rpc")),
                      broken_promises=pr.get("broken", 0), days_since_broken=pr.get("since_broken"),
                      kept_promises=pr.get("kept", 0), plan_defaulted=pr.get("plan_defaulted", False),
                      days_to_sol=days_to_sol(account=a, state=state, as_of=as_of, weights=w, state_sol=state_sol))
        extra = {"creditor_id": a.creditor_id, "state": state, "language": a.debtor.preferred_language,
                 "delinquent_since": since}
        out[a.pk] = (facts, extra)
    return out


def days_to_sol(*, account: Account, state: str | None, as_of: date, weights: dict,
                state_sol: dict[str, int]) -> int | None:
    """Days from ``as_of`` to the end of the limitations period (negative: past it), None if no date.

    The end is the earliest of the weights' horizon (the last payment, else the date of first
    delinquency, else the charge-off, plus the years for the debt type) and, for a consumer debt, the
    period the compliance policy gives the debtor's state, counted from the date of first delinquency
    (as the gate's time-barred rules count it).
    """
    ends = []
    base = account.last_payment_date or account.date_of_first_delinquency or account.charge_off_date
    if base:
        ends.append(add_years(base, sol_years_for(weights, account.debt_type)))
    years = state_sol.get((state or "").upper())
    if years is not None and account.date_of_first_delinquency and account.debt_type != DebtType.COMMERCIAL:
        ends.append(add_years(account.date_of_first_delinquency, years))
    return (min(ends) - as_of).days if ends else None


def queue_matches(queue: Queue, creditor_ids: list[int], facts: Facts, extra: dict) -> bool:
    checks = [(creditor_ids, extra["creditor_id"]), (queue.buckets, facts.bucket),
              (queue.debt_types, facts.debt_type), (queue.states, extra["state"]), (queue.statuses, facts.status),
              (queue.languages, extra["language"])]
    if any(values and value not in values for values, value in checks):
        return False
    if queue.balance_min is not None and facts.balance < queue.balance_min:
        return False
    return not (queue.balance_max is not None and facts.balance > queue.balance_max)


def _rescore_range_python(*, lo: int, hi: int, weights: ScoringWeights, buckets, queues, as_of: date,
                          now: datetime, state_sol: dict[str, int]) -> tuple[int, int, int]:
    ids = list(Account.objects.filter(pk__gte=lo, pk__lte=hi, status__in=OPEN).values_list("pk", flat=True))
    existing = set(WorkItem.objects.filter(account_id__in=ids).values_list("account_id", flat=True))
    WorkItem.objects.bulk_create([WorkItem(account_id=i) for i in ids if i not in existing])
    facts = facts_for(account_ids=ids, as_of=as_of, weights=weights.weights, buckets=buckets, state_sol=state_sol)
    items = WorkItem.objects.filter(account_id__in=ids)
    changes, updated = [], []
    for item in items:
        f, extra = facts[item.account_id]
        total, parts = score(f, weights.weights)
        new_queue = next((q.pk for q, cids in queues if queue_matches(q, cids, f, extra)), None)
        queue_id = item.queue_id if item.queue_pinned else new_queue
        order = next((q.order for q, _ in queues if q.pk == queue_id), Queue.Order.SCORE)
        since = extra["delinquent_since"]
        new = {"delinquent_since": since, "bucket": f.bucket, "score": total, "components": pack(parts, as_of=as_of),
               "weights_version": weights.version, "queue_id": queue_id,
               "priority": {Queue.Order.BALANCE: f.balance,
                            Queue.Order.DPD: Decimal((_EPOCH - since).days)}.get(order, total),
               "ready": bool(f.status in WORKABLE and not item.hold_reason
                             and (queue_id is not None or item.owner_id is not None)
                             and (item.next_contact_at is None or item.next_contact_at <= now))}
        if all(getattr(item, name) == value for name, value in new.items()):
            continue  # as the SQL path: a row that would not change is not rewritten
        if item.bucket != f.bucket:
            changes.append(BucketChange(account_id=item.account_id, from_bucket=item.bucket, to_bucket=f.bucket,
                                        dpd=f.dpd, changed_on=as_of))
        item.bucket_before = item.bucket
        for name, value in new.items():
            setattr(item, name, value)
        item.scored_on = as_of
        updated.append(item)
    WorkItem.objects.bulk_update(updated, ["bucket_before", "delinquent_since", "bucket", "score", "components",
                                           "weights_version", "scored_on", "queue", "priority", "ready"])
    BucketChange.objects.bulk_create(changes)
    in_range = WorkItem.objects.filter(account_id__gte=lo, account_id__lte=hi)
    (in_range.exclude(account__status__in=WORKABLE).filter(Q(ready=True) | Q(next_contact_at__isnull=False))
     .update(ready=False, next_contact_at=None, wait_reason=""))
    in_range.exclude(account__status__in=OPEN).filter(queue__isnull=False).update(queue=None, queue_pinned=False)
    return len(ids), len(updated), len(changes)


def _rescore_range(**kwargs) -> tuple[int, int, int]:
    """(accounts scored, rows rewritten, bucket changes) for one range of account ids."""
    return (_rescore_range_pg if _is_postgres() else _rescore_range_python)(**kwargs)


# --- the entry points --------------------------------------------------------------------------------

def reprioritize_all(*, now: datetime | None = None, chunk: int = CHUNK, stop_after_chunks: int | None = None,
                     skip_if_done: bool = False) -> dict:
    """Rescore every open account; resumes today's unfinished run.
    ``{"accounts", "rewritten", "bucket_changes", "finished", "seconds"}`` (rewritten: the work items
    that changed and were written; the others are left as they are).

    ``skip_if_done``: do nothing when today's run with these weights already finished (the 02:00 beat
    after ``run_nightly``). ``stop_after_chunks`` ends the run early, unfinished (tests use it to
    stand for a worker dying).
    """
    started = time.monotonic()
    now = now or timezone.now()
    as_of = agency_today(now)
    weights = weights_current()
    if skip_if_done:
        done = RescoreRun.objects.filter(as_of=as_of, weights_version=weights.version,
                                         finished_at__isnull=False).first()
        if done is not None:
            return {"accounts": 0, "rewritten": 0, "bucket_changes": 0, "finished": True,
                    "skipped": f"done at {done.finished_at}",
                    "seconds": round(time.monotonic() - started, 2)}
    buckets = buckets_current()
    queues = _queues()
    state_sol = sol_years_by_state(on=as_of)
    run = (RescoreRun.objects.filter(as_of=as_of, weights_version=weights.version, finished_at=None)
           .order_by("-started_at").first())
    if run is None:
        run = RescoreRun.objects.create(as_of=as_of, weights_version=weights.version, started_at=now)
    top = Account.objects.aggregate(top=Max("pk"))["top"] or 0
    chunks = 0
    while run.last_account_id < top:
        if stop_after_chunks is not None and chunks >= stop_after_chunks:
            return {"accounts": run.accounts, "rewritten": run.rewritten, "bucket_changes": run.bucket_changes,
                    "finished": False, "seconds": round(time.monotonic() - started, 2)}
        lo, hi = run.last_account_id + 1, run.last_account_id + chunk
        with transaction.atomic():
            scored, rewritten, changes = _rescore_range(lo=lo, hi=hi, weights=weights, buckets=buckets,
                                                        queues=queues, as_of=as_of, now=now, state_sol=state_sol)
            run.last_account_id, run.accounts = hi, run.accounts + scored
            run.rewritten, run.bucket_changes = run.rewritten + rewritten, run.bucket_changes + changes
            run.save(update_fields=["last_account_id", "accounts", "rewritten", "bucket_changes"])
        chunks += 1
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return {"accounts": run.accounts, "rewritten": run.rewritten, "bucket_changes": run.bucket_changes,
            "finished": True, "seconds": round(time.monotonic() - started, 2)}


def rescore_account(*, account_id: int, now: datetime | None = None) -> WorkItem | None:
    """Rescore one account now (after a payment, promise, contact or restriction): the nightly's own SQL."""
    now = now or timezone.now()
    weights = weights_current()
    with transaction.atomic():
        # Something changed (a restriction, a contact point, a payment): a wait the gate imposed is
        # lifted, and the next pop asks the gate afresh.
        WorkItem.objects.filter(pk=account_id, wait_reason__startswith="gate:").update(
            next_contact_at=None, wait_reason="")
        as_of = agency_today(now)
        _rescore_range(lo=account_id, hi=account_id, weights=weights, buckets=buckets_current(), queues=_queues(),
                       as_of=as_of, now=now, state_sol=sol_years_by_state(on=as_of))
    return WorkItem.objects.filter(pk=account_id).first()


def queues_reassign(*, now: datetime | None = None) -> dict:
    """After a queue changes: the same full pass (queue membership is part of the rescoring)."""
    return reprioritize_all(now=now)


def top_scores(*, weights: dict, limit: int = 20, now: datetime | None = None) -> list[tuple[int, Decimal]]:
    """The ``limit`` best open accounts under ``weights`` (the weights editor's preview), best first."""
    as_of = agency_today(now)
    buckets = buckets_current()
    top = Account.objects.aggregate(top=Max("pk"))["top"] or 0
    if _is_postgres():
        p: list = []
        ctes = scored_sql(weights=weights, buckets=buckets, queues=[], as_of=as_of, lo=1, hi=top, p=p)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop = off")  # a bulk read: see _rescore_range_pg
            cursor.execute(f"WITH {ctes} SELECT account_id, score FROM scored ORDER BY score DESC, account_id "
                           f"LIMIT {int(limit)}", p)
            return [(r[0], Decimal(r[1])) for r in cursor.fetchall()]
    ids = list(WorkItem.objects.values_list("account_id", flat=True))
    facts = facts_for(account_ids=ids, as_of=as_of, weights=weights, buckets=buckets)
    rows = sorted(((score(f, weights)[0], i) for i, (f, _) in facts.items()), key=lambda r: (-r[0], r[1]))
    return [(i, s) for s, i in rows[:limit]]
