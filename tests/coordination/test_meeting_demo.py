"""The meetings of the demo scenario: the headquarters and its groups, the Yevlakh
decisions turned into requests, the Khojaly action items (some overdue on the scenario
day), the civil-society visit; loading twice changes nothing."""

from __future__ import annotations

import io
from importlib import import_module

import pytest
from django.utils import timezone

from reliefops.accounts.models import User
from reliefops.coordination import demo, selectors
from reliefops.coordination.models import ActionItem, Contact, Meeting, WorkingGroup
from reliefops.needs.models import Request

pytestmark = pytest.mark.django_db

BELOW = ["core", "organisations", "places", "accounts", "stock"]


def test_the_demo_meetings() -> None:
    for app in BELOW:
        import_module(f"reliefops.{app}.demo").load(stdout=io.StringIO())
    out = io.StringIO()
    demo.meetings_load(stdout=out)
    demo.meetings_load(stdout=out)  # idempotent
    hq = WorkingGroup.objects.get(code="CHQ")
    assert hq.kind == "headquarters"
    assert {g.code for g in hq.groups.all()} == {"WG-HEAT", "WG-HEALTH", "WG-FOOD", "WG-LOG", "JWG"}
    assert WorkingGroup.objects.get(code="WG-HEAT").sector == "energy"
    kinds = dict(Meeting.objects.values_list("title", "kind"))
    assert len(kinds) == 3 and "civil_society" in kinds.values()
    yevlakh = Meeting.objects.get(working_group__code="WG-HEAT")
    assert "Yevlakh" in yevlakh.place.names.values()
    requests = Request.objects.filter(source="working_group", decision_reference__startswith="MTG-")
    assert requests.count() == 3
    assert any("kindergartens and schools in Khankendi" in r.decision_reference for r in requests)
    khojaly = Meeting.objects.get(working_group__code="JWG")
    assert "speak Azerbaijani, Russian and Armenian" in khojaly.minutes
    items = ActionItem.objects.filter(meeting=khojaly)
    assert items.count() == 3 and items.filter(status="in_progress").count() == 1
    coordinator = User.objects.get(username="coordinator")
    overdue = selectors.action_item_overdue_list(actor=coordinator, on=timezone.localdate())
    assert {i.owner_organisation.acronym for i in overdue} == {"HEALTH", "MES"}
    assert Contact.objects.filter(areas__isnull=True).count() == 1
    assert "requests from decisions: 3" in out.getvalue()
