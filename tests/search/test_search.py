"""Account search, every kind of query; runs on SQLite and PostgreSQL (whichever DATABASE_URL names)."""

import pytest
from django.db import connection
from django.urls import reverse

from accounts import search
from accounts.selectors import account_search
from tests.factories import AccountFactory, DebtorFactory, EmailFactory, PhoneFactory

pytestmark = pytest.mark.django_db


def numbers(q, **kwargs):
    return [a.creditor_account_number for a in account_search(q=q, **kwargs)]


def account_for(number, **debtor):
    return AccountFactory(creditor_account_number=number, debtor=DebtorFactory(**debtor))


@pytest.fixture
def people():
    return {
        "ada": account_for("OK-1001", first_name="Ada", last_name="Okafor"),
        "ben": account_for("OK-1002", first_name="Ben", last_name="Okafor"),
        "pena": account_for("PN-2001", first_name="José", last_name="Peña"),
        "smith": account_for("SM-3001", first_name="Ada", last_name="Smith"),
        "harbor": account_for("BZ-4001", debtor_type="business", first_name="", last_name="",
                              business_name="Harbor Dental Group"),
    }


@pytest.mark.parametrize("q", ["OK-1001", "ok-1001", "OK1001", " ok 1001 "])
def test_account_number_is_found_exactly_whatever_its_case_and_punctuation(people, q):
    assert numbers(q) == ["OK-1001"]


def test_partial_account_number_finds_every_account_it_starts(people):
    assert numbers("OK-10") == ["OK-1001", "OK-1002"]
    assert numbers("ok10") == ["OK-1001", "OK-1002"]


def test_exact_account_number_ranks_before_longer_numbers_it_starts():
    for number in ["AB-123", "AB-1234", "AB-12"]:
        AccountFactory(creditor_account_number=number)
    assert numbers("AB-123") == ["AB-123", "AB-1234"]


@pytest.mark.parametrize("q", ["(404) 555-0177", "404.555.0177", "+1 404 555 0177", "4045550177", "1-404-555-0177"])
def test_phone_in_any_format_finds_the_debtors_accounts(people, q):
    PhoneFactory(debtor=people["ben"].debtor, number="+14045550177")
    PhoneFactory(debtor=people["ada"].debtor, number="+14045550178")
    assert numbers(q) == ["OK-1002"]


def test_a_fictional_555_number_is_still_a_phone_query(people):
    PhoneFactory(debtor=people["ada"].debtor, number="+12125559876")
    assert numbers("212-555-9876") == ["OK-1001"]


def test_first_and_last_name_find_that_person_only(people):
    assert numbers("Ada Okafor") == ["OK-1001"]
    assert numbers("ada okafor") == ["OK-1001"]
    assert numbers("Okafor, Ada") == ["OK-1001"]
    assert numbers("A Oka") == ["OK-1001"]


def test_a_first_and_last_name_with_no_such_person_lists_that_last_name(people):
    # No "Cy Okafor": everyone named Okafor (by first name), not a fuzzy match on other names.
    assert numbers("Okafor, Cy") == ["OK-1001", "OK-1002"]
    assert "SM-3001" not in numbers("Cy Okafor")
    # A misspelt last name still reaches the similarity search (pg_trgm; SQLite has no fuzzy match).
    if connection.vendor == "postgresql":
        assert "OK-1001" in numbers("Ada Okafr")


def test_last_name_alone_finds_everyone_with_it(people):
    assert set(numbers("Okafor")) == {"OK-1001", "OK-1002"}
    assert set(numbers("oka")) == {"OK-1001", "OK-1002"}
    assert "SM-3001" not in numbers("Okafor")


def test_exact_last_name_ranks_before_longer_names_it_starts():
    account_for("LE-2", first_name="Al", last_name="Leeds")
    account_for("LE-1", first_name="Zed", last_name="Lee")
    assert numbers("Lee") == ["LE-1", "LE-2"]


@pytest.mark.parametrize("q", ["Pena", "peña", "PEÑA", "Jose Pena", "josé peña"])
def test_accents_and_case_do_not_matter(people, q):
    assert numbers(q) == ["PN-2001"]


def test_an_accented_query_finds_a_name_stored_without_accents():
    account_for("EL-1", first_name="Elodie", last_name="Lefevre")
    assert numbers("Élodie Lefèvre") == ["EL-1"]


@pytest.mark.parametrize("q", ["Harbor Dental", "harbor", "HARBOR DENTAL GROUP"])
def test_business_names_are_found_by_their_start(people, q):
    assert numbers(q) == ["BZ-4001"]


@pytest.mark.parametrize("q", ["ada.okafor@example.com", "Ada.Okafor@Example.COM"])
def test_email_is_found_exactly_in_any_case(people, q):
    EmailFactory(debtor=people["ada"].debtor, address="ada.okafor@example.com")
    EmailFactory(debtor=people["ben"].debtor, address="okafor@example.com")
    assert numbers(q) == ["OK-1001"]


def test_a_debtor_with_two_accounts_shows_both(people):
    AccountFactory(creditor_account_number="OK-9999", debtor=people["ada"].debtor)
    assert set(numbers("Ada Okafor")) == {"OK-1001", "OK-9999"}


def test_filters_apply_inside_the_search(people):
    AccountFactory(creditor_account_number="OK-1003", debtor=people["ada"].debtor, status="hold")
    assert numbers("Okafor", status="hold") == ["OK-1003"]
    assert numbers("Okafor", creditor_id=people["ben"].creditor_id) == ["OK-1002"]


def test_nothing_matches_nonsense(people):
    assert numbers("zzqx") == [] and numbers("%") == [] and numbers("_") == []


def test_wildcards_in_the_query_are_literal():
    AccountFactory(creditor_account_number="X_1")
    AccountFactory(creditor_account_number="XA1")
    assert numbers("x_1") == ["X_1"]
    account_for("P-1", first_name="Al", last_name="Cent%")
    account_for("P-2", first_name="Al", last_name="Centx")
    account_for("P-3", first_name="Al", last_name="C_ntx")
    assert numbers("Cent%") == ["P-1"]
    assert numbers("C_nt") == ["P-3"]


def test_search_returns_at_most_the_limit_best_first():
    for i in range(search.SEARCH_LIMIT + 5):
        account_for(f"MANY-{i:03d}", first_name="Kim", last_name="Manyhits")
    found = numbers("Manyhits")
    assert len(found) == search.SEARCH_LIMIT and found == sorted(found)


def test_a_typo_in_a_name_still_finds_it_on_postgresql(people):
    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity is PostgreSQL's (pg_trgm); SQLite matches whole words")
    assert numbers("Ada Okafr")[0] == "OK-1001"
    assert numbers("Jose Pene")[0] == "PN-2001"


def test_several_words_all_in_the_name_match_on_sqlite(people):
    if connection.vendor != "sqlite":
        pytest.skip("the portable path")
    assert numbers("dental harbor") == ["BZ-4001"]


def test_the_search_page_says_when_there_are_more_matches_than_shown(client_for):
    for i in range(search.SEARCH_LIMIT + 1):
        account_for(f"PG-{i:03d}", first_name="Kim", last_name="Pagehits")
    html = client_for("collector").get(reverse("accounts:list"), {"q": "Pagehits"}).content.decode()
    assert 'data-testid="search-more"' in html and "PG-000" in html


def test_query_keys_match_what_the_database_computes():
    if connection.vendor != "postgresql":
        pytest.skip("the SQL functions are PostgreSQL's; SQLite runs the Python ones")
    samples = ["Peña", "ÉLODIE Lefèvre", "O'Brien", "Zoë Nguyễn", "Müller"]
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT search_fold(%s), search_number_key(%s)", [text, f"d1-{text}-05/1"])
            assert cursor.fetchone() == (search.fold(text), search.number_key(f"d1-{text}-05/1"))
