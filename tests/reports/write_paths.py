"""The reports domain writes nothing scoped (write-scope property test, tests/core/writescope):
the dashboard, its map layers and the situation report (preview and downloads, generated
on request and not stored) only read through the other apps' scoped selectors."""

from __future__ import annotations

from tests.core.writescope import not_a_write

for name in ("reports:map", "reports:admin_areas_geojson", "reports:requests_geojson"):
    not_a_write(name, "read-only page")
not_a_write("reports:dashboard", "read-only page: the report sections of a day")
not_a_write("reports:heating_geojson", "read-only map layer")
not_a_write("reports:sitrep", "generates the report on request (GET); nothing is stored")

# --- added for sitrep mail: the weekly situation report by e-mail. A subscription is the
# subscriber's own (another user's needs user.manage: administrators), not area-scoped
# data; the report it sends is generated as the subscriber (tests/reports/test_sitrep_mail.py
# checks that it holds no figure of another area).
S = "reliefops.reports.services"
not_a_write(f"{S}.sitrep_subscribe", "the user's own subscription (another's: user.manage)")
not_a_write(f"{S}.sitrep_unsubscribe", "the user's own subscription (another's: user.manage)")
not_a_write(f"{S}.sitrep_weekly_send", "the beat job: the dispatch log of the subscriptions")
not_a_write("reports:sitrep_subscription", "the user's own weekly-sitrep subscription")
