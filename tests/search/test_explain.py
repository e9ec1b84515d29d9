"""The search and list queries use their indexes on tables big enough for the planner to care.

150,000 debtors, accounts, phones and ledger entries (75,000 emails) are written by SQL once
for the module and ANALYZEd, with default planner settings: at that size a sequential scan
of any of these tables would be the planner's own choice if an index did not fit, so "no Seq Scan"
means the index really answers the query.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import search, selectors
from accounts.keyset import keyset_page
from accounts.models import Account
from bench.portfolio_sql import portfolio_insert

ROWS = 150_000  # big enough that a seq scan would be the planner's choice if an index did not fit
BIG_TABLES = {"accounts_account", "accounts_debtor", "accounts_phone", "accounts_email", "accounts_ledgerentry"}


@pytest.fixture(scope="module")
def big_portfolio(django_db_setup, django_db_blocker):
    """Written once for the module and committed (each test's own transaction then sees it);
    TRUNCATE at the end, as the ledger refuses row deletes."""
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are PostgreSQL's")
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            ids = portfolio_insert(cursor, count=ROWS, prefix="EX")
            cursor.execute("ANALYZE accounts_debtor, accounts_account, accounts_phone, accounts_email,"
                           " accounts_ledgerentry")
    yield ids
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE accounts_ledgerentry, accounts_email, accounts_phone, accounts_account,"
                           " accounts_debtor, accounts_creditor CASCADE")


def plan_nodes(sql: str, params=None) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    return nodes


def assert_uses_indexes(sql: str, params=None, *, expect: str | None = None):
    nodes = plan_nodes(sql, params)
    seq = [n["Relation Name"] for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") in BIG_TABLES]
    assert not seq, f"sequential scan of {seq} in:\n{sql}"
    used = {n.get("Index Name") for n in nodes}
    if expect:
        assert expect in used, f"{expect} not used (used {used}) in:\n{sql}"


@pytest.mark.parametrize("q, tier, index", [
    ("EX-00123456", "exact", "accounts_account_number_key"),
    ("ex00123456", "exact", "accounts_account_number_key"),
    ("EX-001234", "prefix", "accounts_account_number_key"),
    ("(212) 555-0101", "exact", "accounts_phone_number_"),
    ("ex1234@example.com", "exact", "accounts_email_address_lower"),
    ("Smithson", "name", "accounts_debtor_name_key"),
    ("James Smithson", "name", "accounts_debtor_name_key"),
    ("Ada Smithson", "surname", "accounts_debtor_name_key"),
    ("Pena", "name", "accounts_debtor_name_key"),
    ("Harbor Dental", "name", "accounts_debtor_business_key"),
    ("Jmes Smithsn", "similar", "accounts_debtor_name_trgm"),
])
def test_each_search_tier_is_answered_by_its_index(db, big_portfolio, q, tier, index):
    queries = [(t, sql, params) for t, sql, params in search.tier_queries_for_explain(q) if t == tier]
    assert queries
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                       [str(search.WORD_SIMILARITY)])
    used_expected = False
    for _tier, sql, params in queries:
        assert_uses_indexes(sql, params)
        used_expected |= any((n.get("Index Name") or "").startswith(index) for n in plan_nodes(sql, params))
    assert used_expected, f"no {tier} query for {q!r} used {index}"


def test_search_finds_rows_in_the_big_tables(db, big_portfolio):
    first_account = big_portfolio["accounts"][0]
    number = Account.objects.get(pk=first_account + 122).creditor_account_number
    assert [a.pk for a in selectors.account_search(q=number)] == [first_account + 122]
    assert len(selectors.account_search(q="Smithson")) == search.SEARCH_LIMIT


@pytest.mark.parametrize("filters", [{}, {"status": "hold"}, {"status": "disputed"}, {"debt_type": "commercial"},
                                     {"status": "active", "debt_type": "credit_card"}])
def test_account_list_pages_read_an_index_range(db, big_portfolio, filters):
    qs = selectors.account_list(**filters)
    first = keyset_page(qs, size=25)
    with CaptureQueriesContext(connection) as ctx:
        keyset_page(qs, after=first.after, size=25, count=True)
    assert len(ctx.captured_queries) == 3  # the page, whether a newer page exists, the capped count
    for query in ctx.captured_queries:
        assert_uses_indexes(query["sql"])


def test_workspace_ledger_reads_the_accounts_entries_by_index(db, big_portfolio):
    account = Account.objects.get(pk=big_portfolio["accounts"][0] + 5000)
    with CaptureQueriesContext(connection) as ctx:
        selectors.ledger_with_running_balance(account=account)
        selectors.ledger_count(account=account)
        selectors.account_balance_by_kind(account=account)
    for query in ctx.captured_queries:
        assert_uses_indexes(query["sql"])
