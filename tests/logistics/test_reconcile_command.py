"""``reliefops convoy_reconcile``: per convoy and item, dispatched against what is
accounted for; a non-zero difference fails the command."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from reliefops.logistics import services
from reliefops.logistics.models import ConsignmentLine
from tests.logistics import scene as world

pytestmark = pytest.mark.django_db


def _on_the_road() -> tuple[world.Scene, Any]:
    """The scene's convoy departed; the kindergarten received its goods with 40 l of
    diesel short (leaked); the school's bread is still on board."""
    scene = world.build()
    convoy = world.plan(scene)
    services.convoy_load(actor=scene.officer, convoy=convoy)
    services.convoy_depart(actor=scene.officer, convoy=convoy)
    stop = convoy.stops.get(facility=scene.kindergarten)
    receipts = {
        line.pk: services.Receipt(line.quantity - 40, short=Decimal("40"), short_reason="leaked")
        for line in ConsignmentLine.objects.filter(stop=stop, item=scene.diesel, lot__code="D-LATE")
    }
    services.delivery_confirm(
        actor=scene.officer,
        convoy=convoy,
        data=services.DeliveryInput(
            stop=stop,
            receiver_name="Head teacher",
            received_at=timezone.make_aware(dt.datetime.combine(world.DAY, dt.time(12))),
            receipts=receipts,
        ),
    )
    return scene, convoy


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("convoy_reconcile", *args, stdout=out)
    return out.getvalue()


def test_a_balanced_convoy_prints_every_item_and_passes() -> None:
    _scene, convoy = _on_the_road()
    text = _run(convoy.code)
    lines = text.splitlines()
    assert lines[0] == f"{convoy.code} (arrived): balanced"
    assert lines[1].split() == [
        "item",
        "dispatched",
        "delivered",
        "short",
        "damaged",
        "returned",
        "on",
        "board",
        "difference",
    ]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:-1]}
    # dispatched, delivered, short, damaged, returned, on board, difference
    assert rows["DSL"] == ["1000", "960", "40", "0", "0", "0", "0"]
    assert rows["BRD"] == ["500", "300", "0", "0", "0", "200", "0"]
    assert lines[-1] == "1 convoy: every item accounted for"
    # Without codes: every convoy past planning (this one).
    assert _run() == text


def test_json_output() -> None:
    _scene, convoy = _on_the_road()
    body = json.loads(_run(convoy.code, "--json"))
    assert body["ok"] is True
    (entry,) = body["convoys"]
    assert entry["code"] == convoy.code and entry["balanced"] is True
    diesel = next(i for i in entry["items"] if i["item"] == "DSL")
    assert diesel == {
        "item": "DSL",
        "dispatched": "1000",
        "delivered": "960",
        "short": "40",
        "damaged": "0",
        "returned": "0",
        "on_board": "0",
        "difference": "0",
    }


def test_a_difference_fails_the_command_and_names_the_convoy() -> None:
    _scene, convoy = _on_the_road()
    # Goods recorded as delivered that the ledger never dispatched (a line edited behind
    # the services' back): the check must notice.
    line = ConsignmentLine.objects.filter(carrier__convoy=convoy, item__code="BRD").first()
    ConsignmentLine.objects.filter(pk=line.pk).update(quantity=line.quantity + 5)
    out = io.StringIO()
    with pytest.raises(CommandError, match="not accounted for"):
        call_command("convoy_reconcile", convoy.code, stdout=out)
    text = out.getvalue()
    assert f"{convoy.code} (arrived): DIFFERENCE" in text
    bread = next(ln for ln in text.splitlines() if ln.split()[:1] == ["BRD"])
    assert bread.split()[-1] == "-5"  # 500 dispatched, 505 accounted for
    assert text.splitlines()[-1] == f"1 of 1 convoy do not balance: {convoy.code}"
    with pytest.raises(CommandError):
        call_command("convoy_reconcile", "--json", stdout=io.StringIO())


def test_an_unknown_code_is_an_error() -> None:
    with pytest.raises(CommandError, match="No such convoy: CV-NONE"):
        call_command("convoy_reconcile", "CV-NONE", stdout=io.StringIO())
