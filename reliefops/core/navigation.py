"""Navigation entries; the base layout shows those the user's roles allow."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reliefops.core.actions import Action


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    action: Action = Action.VIEW


NAV: list[NavItem] = [
    NavItem(_("Home"), "home"),
    NavItem(_("Map"), "reports:map"),
    NavItem(_("Requests"), "needs:request_list"),
    NavItem(_("Gaps"), "needs:gap"),
    NavItem(_("Stock"), "stock:balance_list"),
    NavItem(_("Convoys"), "logistics:convoy_list"),
    NavItem(_("Teams"), "teams:team_list"),
    NavItem(_("Due visits"), "teams:due_list", Action.PERSON_READ),
    NavItem(pgettext_lazy("navigation", "People"), "people:person_list", Action.PERSON_READ),
    NavItem(_("Hospitals"), "teams:hospital_list"),
    NavItem(_("Estimators"), "needs:estimators"),
    NavItem(_("Import/Export"), "intake:upload", Action.IMPORT_RUN),
    NavItem(_("Activities (4W)"), "coordination:activity_list"),
    NavItem(_("Organisations"), "coordination:organisation_list"),
    NavItem(_("Meetings"), "coordination:meeting_list"),  # --- added for meetings
    # --- added for crossings
    NavItem(_("Crossings"), "crossings:overview"),
]
# --- added for pages
NAV.insert(6, NavItem(_("Plans"), "dayplans:plan_list", Action.PLAN_RUN))
# --- added for reports: the dashboard and the situation report
NAV.insert(1, NavItem(_("Dashboard"), "reports:dashboard"))
NAV.insert(2, NavItem(_("Situation report"), "reports:sitrep"))
# --- added for retention: the data-protection officer's audit trail
NAV.append(NavItem(_("Audit trail"), "people:audit_trail", Action.ACCESS_LOG_VIEW))
