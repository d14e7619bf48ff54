"""Factories for items, warehouses (with their facility and place) and lots."""

from __future__ import annotations

from decimal import Decimal

import factory

from reliefops.places.models import Facility, Place
from reliefops.stock.choices import ItemCategory, Unit
from reliefops.stock.models import Item, Lot, Warehouse
from tests.places.factories import AdminAreaFactory


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TP{n:05d}")
    kind = "village"
    names = factory.LazyAttribute(lambda o: {"en": f"Village {o.code}"})
    latitude = 40.0
    longitude = 47.0
    admin1 = factory.SubFactory(AdminAreaFactory)


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TF{n:05d}")
    kind = "warehouse"
    names = factory.LazyAttribute(lambda o: {"en": f"Facility {o.code}"})
    place = factory.SubFactory(PlaceFactory)
    latitude = 40.0
    longitude = 47.0


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    facility = factory.SubFactory(FacilityFactory)


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IT{n:04d}")
    names = factory.LazyAttribute(lambda o: {"en": f"Item {o.code}"})
    category = ItemCategory.FOOD
    unit = Unit.KG
    weight_kg = Decimal("1")


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lot
        django_get_or_create = ("item", "code")

    item = factory.SubFactory(ItemFactory)
    code = factory.Sequence(lambda n: f"L{n:04d}")
