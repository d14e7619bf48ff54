"""Every write of the people registry (validation, transaction, audit, permission check).

Topics: :mod:`.consent` (what a person agreed to, and the check every processing service
makes), :mod:`.subject` (what other apps hold about a person, for subject access).
"""

from reliefops.people.services.consent import (
    ConsentMissing,
    consent_in_force,
    consent_require,
)
from reliefops.people.services.subject import SubjectData, subject_data_register

__all__ = [
    "ConsentMissing",
    "SubjectData",
    "consent_in_force",
    "consent_require",
    "subject_data_register",
]

# --- added for pweb (replaced by pcore at merge)
from reliefops.people.services._pweb_stubs import (
    PersonInput,
    consent_record,
    consent_withdraw,
    duplicate_dismiss,
    identity_reveal,
    merge_undo,
    person_deactivate,
    person_erase,
    person_merge,
    person_register,
    person_update,
    subject_access_export,
)

__all__ += [
    "PersonInput",
    "consent_record",
    "consent_withdraw",
    "duplicate_dismiss",
    "identity_reveal",
    "merge_undo",
    "person_deactivate",
    "person_erase",
    "person_merge",
    "person_register",
    "person_update",
    "subject_access_export",
]
