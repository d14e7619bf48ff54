"""Write paths of the notices domain for the write-scope property test.

Notices are not area-scoped records: each belongs to its recipient, and only the
recipient reads or marks it (tests/notices/test_pages_api.py and test_services.py check
that another user's notice is not found). ``notify`` writes notices for the people a
scoped service names, inside that service's own checked write.
"""

from __future__ import annotations

from tests.core.writescope import not_a_write

S = "reliefops.notices.services"
not_a_write(f"{S}.notify", "called by scoped services inside their checked write")
not_a_write(f"{S}.notice_read", "the user's own notice (another's is not found)")
not_a_write(f"{S}.notice_read_all", "the user's own notices")
not_a_write(f"{S}.notices_email_send", "marks notices e-mailed (the job after notify)")
not_a_write(f"{S}.notices_email_retry", "marks notices e-mailed (the beat job)")
not_a_write(f"{S}.reminders_send", "the beat job: notify for the registered providers")
not_a_write(f"{S}.dedup_key", "pure: the deduplication key")
not_a_write(f"{S}.recipient_language", "read: the language a recipient reads")
not_a_write("POST /api/v1/notices/{id}/read/", "the user's own notice")
not_a_write("POST /api/v1/notices/read-all/", "the user's own notices")
not_a_write("notices:notice_list", "read-only page (the user's own notices)")
not_a_write("notices:notice_bell", "read-only fragment (the unread count)")
not_a_write("notices:notice_open", "marks the user's own notice read")
not_a_write("notices:notice_read_all", "marks the user's own notices read")
