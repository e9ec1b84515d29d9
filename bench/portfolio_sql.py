"""A large portfolio written by SQL alone (generate_series): debtors, accounts, phones, emails and,
optionally, one ledger entry per account. Seconds per million rows, where seed_demo's realistic
Python generation takes minutes; used by bench/seed_sql.py (10M accounts) and by the EXPLAIN
test (a few hundred thousand rows, so the planner faces realistic table sizes).

Names come from the demo's lists with surname endings added (480 surnames), so index selectivity
is closer to a real portfolio than 40 surnames would be. Columns added later by other features
that are NOT NULL without a database default are filled with their type's zero value, so the
generator keeps working as the models grow.
"""

from __future__ import annotations

FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer", "José", "Elizabeth",
         "William", "Susan", "Carlos", "Jessica", "Thomas", "Sarah", "Daniel", "Karen", "Luis", "Nancy",
         "Kenji", "Aiyana", "Mei", "Noah", "Olivia", "Liam", "Emma", "Ava", "Mateo", "Sofía"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Kahale", "Nakamura", "Begay", "Okafor", "Nguyen", "Kowalski", "O'Brien", "Schmidt", "Peña", "Yazzie"]
ENDINGS = ["", "son", "er", "ley", "ford", "ton", "wood", "man", "field", "berg", "ski", "ez"]
BUSINESSES = ["Harbor", "Pinnacle", "Redwood", "Lakeside", "Summit", "Prairie", "Coastal", "Granite", "Beacon"]
SUFFIXES = ["Builders LLC", "Dental Group", "Logistics Inc.", "Cafe & Bakery", "Auto Body", "Farms Co."]
AREAS = ["212", "404", "305", "617", "313", "312", "214", "612", "303", "801", "602", "520", "213", "415", "206",
         "503", "907", "808", "208", "615"]
ZERO = {"character varying": "''", "text": "''", "integer": "0", "bigint": "0", "smallint": "0", "numeric": "0",
        "boolean": "false", "jsonb": "'[]'", "json": "'[]'", "date": "current_date",
        "timestamp with time zone": "now()", "double precision": "0"}


def _array(values: list[str]) -> str:
    return "(ARRAY[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "])"


def _insert(cur, table: str, columns: dict[str, str], source: str) -> None:
    cur.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s"
                " AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'"
                " AND is_generated = 'NEVER'", [table])
    for name, data_type in cur.fetchall():
        columns.setdefault(name, ZERO.get(data_type, "DEFAULT"))
    cur.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns.values())} {source}")


def portfolio_insert(cur, *, count: int, prefix: str = "G", ledger: bool = True) -> dict:
    """Insert `count` debtors with one account, one phone and (every other) an email each, after the
    rows already there; returns the id ranges. The caller commits, sets sequences and ANALYZEs."""
    cur.execute("SELECT id FROM accounts_creditor ORDER BY id")
    creditors = [r[0] for r in cur.fetchall()]
    if not creditors:
        cur.execute("INSERT INTO accounts_creditor (code, name, kind, allocation_order, settlement_authority_pct,"
                    " is_active, created_at) VALUES ('SQLGEN', 'Generated Creditor', 'bank',"
                    " '[\"fees\", \"interest\", \"principal\"]', 20, true, now()) RETURNING id")
        creditors = [cur.fetchone()[0]]
    cur.execute("SELECT COALESCE(max(id), 0) FROM accounts_debtor")
    d0 = cur.fetchone()[0]
    cur.execute("SELECT COALESCE(max(id), 0) FROM accounts_account")
    a0 = cur.fetchone()[0]
    # g numbers the new rows after every existing debtor and account: it is both rows' id, and names,
    # numbers and statuses derive from it, so successive chunks continue the same portfolio.
    start = max(d0, a0) + 1
    series = f"FROM generate_series({start}, {start + int(count) - 1}) g"
    business = "g % 10 = 0"
    _insert(cur, "accounts_debtor", {
        "id": "g",
        "debtor_type": f"CASE WHEN {business} THEN 'business' ELSE 'consumer' END",
        "first_name": f"{_array(FIRST)}[1 + (g * 7) % {len(FIRST)}]",
        "last_name": f"{_array(LAST)}[1 + g % {len(LAST)}]"
                     f" || {_array(ENDINGS)}[1 + (g / {len(LAST)}) % {len(ENDINGS)}]",
        "business_name": f"CASE WHEN {business} THEN {_array(BUSINESSES)}[1 + (g / 10) % {len(BUSINESSES)}]"
                         f" || ' ' || {_array(SUFFIXES)}[1 + (g / 90) % {len(SUFFIXES)}] ELSE '' END",
        "preferred_language": "'en'", "created_at": "now()",
    }, series)
    status = ("CASE WHEN g % 100 < 25 THEN 'new' WHEN g % 100 < 80 THEN 'active' WHEN g % 100 < 85 THEN 'promise'"
              " WHEN g % 100 < 91 THEN 'plan' WHEN g % 100 < 94 THEN 'disputed' WHEN g % 100 < 98 THEN 'paid'"
              " WHEN g % 1000 = 999 THEN 'hold' ELSE 'closed' END")
    _insert(cur, "accounts_account", {
        "id": "g", "debtor_id": "g",
        "creditor_id": f"(ARRAY{creditors})[1 + g % {len(creditors)}]",
        "creditor_account_number": f"'{prefix}-' || lpad(g::text, 8, '0')",
        "debt_type": f"CASE WHEN {business} THEN 'commercial' ELSE 'credit_card' END",
        "status": status, "current_balance": "((g::bigint * 7919) % 1500000) / 100.0",
        "placed_at": "now()", "updated_at": "now()",
    }, series)
    _insert(cur, "accounts_phone", {
        "debtor_id": "g",
        "number": f"'+1' || {_array(AREAS)}[1 + g % {len(AREAS)}]"
                  f" || lpad(((g / {len(AREAS)}) % 10000000)::text, 7, '0')",
        "phone_type": "'cell'", "status": "'active'", "time_zones": "'[]'",
    }, series)
    _insert(cur, "accounts_email", {
        "debtor_id": "g", "address": f"'{prefix.lower()}' || g || '@example.com'", "status": "'active'",
    }, series + " WHERE g % 2 = 0")
    if ledger:
        _insert(cur, "accounts_ledgerentry", {
            "account_id": "g", "creditor_id": f"(ARRAY{creditors})[1 + g % {len(creditors)}]",
            "kind": "'charge'", "amount": "((g::bigint * 7919) % 1500000) / 100.0",
            "posted_date": "current_date - (g % 900)", "reference": f"'{prefix}-' || g || '-P'",
            "source": "'placement'", "created_at": "now()",
        }, series)
    return {"debtors": (start, start + count - 1), "accounts": (start, start + count - 1)}


def sequences_reset(cur) -> None:
    for table in ("accounts_debtor", "accounts_account", "accounts_phone", "accounts_email", "accounts_ledgerentry"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" COALESCE((SELECT max(id) FROM {table}), 1))")
