"""URLs of the stock domain: pages under /stock/ and the API under /api/v1/."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from reliefops.stock import api, views

app_name = "stock"

router = SimpleRouter()
router.register("items", api.ItemApi, basename="item")
router.register("warehouses", api.WarehouseApi, basename="warehouse")
router.register("stock/balances", api.BalanceApi, basename="stock-balance")
router.register("stock/transactions", api.TransactionApi, basename="stock-transaction")
router.register("pledges", api.PledgeApi, basename="pledge")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.balance_list_view, name="balance_list"),
    path("items/", views.item_list_view, name="item_list"),
    path("ledger/", views.transaction_list_view, name="transaction_list"),
    path("pledges/", views.pledge_list_view, name="pledge_list"),
]
api_urlpatterns: list[URLPattern | URLResolver] = [
    path("stock/movements/", api.MovementApi.as_view(), name="stock-movement"),
    path("", include(router.urls)),
]
