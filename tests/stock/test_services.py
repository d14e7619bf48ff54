"""Stock services: receipts, FEFO dispatch, transfers, losses, counts, pledges, rights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reliefops.core.errors import Conflict, Forbidden, InvalidInput
from reliefops.stock import services
from reliefops.stock.choices import PledgeStatus, TransactionKind
from reliefops.stock.models import StockBalance, StockTransaction
from reliefops.stock.selectors import stock_balance_list, stock_on_hand, stock_reconcile
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.stock.factories import ItemFactory, WarehouseFactory

pytestmark = pytest.mark.django_db
#: A lot expiry still ahead (expired lots are not issued).
SOON = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture
def admin():
    return UserFactory(is_superuser=True)


@pytest.fixture
def warehouse():
    return WarehouseFactory()


def test_dispatch_takes_first_expiry_first(admin, warehouse) -> None:
    item = ItemFactory()
    services.stock_receive(
        actor=admin,
        warehouse=warehouse,
        item=item,
        quantity=Decimal(5),
        lot_code="LATE",
        expiry_date=SOON + dt.timedelta(days=180),
    )
    services.stock_receive(
        actor=admin, warehouse=warehouse, item=item, quantity=Decimal(5), lot_code="NOEXP"
    )
    services.stock_receive(
        actor=admin,
        warehouse=warehouse,
        item=item,
        quantity=Decimal(5),
        lot_code="EARLY",
        expiry_date=SOON,
    )
    lines = services.stock_dispatch(
        actor=admin, warehouse=warehouse, item=item, quantity=Decimal(7), reference="WB-1"
    )
    assert [(line.lot.code, line.quantity) for line in lines] == [
        ("EARLY", Decimal(-5)),
        ("LATE", Decimal(-2)),
    ]
    assert stock_on_hand(actor=admin, warehouse=warehouse, item=item) == Decimal(8)
    assert stock_reconcile() == []


def test_negative_stock_is_refused_and_nothing_changes(admin, warehouse) -> None:
    item = ItemFactory()
    services.stock_receive(actor=admin, warehouse=warehouse, item=item, quantity=Decimal(3))
    before = StockTransaction.objects.count()
    with pytest.raises(services.InsufficientStock) as info:
        services.stock_dispatch(actor=admin, warehouse=warehouse, item=item, quantity=Decimal(4))
    assert info.value.details["available"] == Decimal(3)
    assert info.value.status_code == 409
    assert StockTransaction.objects.count() == before
    assert stock_on_hand(actor=admin, warehouse=warehouse, item=item) == Decimal(3)


def test_ledger_rows_cannot_be_changed_or_deleted(admin, warehouse) -> None:
    line = services.stock_receive(
        actor=admin, warehouse=warehouse, item=ItemFactory(), quantity=Decimal(1)
    )
    line.quantity = Decimal(100)
    with pytest.raises(ValueError, match="append-only"):
        line.save()
    with pytest.raises(ValueError, match="append-only"):
        line.delete()


def test_transfer_moves_lots_and_conserves_the_total(admin, warehouse) -> None:
    other = WarehouseFactory()
    item = ItemFactory()
    services.stock_receive(
        actor=admin,
        warehouse=warehouse,
        item=item,
        quantity=Decimal(10),
        lot_code="A",
        expiry_date=SOON,
    )
    services.stock_transfer(
        actor=admin, source=warehouse, destination=other, item=item, quantity=Decimal(4)
    )
    assert stock_on_hand(actor=admin, warehouse=warehouse, item=item) == 6
    assert stock_on_hand(actor=admin, warehouse=other, item=item) == 4
    [balance] = stock_balance_list(actor=admin, warehouse=other)
    assert balance.lot.code == "A"


def test_count_posts_the_difference_as_an_adjustment(admin, warehouse) -> None:
    item = ItemFactory()
    receipt = services.stock_receive(
        actor=admin, warehouse=warehouse, item=item, quantity=Decimal(10)
    )
    adjustment = services.stock_count(
        actor=admin, warehouse=warehouse, lot=receipt.lot, counted=Decimal("8.5")
    )
    assert adjustment is not None and adjustment.kind == TransactionKind.COUNT_ADJUSTMENT
    assert adjustment.quantity == Decimal("-1.5")
    assert (
        services.stock_count(
            actor=admin, warehouse=warehouse, lot=receipt.lot, counted=Decimal("8.5")
        )
        is None
    )


def test_loss_needs_a_reason(admin, warehouse) -> None:
    receipt = services.stock_receive(
        actor=admin, warehouse=warehouse, item=ItemFactory(), quantity=Decimal(10)
    )
    with pytest.raises(InvalidInput):
        services.stock_loss(
            actor=admin, warehouse=warehouse, lot=receipt.lot, quantity=Decimal(1), reason=" "
        )


def test_logistics_officer_moves_stock_only_in_own_area_and_organisation() -> None:
    organisation = OrganisationFactory()
    warehouse = WarehouseFactory(organisation=organisation)
    area = warehouse.facility.place.admin1
    officer = make_user("logistics", areas=[area], organisation=organisation)
    item = ItemFactory()
    services.stock_receive(actor=officer, warehouse=warehouse, item=item, quantity=Decimal(2))
    elsewhere = WarehouseFactory(organisation=organisation)
    with pytest.raises(Forbidden):
        services.stock_receive(actor=officer, warehouse=elsewhere, item=item, quantity=1)
    other_org = make_user("logistics", areas=[area])
    with pytest.raises(Forbidden):
        services.stock_dispatch(actor=other_org, warehouse=warehouse, item=item, quantity=1)
    partner = make_user("partner", areas=[area], organisation=organisation)
    with pytest.raises(Forbidden):
        services.stock_dispatch(actor=partner, warehouse=warehouse, item=item, quantity=1)
    assert StockBalance.objects.get(warehouse=warehouse).quantity == 2


def test_pledge_is_pipeline_until_received(admin, warehouse) -> None:
    item = ItemFactory()
    pledge = services.pledge_create(
        actor=admin,
        donor=OrganisationFactory(),
        item=item,
        quantity=Decimal(100),
        expected_date=dt.date(2023, 10, 5),
        warehouse=warehouse,
        reference="PL-1",
    )
    services.pledge_set_status(actor=admin, pledge=pledge, status=PledgeStatus.IN_TRANSIT)
    line = services.pledge_receive(actor=admin, pledge=pledge, lot_code="PL-1")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RECEIVED and line.pledge_id == pledge.pk
    assert line.lot.donor_id == pledge.donor_id
    from reliefops.core.models import AuditEvent

    received = AuditEvent.objects.get(
        action="pledge.status", object_id=str(pledge.pk), after__status=PledgeStatus.RECEIVED
    )
    assert received.before == {"status": PledgeStatus.IN_TRANSIT}
    with pytest.raises(Conflict):
        services.pledge_receive(actor=admin, pledge=pledge)


def test_kit_lists_its_contents(admin) -> None:
    parcel = ItemFactory(code="FPARCEL", unit="parcel")
    flour, oil = ItemFactory(code="FLR"), ItemFactory(code="VOIL", unit="litre")
    services.kit_set_components(
        actor=admin, kit=parcel, components={flour: Decimal(10), oil: Decimal(2)}
    )
    parcel.refresh_from_db()
    assert parcel.is_kit
    assert {(c.component.code, c.quantity) for c in parcel.components.all()} == {
        ("FLR", Decimal(10)),
        ("VOIL", Decimal(2)),
    }
    with pytest.raises(InvalidInput):
        services.kit_set_components(actor=admin, kit=parcel, components={parcel: Decimal(1)})


def test_large_count_goes_through_copy_and_keeps_snapshot_equal_to_ledger(admin) -> None:
    """More than COPY_THRESHOLD lines in one post: the PostgreSQL COPY path (bulk_create on
    SQLite) writes the same ledger as the small path."""
    from reliefops.stock.models import Lot

    warehouse = WarehouseFactory()
    item = ItemFactory()
    lots = Lot.objects.bulk_create(
        [Lot(item=item, code=f"C{i:04d}") for i in range(services.COPY_THRESHOLD + 100)]
    )
    counts = [services.StockCount(warehouse, lot, Decimal(i + 1)) for i, lot in enumerate(lots)]
    posted = services.stock_count_bulk(actor=admin, counts=counts)
    assert posted == len(lots)
    assert StockTransaction.objects.filter(kind="count_adjustment").count() == len(lots)
    assert stock_on_hand(actor=admin, warehouse=warehouse, item=item) == sum(
        Decimal(i + 1) for i in range(len(lots))
    )
    assert stock_reconcile() == []


def test_pledge_steps_follow_the_table(admin, warehouse) -> None:
    from reliefops.core.workflow import InvalidTransition

    pledge = services.pledge_create(
        actor=admin,
        donor=OrganisationFactory(),
        item=ItemFactory(),
        quantity=Decimal(10),
        expected_date=dt.date(2023, 10, 5),
        warehouse=warehouse,
    )
    assert services.PLEDGE_TRANSITIONS[PledgeStatus.PLEDGED] == {
        PledgeStatus.IN_TRANSIT,
        PledgeStatus.RECEIVED,
        PledgeStatus.CANCELLED,
    }
    with pytest.raises(InvalidTransition):  # only pledge_receive records the receipt
        services.pledge_set_status(actor=admin, pledge=pledge, status=PledgeStatus.RECEIVED)
    services.pledge_set_status(actor=admin, pledge=pledge, status=PledgeStatus.CANCELLED)
    with pytest.raises(InvalidTransition):
        services.pledge_set_status(actor=admin, pledge=pledge, status=PledgeStatus.IN_TRANSIT)
    with pytest.raises(InvalidTransition):
        services.pledge_receive(actor=admin, pledge=pledge)


def test_pledges_are_scoped_by_donor_and_destination(warehouse) -> None:
    donor = OrganisationFactory()
    area = warehouse.facility.place.admin1
    partner = make_user("partner", areas=[area], organisation=donor)
    outsider = make_user(
        "partner", areas=[WarehouseFactory().facility.place.admin1], organisation=donor
    )
    values = {
        "donor": donor,
        "item": ItemFactory(),
        "quantity": Decimal(10),
        "expected_date": dt.date(2023, 10, 5),
    }
    services.pledge_create(actor=partner, warehouse=warehouse, **values)
    services.pledge_create(actor=outsider, warehouse=None, **values)  # no destination yet
    with pytest.raises(Forbidden):
        services.pledge_create(actor=outsider, warehouse=warehouse, **values)
    with pytest.raises(Forbidden):
        services.pledge_create(actor=partner, **{**values, "donor": OrganisationFactory()})
