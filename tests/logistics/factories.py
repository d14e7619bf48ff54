"""Factories for the logistics domain: drivers, vehicles, convoys and what they carry.

They write rows with the ORM (no services, no ledger): a test that needs stock reserved
or dispatched calls the services itself. A convoy's ``area`` follows its origin
warehouse's place, as the convoy services set it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from reliefops.logistics.choices import (
    ConvoyStatus,
    PassageDirection,
    PassageOutcome,
    VehicleKind,
)
from reliefops.logistics.models import (
    ConsignmentLine,
    Convoy,
    ConvoyStop,
    ConvoyVehicle,
    Delivery,
    Driver,
    Passage,
    Vehicle,
)
from tests.accounts.factories import OrganisationFactory
from tests.stock.factories import FacilityFactory, ItemFactory, PlaceFactory, WarehouseFactory


class DriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Driver

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Driver {n}")
    # (An empty encrypted field is stored as NULL, which its column refuses: give both.)
    phone = factory.Sequence(lambda n: f"+994 50 000 {n:04d}")
    licence_number = factory.Sequence(lambda n: f"AZ{n:07d}")


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vehicle
        django_get_or_create = ("registration",)

    registration = factory.Sequence(lambda n: f"10-TR-{n:03d}")
    kind = VehicleKind.TRUCK
    organisation = factory.SubFactory(OrganisationFactory)
    capacity_kg = Decimal("10000")


class ConvoyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convoy
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CV-{n:04d}")
    departure_date = dt.date(2026, 12, 2)
    origin = factory.SubFactory(WarehouseFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    area = factory.LazyAttribute(lambda o: o.origin.facility.place.admin1)
    status = ConvoyStatus.PLANNED


class ConvoyStopFactory(factory.django.DjangoModelFactory):
    """A stop at a facility (pass ``facility=None, place=…`` for a stop at a place)."""

    class Meta:
        model = ConvoyStop

    convoy = factory.SubFactory(ConvoyFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    facility = factory.SubFactory(FacilityFactory, kind="school")
    place = factory.LazyAttribute(lambda o: o.facility.place if o.facility else PlaceFactory())


class ConvoyVehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConvoyVehicle

    convoy = factory.SubFactory(ConvoyFactory)
    vehicle = factory.SubFactory(
        VehicleFactory, organisation=factory.SelfAttribute("..convoy.organisation")
    )
    tracking_number = factory.Sequence(lambda n: f"TN-{n:06d}")


class ConsignmentLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsignmentLine

    carrier = factory.SubFactory(ConvoyVehicleFactory)
    stop = factory.SubFactory(ConvoyStopFactory, convoy=factory.SelfAttribute("..carrier.convoy"))
    item = factory.SubFactory(ItemFactory)
    quantity = Decimal("100")


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    convoy = factory.SubFactory(ConvoyFactory)
    crossing_point = factory.SubFactory(FacilityFactory, kind="crossing_point")
    direction = PassageDirection.INBOUND
    time_in = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    outcome = PassageOutcome.PASSED


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    stop = factory.SubFactory(ConvoyStopFactory)
    receiver_name = "Receiver"
    received_at = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)
