"""Factories for the places domain."""

from __future__ import annotations

import factory

from reliefops.places.models import AdminArea, Facility, Place


class AdminAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"XX-{n:03d}")
    level = 1
    names = factory.LazyAttribute(lambda o: {"en": f"Area {o.code}"})


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"XX-T{n:05d}")
    kind = "village"
    latitude = 40.0
    longitude = 46.5
    names = factory.LazyAttribute(lambda o: {"en": f"Place {o.code}"})


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"F-T{n:05d}")
    kind = "school"
    place = factory.SubFactory(PlaceFactory)
    latitude = factory.LazyAttribute(lambda o: o.place.latitude)
    longitude = factory.LazyAttribute(lambda o: o.place.longitude)
    names = factory.LazyAttribute(lambda o: {"en": f"Facility {o.code}"})
