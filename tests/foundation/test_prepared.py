"""accounts.prepared: the hot reads compiled once give exactly what the ORM gives, on a new connection too."""

import pytest
from django.db import connection

from accounts.models import Account, Debtor, Phone
from accounts.prepared import get_by_pk, rows_where
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_rows_and_lookups_equal_the_querysets_they_stand_for():
    account = AccountFactory()
    Phone.objects.create(debtor=account.debtor, number="+14045550101", time_zones=["America/New_York"])
    Phone.objects.create(debtor=account.debtor, number="+14045550102", status="wrong")
    assert [_fields(p) for p in rows_where(Phone, "debtor_id", account.debtor_id)] == \
        [_fields(p) for p in Phone.objects.filter(debtor_id=account.debtor_id)]
    assert _fields(get_by_pk(Account, account.pk)) == _fields(Account.objects.get(pk=account.pk))
    assert isinstance(get_by_pk(Account, account.pk).current_balance, type(account.current_balance))
    with pytest.raises(Debtor.DoesNotExist):
        get_by_pk(Debtor, 987654321)


def test_a_new_connection_prepares_its_statements_again():
    account = AccountFactory()
    assert get_by_pk(Account, account.pk).pk == account.pk
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")  # what a new session looks like to the server
        connection._prepared_statements = ((0, 0), set())  # and to us: another connection
    assert get_by_pk(Account, account.pk).pk == account.pk


def test_the_pops_account_read_equals_select_related():
    from collections_app.worklist.leasing import _account

    account = AccountFactory()
    read = _account(account.pk)
    expected = Account.objects.select_related("debtor", "creditor").get(pk=account.pk)
    assert _fields(read) == _fields(expected)
    assert _fields(read.debtor) == _fields(expected.debtor)
    assert _fields(read.creditor) == _fields(expected.creditor)
    with pytest.raises(Account.DoesNotExist):
        _account(987654321)
