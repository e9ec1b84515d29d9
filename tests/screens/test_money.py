"""One money formatter for screens, CSV files and the API: two places, currency, a leading minus."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.balances import balance_by_kind
from accounts.models import EntryKind, EntrySource
from accounts.money import money_display, money_str, to_cents
from accounts.services import ledger_entry_post
from tests.factories import AccountFactory


@pytest.mark.parametrize("value, shown", [
    (Decimal("11841.5700000000"), "$11,841.57"),  # SQLite's SUM of a DecimalField
    (Decimal("1485.12000000000"), "$1,485.12"),
    (Decimal("5.5"), "$5.50"),
    (0, "$0.00"),
    (Decimal("-0.00"), "$0.00"),
    (Decimal("-20"), "-$20.00"),
    (Decimal("-1234567.891"), "-$1,234,567.89"),
    (Decimal("0.005"), "$0.01"),  # half-up, as a person rounds
    (19.99, "$19.99"),  # a float is taken at its shortest decimal, not its binary expansion
    ("1250.4", "$1,250.40"),
])
def test_money_display(value, shown):
    assert money_display(value) == shown


def test_machine_form_has_two_places_a_minus_and_no_grouping():
    assert money_str(Decimal("11841.5700000000")) == "11841.57"
    assert money_str(Decimal("-1234.5")) == "-1234.50"
    assert money_display(None) == ""


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", None, object()])
def test_not_money_is_refused_with_the_value_named(bad):
    with pytest.raises(ValueError, match="not an amount of money"):
        to_cents(bad)


def test_balance_by_kind_has_two_places_whatever_the_database_returns():
    # What SQLite's SUM gives for the seed's account 386 (issue 11).
    balances = balance_by_kind({"charge": Decimal("11841.5700000000"), "interest": Decimal("1485.12000000000")})
    assert {k: str(v) for k, v in balances.items()} == {
        "principal": "11841.57", "interest": "1485.12", "fees": "0.00", "total": "13326.69"}


def test_template_filter_is_the_same_formatter():
    html = Template("{% load display %}{{ a|money }} {{ b|money }} [{{ c|money }}]").render(
        Context({"a": Decimal("11841.5700000000"), "b": Decimal("-3"), "c": None}))
    assert html == "$11,841.57 -$3.00 []"


@pytest.mark.django_db
def test_account_page_and_api_show_two_places_on_this_database(client_for):
    account = AccountFactory()
    for kind, amount in ((EntryKind.CHARGE, "11841.57"), (EntryKind.INTEREST, "1485.12"),
                         (EntryKind.PAYMENT, "-100.10")):
        ledger_entry_post(account=account, kind=kind, amount=amount, posted_date=date(2025, 1, 15),
                          source=EntrySource.USER)
    client = client_for("collector")
    page = client.get(reverse("account-workspace", args=[account.pk])).content.decode()
    assert "$13,226.59" in page and "$11,841.57" in page and "$1,385.02" in page  # interest paid first
    assert not re.search(r"\$[\d,]+\.\d{3,}", page)  # no amount shows more than two places
    body = client.get(reverse("api-account-detail", args=[account.pk])).json()
    assert body["balance_by_kind"] == {"principal": "11841.57", "interest": "1385.02", "fees": "0.00",
                                       "total": "13226.59"}
    assert body["current_balance"] == "13226.59"
