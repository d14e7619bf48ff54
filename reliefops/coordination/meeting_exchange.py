"""Exchange kinds of meetings, export only: ``meetings`` (one row per meeting with its
agenda), ``decisions`` (one row per decision, with the requests it became) and
``action-items`` (one row per item with its owner, due date, status and links). Each
reads its list's filters (``meeting_filtersets``) and the actor's scope; contact
details never leave through an export (the owner contact by name only)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from reliefops.coordination.meeting_filtersets import (
    ActionItemFilterSet,
    DecisionFilterSet,
    MeetingFilterSet,
)
from reliefops.coordination.meeting_selectors import (
    action_item_is_overdue,
    action_item_list,
    decision_list,
    meeting_list,
)
from reliefops.core import exchange as ex
from reliefops.core.i18n import localized

MEETING_COLUMNS = [
    ex.Column("reference", hxl="#meeting+id"),
    ex.Column("title", hxl="#meeting+name"),
    ex.Column("kind", hxl="#meeting+type"),
    ex.Column("working_group", hxl="#group+code"),
    ex.Column("organisation", hxl="#org+convener+acronym"),
    ex.Column("starts_at", hxl="#date+start"),
    ex.Column("ends_at", hxl="#date+end"),
    ex.Column("place", hxl="#loc+code"),
    ex.Column("place_name", hxl="#loc+name"),
    ex.Column("area", hxl="#adm1+code"),
    ex.Column("organisations", hxl="#org+participant+list"),
    ex.Column("agenda", hxl="#meeting+agenda"),
    ex.Column("decisions", hxl="#indicator+decisions+num"),
    ex.Column("action_items", hxl="#indicator+actions+num"),
]


def _local(value: Any) -> Any:
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class MeetingExporter(ex.Exporter):
    columns = MEETING_COLUMNS
    filterset = MeetingFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        qs = self.filtered(meeting_list(actor=self.actor)).prefetch_related(
            "agenda__decisions", "action_items"
        )
        for m in qs:
            agenda = sorted(m.agenda.all(), key=lambda a: a.position)
            yield {
                "reference": m.reference,
                "title": m.title,
                "kind": m.kind,
                "working_group": m.working_group.code if m.working_group else "",
                "organisation": m.organisation.acronym,
                "starts_at": _local(m.starts_at),
                "ends_at": _local(m.ends_at),
                "place": m.place.code,
                "place_name": localized(m.place.names) or m.place.code,
                "area": m.area.code if m.area else "",
                "organisations": " ".join(sorted(o.acronym for o in m.organisations.all())),
                "agenda": " | ".join(f"{a.position}. {a.title}" for a in agenda),
                "decisions": sum(len(a.decisions.all()) for a in agenda),
                "action_items": len(m.action_items.all()),
            }


DECISION_COLUMNS = [
    ex.Column("reference", hxl="#decision+id"),
    ex.Column("meeting", hxl="#meeting+id"),
    ex.Column("meeting_date", hxl="#date"),
    ex.Column("working_group", hxl="#group+code"),
    ex.Column("agenda_item", hxl="#meeting+agenda+num"),
    ex.Column("agenda_title", hxl="#meeting+agenda+name"),
    ex.Column("text", hxl="#decision+description"),
    ex.Column("requests", hxl="#request+id+list"),
]


class DecisionExporter(ex.Exporter):
    columns = DECISION_COLUMNS
    filterset = DecisionFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        for d in self.filtered(decision_list(actor=self.actor)):
            meeting = d.agenda_item.meeting
            yield {
                "reference": d.reference,
                "meeting": meeting.reference,
                "meeting_date": timezone.localtime(meeting.starts_at).date(),
                "working_group": meeting.working_group.code if meeting.working_group else "",
                "agenda_item": d.agenda_item.position,
                "agenda_title": d.agenda_item.title,
                "text": d.text,
                "requests": " ".join(sorted(r.reference for r in d.requests.all())),
            }


ACTION_ITEM_COLUMNS = [
    ex.Column("reference", hxl="#action+id"),
    ex.Column("meeting", hxl="#meeting+id"),
    ex.Column("decision", hxl="#decision+id"),
    ex.Column("title", hxl="#action+name"),
    ex.Column("owner_organisation", hxl="#org+owner+acronym"),
    ex.Column("owner_contact", hxl="#contact+owner+name"),
    ex.Column("due_date", hxl="#date+due"),
    ex.Column("status", hxl="#status"),
    ex.Column("overdue", hxl="#status+overdue"),
    ex.Column("requests", hxl="#request+id+list"),
    ex.Column("convoys", hxl="#convoy+id+list"),
    ex.Column("plan_runs", hxl="#plan+id+list"),
    ex.Column("visits", hxl="#visit+num"),
]


class ActionItemExporter(ex.Exporter):
    columns = ACTION_ITEM_COLUMNS
    filterset = ActionItemFilterSet

    def rows(self) -> Iterator[dict[str, Any]]:
        qs = self.filtered(action_item_list(actor=self.actor)).prefetch_related(
            "requests", "convoys", "plan_runs", "visits"
        )
        today = timezone.localdate()
        for a in qs:
            yield {
                "reference": a.reference,
                "meeting": a.meeting.reference,
                "decision": a.decision.reference if a.decision else "",
                "title": a.title,
                "owner_organisation": a.owner_organisation.acronym,
                "owner_contact": a.owner_contact.name if a.owner_contact else "",
                "due_date": a.due_date,
                "status": a.status,
                "overdue": action_item_is_overdue(a, today),
                "requests": " ".join(sorted(r.reference for r in a.requests.all())),
                "convoys": " ".join(sorted(c.code for c in a.convoys.all())),
                "plan_runs": " ".join(sorted(p.reference for p in a.plan_runs.all())),
                "visits": len(a.visits.all()),
            }


ex.register("meetings", exporter=MeetingExporter, label=gettext_lazy("Meetings"))
ex.register("decisions", exporter=DecisionExporter, label=gettext_lazy("Decisions"))
ex.register("action-items", exporter=ActionItemExporter, label=gettext_lazy("Action items"))
