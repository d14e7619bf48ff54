"""Factories for organisations, users and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory

from reliefops.accounts.models import Membership, User
from reliefops.organisations.choices import OrganisationKind
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    kind = OrganisationKind.LOCAL_NGO
    names = factory.LazyAttribute(lambda o: {"en": f"Organisation {o.acronym}"})


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "a-Long-test-passw0rd")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "viewer"

    @factory.post_generation
    def areas(obj: Membership, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.areas.set(extracted)


def make_user(
    role: str,
    *,
    areas: Iterable[AdminArea] = (),
    organisation: Organisation | None = None,
    username: str | None = None,
) -> User:
    """A user with one active membership of ``role`` over ``areas``."""
    user = UserFactory(**({"username": username} if username else {}))
    MembershipFactory(
        user=user,
        organisation=organisation or OrganisationFactory(),
        role=role,
        areas=list(areas),
    )
    return user
