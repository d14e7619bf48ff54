"""Write paths of the KoboToolbox/ODK webhook for the write-scope property test.

The webhook acts as its form's user: the probe configures a home-visit form acting as
the attempt's user (setup, not the attempt) and sends a real-shaped KoboToolbox
submission naming the person and team of the target area and organisation, as a first
instance or as an edit of an earlier one. The visit it may write must lie in the user's
scope, exactly as through ``POST /api/v1/visits/``.
"""

from __future__ import annotations

import json
import uuid

from reliefops.intake.kobo.services import secret_digest
from reliefops.intake.models import FormLink
from tests.core.writescope import Attempt, api, not_a_write
from tests.intake.kobo_world import FORMS, payload

not_a_write("intake:form_links", "read-only page (the form links and what they received)")
SECRET = "write-scope-kobo-secret"


def _link(t: Attempt) -> FormLink:
    spec = json.loads((FORMS / "home_visit.mapping.json").read_text(encoding="utf-8"))
    link, _created = FormLink.objects.update_or_create(
        key="ws-home-visit",
        defaults={
            "title": "write scope",
            "kind": spec["kind"],
            "mapping": spec["mapping"],
            "user": t.actor,
            "secret_hash": secret_digest(SECRET),
            "attachment_max_files": 1,
        },
    )
    return link


@api("POST /api/v1/kobo/{key}/")
def _kobo_submission(t: Attempt) -> None:
    link = _link(t)
    body = payload("kobo_home_visit")
    first = str(uuid.uuid4())
    body.update(
        {
            "visit/person_ref": t.world.team_person[t.area].reference,
            "visit/team_code": t.world.team[(t.area, t.org)].code,
            "meta/instanceID": f"uuid:{first}",
            "_uuid": first,
            "_xform_id_string": "reliefops_home_visit",
        }
    )
    body.pop("_attachments")
    if t.draw(["first", "edit"]) == "edit":
        headers = {"HTTP_AUTHORIZATION": f"Token {SECRET}"}
        t.api.post(f"/api/v1/kobo/{link.key}/", body, format="json", **headers)
        edit = str(uuid.uuid4())
        body.update(
            {
                "meta/instanceID": f"uuid:{edit}",
                "meta/deprecatedID": f"uuid:{first}",
                "_uuid": edit,
                "services/given": "food_parcel",
            }
        )
    t.api.post(
        f"/api/v1/kobo/{link.key}/", body, format="json", HTTP_AUTHORIZATION=f"Token {SECRET}"
    )
