"""Factories for the places domain."""

from __future__ import annotations

import factory

from reliefops.places.models import AdminArea


class AdminAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"XX-{n:03d}")
    level = 1
    names = factory.LazyAttribute(lambda o: {"en": f"Area {o.code}"})
