"""Pages of the stock domain: balances with the movement form, catalogue, ledger, pledges."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core.actions import Action
from reliefops.core.forms import DateInput
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.pages import form_page
from reliefops.core.permissions import user_can
from reliefops.stock.api import stock_movement
from reliefops.stock.choices import ItemCategory, PledgeStatus, TransactionKind, Unit
from reliefops.stock.filtersets import (
    BalanceFilterSet,
    ItemFilterSet,
    PledgeFilterSet,
    TransactionFilterSet,
)
from reliefops.stock.models import Item
from reliefops.stock.selectors import (
    donor_list,
    item_list,
    pledge_list,
    stock_balance_list,
    stock_transaction_list,
    warehouse_list,
)

MOVEMENTS = [
    ("receipt", gettext_lazy("Receipt")),
    ("dispatch", gettext_lazy("Dispatch (FEFO)")),
    ("transfer", gettext_lazy("Transfer")),
    ("loss", gettext_lazy("Loss / damage")),
    ("count", gettext_lazy("Physical count")),
    ("return", gettext_lazy("Return")),
]


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Movement"), choices=MOVEMENTS)
    warehouse: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Warehouse"), queryset=None
    )
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Item"), queryset=None
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity (counted, for a count)"),
        min_value=0,
        max_digits=16,
        decimal_places=3,
    )
    lot = forms.CharField(label=gettext_lazy("Lot"), required=False)
    expiry_date = forms.DateField(label=gettext_lazy("Expiry"), required=False, widget=DateInput())
    donor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("Donor"), required=False, queryset=None
    )
    destination: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=gettext_lazy("To warehouse (transfer)"), queryset=None, required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)
    reference = forms.CharField(label=gettext_lazy("Reference document"), required=False)

    def __init__(self, *args, warehouses, donors, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses
        self.fields["donor"].queryset = donors
        self.fields["destination"].queryset = warehouses.model.objects.filter(
            is_active=True
        ).select_related("facility")  # (a warehouse is named by its facility)
        self.fields["item"].queryset = Item.objects.filter(is_active=True)


@login_required
def balance_list_view(request: HttpRequest) -> HttpResponse:
    warehouses = warehouse_list(actor=request.user)
    can_move = any(
        user_can(request.user, a)
        for a in (
            Action.STOCK_RECEIVE,
            Action.STOCK_DISPATCH,
            Action.STOCK_COUNT,
            Action.STOCK_ADJUST,
        )
    )
    form = (
        MovementForm(
            request.POST or None, warehouses=warehouses, donors=donor_list(actor=request.user)
        )
        if can_move
        else None
    )
    lst = list_page(
        request,
        BalanceFilterSet,
        stock_balance_list(actor=request.user),
        target="#balance-list",
        export_kind="stock",
        form_id="balance-filters",
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "warehouses": warehouses,
        "items": item_list(actor=request.user),
        "categories": ItemCategory.choices,
        "today": timezone.localdate(),
        "form": form,
    }
    # A refused movement (not enough stock, out of scope…) re-shows the form with the error.
    page = form_page(
        request,
        "stock/balance_list.html",
        context,
        form=form,
        partial="stock/partials/balance_rows.html",
    )
    if form is not None and request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["lot"] = data["lot"] or ""
        lines = stock_movement(actor=request.user, data=data)
        messages.success(request, _("%(n)s ledger lines recorded.") % {"n": len(lines)})
        return redirect("stock:balance_list")
    return page.render(request)


@login_required
def item_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        ItemFilterSet,
        item_list(actor=request.user),
        target="#item-list",
        export_kind="items",
        form_id="item-filters",
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "categories": ItemCategory.choices,
        "units": Unit.choices,
    }
    return render(request, "stock/item_list.html", context, partial="stock/partials/item_rows.html")


@login_required
def transaction_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        TransactionFilterSet,
        stock_transaction_list(actor=request.user),
        target="#ledger-list",
        export_kind="ledger",
        form_id="ledger-filters",
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "kinds": TransactionKind.choices,
        "warehouses": warehouse_list(actor=request.user),
        "items": item_list(actor=request.user),
    }
    return render(
        request,
        "stock/transaction_list.html",
        context,
        partial="stock/partials/transaction_rows.html",
    )


@login_required
def pledge_list_view(request: HttpRequest) -> HttpResponse:
    lst = list_page(
        request,
        PledgeFilterSet,
        pledge_list(actor=request.user),
        target="#pledge-list",
        export_kind="pledges",
        form_id="pledge-filters",
    )
    context = {
        "lst": lst,
        "values": lst.values,
        "statuses": PledgeStatus.choices,
        "donors": donor_list(actor=request.user),
        "items": item_list(actor=request.user),
    }
    return render(
        request, "stock/pledge_list.html", context, partial="stock/partials/pledge_rows.html"
    )
