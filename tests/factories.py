from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from accounts.models import Account, Address, Creditor, Debtor, Email, Phone
from collections_app.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(*[Group.objects.get_or_create(name=r)[0] for r in extracted])
            if "admin" in extracted:  # as collections_app.services.user_ensure does
                self.is_staff = self.is_superuser = True
        self.save()


class CreditorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creditor
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CRED{n}")
    name = factory.Sequence(lambda n: f"Creditor {n}")


class DebtorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Debtor

    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Doe{n}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    debtor = factory.SubFactory(DebtorFactory)
    line1 = "1 Peachtree St"
    city = "Atlanta"
    state = "GA"
    zip = "30303"
    time_zone = "America/New_York"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    debtor = factory.SubFactory(DebtorFactory)
    number = "+14045550101"
    time_zones = ["America/New_York"]


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Email

    debtor = factory.SubFactory(DebtorFactory)
    address = factory.Sequence(lambda n: f"debtor{n}@example.com")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    creditor = factory.SubFactory(CreditorFactory)
    debtor = factory.SubFactory(DebtorFactory)
    creditor_account_number = factory.Sequence(lambda n: f"ACC{n:06d}")
    itemization_date = date(2025, 1, 15)
    itemization_balance = Decimal("0.00")
