"""Factories for the people registry (ORM rows; a test of the services calls them)."""

from __future__ import annotations

import datetime as dt

import factory

from reliefops.people.models import Consent, Person
from tests.accounts.factories import OrganisationFactory
from tests.stock.factories import PlaceFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    reference = factory.Sequence(lambda n: f"P-T{n:05d}")
    full_name = factory.Sequence(lambda n: f"Test Person {n}")
    year_of_birth = 1950
    age_band = "70_plus"
    sex = "female"
    place = factory.SubFactory(PlaceFactory)
    area = factory.LazyAttribute(lambda o: o.place.admin1)
    lives_alone = True
    organisation = factory.SubFactory(OrganisationFactory)
    registered_on = dt.date(2023, 9, 1)
    synthetic = True


def consent_all(person: Person, *, given_on: dt.date = dt.date(2023, 9, 1)) -> None:
    """Record the person's consent to every purpose (a test that is not about consent)."""
    from reliefops.people.choices import ConsentPurpose

    for purpose in ConsentPurpose:
        Consent.objects.create(person=person, purpose=purpose, given=True, given_on=given_on)
