"""API of the stock domain: catalogue, warehouses, balances, ledger, movements, pledges."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reliefops.core.api import CodeLookupField, NamesField
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import Actor
from reliefops.stock import services
from reliefops.stock.choices import ItemCategory, PledgeStatus, Unit
from reliefops.stock.fields import ITEM, PLEDGE, STOCK_COUNT
from reliefops.stock.filtersets import (
    BalanceFilterSet,
    ItemFilterSet,
    PledgeFilterSet,
    TransactionFilterSet,
)
from reliefops.stock.models import Item, Lot, Pledge, StockBalance, StockTransaction, Warehouse
from reliefops.stock.selectors import (
    donor_by_acronym,
    item_list,
    pledge_list,
    stock_balance_list,
    stock_transaction_list,
    warehouse_list,
)


class WarehouseCodeField(CodeLookupField):
    """A warehouse by its facility code, in and out."""

    default_error_messages = {"does_not_exist": "No warehouse with facility code {value}."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            lambda _actor, code: (
                Warehouse.objects.select_related("facility").filter(facility__code=code).first()
            ),
            code_of=lambda warehouse: warehouse.facility.code,
            **kwargs,
        )


def donor_field(**kwargs: Any) -> CodeLookupField:
    """A donor organisation by its acronym, in and out."""
    return CodeLookupField(
        lambda _actor, acronym: donor_by_acronym(acronym),
        code_of=lambda organisation: organisation.acronym,
        code_name="acronym",
        **kwargs,
    )


class ItemSerializer(serializers.ModelSerializer[Item]):
    names = NamesField(required=False)
    category = serializers.ChoiceField(choices=ItemCategory.choices)
    unit = serializers.ChoiceField(choices=Unit.choices)

    class Meta:
        model = Item
        fields = ["id", *ITEM.api_names()]
        read_only_fields = ["id", "is_kit"]


class ItemApi(viewsets.ModelViewSet[Item]):
    """The item catalogue (read: everyone signed in; write: ``item.edit``)."""

    serializer_class = ItemSerializer
    lookup_field = "code"
    filterset_class = ItemFilterSet
    search_fields = ["code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> Any:
        return item_list(actor=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = services.item_create(
            actor=self.request.user, code=data.pop("code"), **data
        )

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("code", None)
        serializer.instance = services.item_update(
            actor=self.request.user, item=serializer.instance, **data
        )


class WarehouseSerializer(serializers.ModelSerializer[Warehouse]):
    code = serializers.CharField(source="facility.code", read_only=True)
    name = serializers.CharField(source="facility.name", read_only=True)
    place = serializers.CharField(source="facility.place.code", read_only=True)
    organisation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="acronym", read_only=True
    )

    class Meta:
        model = Warehouse
        fields = ["id", "code", "name", "place", "organisation", "is_active"]


class WarehouseApi(viewsets.ReadOnlyModelViewSet[Warehouse]):
    serializer_class = WarehouseSerializer

    def get_queryset(self) -> Any:
        return warehouse_list(actor=self.request.user)


# Where stock is, as codes: the warehouse's facility, the item, the lot (of a balance, of a
# ledger line). A comment, not a docstring: the schema would show it for every subclass.
class StockKeySerializer(serializers.Serializer[Any]):
    warehouse = serializers.CharField(source="warehouse.facility.code")
    item = serializers.CharField(source="item.code")
    lot = serializers.CharField(source="lot.code")


class BalanceSerializer(StockKeySerializer, serializers.ModelSerializer[StockBalance]):
    expiry_date = serializers.DateField(source="lot.expiry_date")

    class Meta:
        model = StockBalance
        fields = STOCK_COUNT.api_names()


class BalanceApi(viewsets.ReadOnlyModelViewSet[StockBalance]):
    """Stock on hand per warehouse × item × lot, in the caller's areas."""

    serializer_class = BalanceSerializer
    filterset_class = BalanceFilterSet

    def get_queryset(self) -> Any:
        return stock_balance_list(actor=self.request.user)


class TransactionSerializer(StockKeySerializer, serializers.ModelSerializer[StockTransaction]):
    actor = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = StockTransaction
        fields = [
            "id",
            "occurred_at",
            "kind",
            "warehouse",
            "item",
            "lot",
            "quantity",
            "reason",
            "reference",
            "group",
            "actor",
            "request_line",
            "pledge",
        ]


class TransactionApi(viewsets.ReadOnlyModelViewSet[StockTransaction]):
    """The append-only ledger (read only: corrections are new movements)."""

    serializer_class = TransactionSerializer
    filterset_class = TransactionFilterSet

    def get_queryset(self) -> Any:
        return stock_transaction_list(actor=self.request.user)


class MovementSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(
        choices=["receipt", "dispatch", "transfer", "loss", "count", "return"]
    )
    warehouse = WarehouseCodeField()
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = serializers.DecimalField(max_digits=16, decimal_places=3)
    lot = serializers.CharField(required=False, allow_blank=True, default="")
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)
    donor = donor_field(required=False, allow_null=True, default=None)
    destination = WarehouseCodeField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="")


def stock_movement(*, actor: Actor, data: dict[str, Any]) -> list[StockTransaction]:
    """Dispatch one parsed movement to its service (shared by the API and the page)."""
    kind, warehouse, item = data["kind"], data["warehouse"], data["item"]
    quantity, reason, reference = data["quantity"], data["reason"], data["reference"]
    if kind in {"receipt", "return"}:
        return [
            services.stock_receive(
                actor=actor,
                warehouse=warehouse,
                item=item,
                quantity=quantity,
                lot_code=data["lot"],
                expiry_date=data["expiry_date"],
                donor=data["donor"],
                reason=reason,
                reference=reference,
                kind=kind,
            )
        ]
    if kind == "dispatch":
        return services.stock_dispatch(
            actor=actor,
            warehouse=warehouse,
            item=item,
            quantity=quantity,
            reason=reason,
            reference=reference,
            lot_code=data.get("lot") or None,
        )
    if kind == "transfer":
        if not data.get("destination"):
            raise InvalidInput(field="destination")
        return services.stock_transfer(
            actor=actor,
            source=warehouse,
            destination=data["destination"],
            item=item,
            quantity=quantity,
            reason=reason,
            reference=reference,
        )
    lot = Lot.objects.filter(item=item, code=data["lot"]).first()
    if lot is None:
        raise InvalidInput(field="lot")
    if kind == "loss":
        return [
            services.stock_loss(
                actor=actor,
                warehouse=warehouse,
                lot=lot,
                quantity=quantity,
                reason=reason,
                reference=reference,
            )
        ]
    line = services.stock_count(
        actor=actor,
        warehouse=warehouse,
        lot=lot,
        counted=quantity,
        reference=reference,
        reason=reason,
    )
    return [line] if line else []


class MovementApi(APIView):
    """Record a stock movement through the ledger (receipt, dispatch FEFO, transfer, loss,
    count, return). 409 ``insufficient_stock`` when stock would go negative."""

    @extend_schema(request=MovementSerializer, responses={201: TransactionSerializer(many=True)})
    def post(self, request: Request) -> Response:
        serializer = MovementSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        lines = stock_movement(actor=request.user, data=dict(serializer.validated_data))
        return Response(
            TransactionSerializer(lines, many=True).data, status=status.HTTP_201_CREATED
        )


class PledgeSerializer(serializers.ModelSerializer[Pledge]):
    donor = donor_field()
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    warehouse = WarehouseCodeField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=PledgeStatus.choices, required=False)

    class Meta:
        model = Pledge
        fields = ["id", *PLEDGE.api_names()]


class PledgeApi(viewsets.ModelViewSet[Pledge]):
    """Pledges and the pipeline (``?status=pledged``)."""

    serializer_class = PledgeSerializer
    filterset_class = PledgeFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> Any:
        return pledge_list(actor=self.request.user)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.pledge_create(
            actor=self.request.user, **serializer.validated_data
        )
