"""Account search: each kind of match is its own index-backed query; results are ranked and limited.

Kinds, best first (a lower tier never pushes out a higher one):
  exact   account number (letters and digits only, upper case), phone (E.164), email (case-insensitive)
  prefix  account number prefix
  name    last name prefix (with the first name's prefix when two or more words are given) and
          business name prefix; accent- and case-insensitive ("Pena" finds "Peña")
  surname two or more words and no such person: the last name's prefix alone ("Okafor, Ada" with no
          Ada lists the Okafors), an index range, before any similarity search
  similar names by trigram similarity (PostgreSQL, pg_trgm) or containing every word (SQLite); only
          when nothing above matched (a misspelt name), since it touches the most rows.

Each tier asks only for the rows still missing, joins accounts to at most that many debtors
(LIMIT before anything widens), and applies the list's filters inside the query. On PostgreSQL
every tier is answered by an index created in migration 0011 from the same expressions as below;
tests/search/test_explain.py proves it on a table large enough for the planner to care. On SQLite
(the embedded default) the same SQL runs, with search_fold / search_number_key registered as
Python functions (accounts.apps).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.db import connection

# Results on one search page; a collector with the debtor on the line refines rather than pages.
SEARCH_LIMIT = 50

# Word similarity (pg_trgm) a misspelt name needs to match: "smyth" in "james smith" is 0.5, and a
# higher bar also keeps the GIN index from handing over every row that shares two common trigrams.
WORD_SIMILARITY = 0.5

# Rows a similarity search ranks at most: bounds a misspelt common name's cost (a few ms).
FUZZY_CANDIDATES = 1000

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_PHONE_CHARS = re.compile(r"^[\d\s().+\-/]+$")


def number_key(text: str) -> str:
    """An account number as the index holds it: ASCII letters and digits only, upper case
    (SQL: search_number_key)."""
    return _NOT_ALNUM.sub("", text or "").upper()


def fold(text: str) -> str:
    """A name as the index holds it: accents removed, lower case (SQL: search_fold =
    lower(unaccent(...)))."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def phone_key(text: str) -> str | None:
    """E.164 form of a query that looks like a phone number in any format, else None.

    Stored phones are E.164 (accounts.timezones.normalize_phone); a query is normalised the same
    way, but only needs to be a possible number, so fictional 555 numbers are found too."""
    if not _PHONE_CHARS.match(text or ""):
        return None
    digits = re.sub(r"\D", "", text)
    if len(digits) < 10:
        return None
    try:
        parsed = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class Terms:
    """What a query can mean, computed once."""

    number: str  # account number key ("" when the query has no digit)
    phone: str | None
    email: str | None
    words: tuple[str, ...]  # folded name words, "last, first" reordered to first ... last
    phrase: str  # the folded query, for business names and similarity

    @classmethod
    def parse(cls, q: str) -> Terms:
        q = " ".join((q or "").split())
        key = number_key(q)
        email = q.lower() if "@" in q and " " not in q else None
        if "," in q:  # "Okafor, Ada" is last name first
            last, _, first = q.partition(",")
            q_names = f"{first} {last}"
        else:
            q_names = q
        words = tuple(w for w in fold(q_names).replace(",", " ").split() if w)
        return cls(number=key if any(c.isdigit() for c in key) else "", phone=phone_key(q), email=email,
                   words=words, phrase=" ".join(fold(q).split()))


@dataclass(frozen=True)
class Filters:
    creditor_id: int | None = None
    status: str = ""
    debt_type: str = ""

    def sql(self) -> tuple[str, list]:
        parts, params = [], []
        if self.creditor_id:
            parts.append("a.creditor_id = %s")
            params.append(self.creditor_id)
        if self.status:
            parts.append("a.status = %s")
            params.append(self.status)
        if self.debt_type:
            parts.append("a.debt_type = %s")
            params.append(self.debt_type)
        return "".join(f" AND {p}" for p in parts), params


def _dialect() -> dict[str, str]:
    # PostgreSQL's C collation makes LIKE 'abc%' a range scan of the key indexes and matches their
    # order; SQLite compares bytes (BINARY) by default, which is the same order.
    c = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    return {
        "number": f"search_number_key(a.creditor_account_number){c}",
        "last": f"search_fold(d.last_name){c}",
        "first": f"search_fold(d.first_name){c}",
        "business": f"search_fold(d.business_name){c}",
        "name": "search_fold(d.first_name || ' ' || d.last_name || ' ' || d.business_name)",
    }


def _tier_queries(terms: Terms, filters: Filters) -> list[tuple[str, str, list]]:
    """(tier, SQL with a trailing LIMIT %s, params) in rank order; each selects account ids."""
    x = _dialect()
    where, fparams = filters.sql()
    queries = []
    if terms.number:
        queries.append(("exact", f"SELECT a.id FROM accounts_account a WHERE {x['number']} = %s{where}"
                                 " ORDER BY a.id LIMIT %s", [terms.number, *fparams]))
    if terms.phone:
        queries.append(("exact", "SELECT a.id FROM accounts_phone p"
                                 " JOIN accounts_account a ON a.debtor_id = p.debtor_id"
                                 f" WHERE p.number = %s{where} ORDER BY a.id LIMIT %s", [terms.phone, *fparams]))
    if terms.email:
        queries.append(("exact", "SELECT a.id FROM accounts_email e"
                                 " JOIN accounts_account a ON a.debtor_id = e.debtor_id"
                                 f" WHERE lower(e.address) = %s{where} ORDER BY a.id LIMIT %s",
                        [terms.email, *fparams]))
    if terms.number:
        queries.append(("prefix", f"SELECT a.id FROM accounts_account a WHERE {x['number']} LIKE %s ESCAPE '\\'"
                                  f"{where} ORDER BY {x['number']}, a.id LIMIT %s",
                        [_like_prefix(terms.number), *fparams]))
    if terms.words and not terms.phone and not terms.email:
        join = "FROM accounts_debtor d JOIN accounts_account a ON a.debtor_id = d.id"
        if len(terms.words) >= 2:
            queries.append(("name", f"SELECT a.id {join} WHERE {x['last']} LIKE %s ESCAPE '\\'"
                                    f" AND {x['first']} LIKE %s ESCAPE '\\'{where}"
                                    f" ORDER BY {x['last']}, {x['first']}, d.id, a.id LIMIT %s",
                            [_like_prefix(terms.words[-1]), _like_prefix(terms.words[0]), *fparams]))
            # No such person: everyone with that last name (an index range, like a one-word query)
            # before a similarity search; only when the first + last name tier found nobody.
            queries.append(("surname", f"SELECT a.id {join} WHERE {x['last']} LIKE %s ESCAPE '\\'{where}"
                                       f" ORDER BY {x['last']}, {x['first']}, d.id, a.id LIMIT %s",
                            [_like_prefix(terms.words[-1]), *fparams]))
        else:
            queries.append(("name", f"SELECT a.id {join} WHERE {x['last']} LIKE %s ESCAPE '\\'{where}"
                                    f" ORDER BY {x['last']}, {x['first']}, d.id, a.id LIMIT %s",
                            [_like_prefix(terms.words[0]), *fparams]))
        queries.append(("name", f"SELECT a.id {join} WHERE d.business_name <> '' AND {x['business']} LIKE %s"
                                f" ESCAPE '\\'{where} ORDER BY {x['business']}, d.id, a.id LIMIT %s",
                        [_like_prefix(terms.phrase), *fparams]))
        if connection.vendor == "postgresql":
            # pg_trgm's <% (word similarity above pg_trgm.word_similarity_threshold, set to
            # WORD_SIMILARITY by ranked_account_ids) uses the GIN index; "pena" scores 1.0 in
            # "maria pena", where whole-string similarity would be diluted by the first name.
            # A misspelt common name can be similar to a huge number of rows (every "Okafor" for
            # "okafr"): the best of the first FUZZY_CANDIDATES the index hands over are ranked.
            # The best debtors are ranked before the join to accounts (LIMIT before anything widens).
            queries.append(("similar", "SELECT a.id FROM (SELECT id, score FROM"
                                       f" (SELECT d.id, word_similarity(%s, {x['name']}) AS score"
                                       " FROM accounts_debtor d"
                                       f" WHERE %s <%% {x['name']} LIMIT {FUZZY_CANDIDATES}) c"
                                       f" ORDER BY score DESC, id LIMIT {2 * SEARCH_LIMIT}) m"
                                       f" JOIN accounts_account a ON a.debtor_id = m.id WHERE true{where}"
                                       " ORDER BY m.score DESC, m.id, a.id LIMIT %s",
                            [" ".join(terms.words), " ".join(terms.words), *fparams]))
        else:
            contains = " AND ".join([f"{x['name']} LIKE %s ESCAPE '\\'"] * len(terms.words))
            queries.append(("similar", f"SELECT a.id {join} WHERE {contains}{where} ORDER BY d.id, a.id LIMIT %s",
                            [f"%{_like_prefix(w)}" for w in terms.words] + fparams))
    return queries


def ranked_account_ids(q: str, *, filters: Filters = Filters(), limit: int = SEARCH_LIMIT) -> list[int]:
    """Up to `limit` account ids for the query, best match first (see the module docstring)."""
    terms = Terms.parse(q)
    found: dict[int, None] = {}
    with connection.cursor() as cursor:
        for tier, sql, params in _tier_queries(terms, filters):
            missing = limit - len(found)
            if missing <= 0:
                break
            if tier in ("name", "surname", "similar") and terms.number and found:
                break  # an account number that matched is not also looked for among names
            if tier == "surname" and found:
                continue  # the person was found: their namesakes are not more results
            if tier == "similar" and found:
                break  # similarity is the fallback for a misspelt name, not more rows for a right one
            if tier == "similar" and connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                               [str(WORD_SIMILARITY)])
            # Ask for enough to fill the page even if every row found so far comes back again.
            cursor.execute(sql, [*params, missing + len(found)])
            for (account_id,) in cursor.fetchall():
                found.setdefault(account_id, None)
    return list(found)[:limit]


def tier_queries_for_explain(q: str, filters: Filters = Filters(), limit: int = SEARCH_LIMIT):
    """The SQL each tier runs for `q` (with its LIMIT filled in), for EXPLAIN checks and the page bench."""
    return [(tier, sql, [*params, limit]) for tier, sql, params in _tier_queries(Terms.parse(q), filters)]
