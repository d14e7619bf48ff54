"""URLs of the people domain: pages under /people/ and the API under /api/v1/.

No URL carries an identity value: a person is named by their pseudonymous reference, and
what a reveal, a duplicate review or an erasure needs travels in a POST body.
"""

from django.urls import URLPattern, URLResolver, path

from reliefops.people import api
from reliefops.people.views import dpo, duplicates, persons

app_name = "people"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", persons.person_list_view, name="person_list"),
    path("new/", persons.person_create_view, name="person_create"),
    path("duplicates/", duplicates.duplicate_list_view, name="duplicates"),
    path("duplicates/reveal/", duplicates.duplicate_reveal_view, name="duplicate_reveal"),
    path("duplicates/merge/", duplicates.duplicate_merge_view, name="duplicate_merge"),
    path("duplicates/dismiss/", duplicates.duplicate_dismiss_view, name="duplicate_dismiss"),
    path("access-log/", dpo.access_log_view, name="access_log"),
    path("audit-trail/", dpo.audit_trail_view, name="audit_trail"),
    path("merges/", dpo.merge_list_view, name="merge_list"),
    path("merges/<uuid:pk>/undo/", dpo.merge_undo_view, name="merge_undo"),
    path("<str:reference>/", persons.person_detail_view, name="person_detail"),
    path("<str:reference>/edit/", persons.person_edit_view, name="person_edit"),
    path("<str:reference>/reveal/", persons.person_reveal_view, name="person_reveal"),
    path("<str:reference>/consent/", persons.consent_record_view, name="consent_record"),
    path(
        "<str:reference>/consent/withdraw/",
        persons.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("<str:reference>/deactivate/", persons.person_deactivate_view, name="person_deactivate"),
    path("<str:reference>/subject-access/", dpo.subject_access_view, name="subject_access"),
    path("<str:reference>/erase/", dpo.person_erase_view, name="person_erase"),
]
api_urlpatterns: list[URLPattern | URLResolver] = api.API_URLPATTERNS
