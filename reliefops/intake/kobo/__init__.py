"""KoboToolbox / ODK submissions into ReliefOps: a webhook, configurable mappings, edits.

``POST /api/v1/kobo/<form key>/`` receives one submission of a form as KoboToolbox REST
services send it (JSON with flat group paths — ``visit/services``, ``meta/instanceID`` —
and ``_uuid``, ``_submission_time``, ``_attachments`` …) or as ODK Central's OData
represents it (nested groups, ``__id``, ``__system``), or as an OpenRosa multipart upload
(``xml_submission_file`` plus the media files). The path from the body to a record:

1. :mod:`.payloads` reads the body into ONE flat shape (nested groups become slash
   paths, so one mapping serves both servers) and its metadata (instance id, the
   instance it edits, submitter, submission time, form id and version, attachments,
   geolocation).
2. :mod:`.mapping` turns the flat answers into the ``data`` of a field submission of the
   link's kind (the kind's export column names), column by column, with small transforms
   (constant, select_multiple → list, choice value map, date/datetime, place name → place
   code through the project's one place resolver, geopoint parts). Errors name the source
   path AND the target column.
3. :mod:`.services` authenticates the link's shared secret, derives the submission id
   from the instance id (uuid5), follows edits to the first instance of the chain, and
   hands ``{"id", "kind", "data"}`` to the one submissions mechanism of
   :mod:`reliefops.intake` acting as the link's user (or the mapped submitter), so the
   same services, permission checks and transition tables apply as on the pages. One
   :class:`~.models.FormInstance` row per received instance makes a replay answer the
   original result without applying anything twice.

Models (:mod:`.models`) are imported by :mod:`reliefops.intake.models`; the admin, the page
and the ``reliefops kobo_forms`` command manage :class:`~.models.FormLink` rows
(``form_link.manage``). The shipped example forms and mappings live in ``forms/``; the
user documentation is ``docs/kobo.md``.
"""
