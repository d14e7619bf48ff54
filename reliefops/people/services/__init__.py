"""Every write of the people registry (validation, transaction, audit, permission check).

Topics: :mod:`.registry` (registering and changing a record), :mod:`.consent` (what a
person agreed to, and the check every processing service makes), :mod:`.identity` (the
logged ways identity leaves the registry: reveal, subject access, erasure),
:mod:`.merges` (duplicates), :mod:`.subject` (what other apps hold about a person, for
subject access and erasure).
"""

from reliefops.people.services.consent import (
    ConsentMissing,
    consent_in_force,
    consent_record,
    consent_require,
    consent_state,
    consent_withdraw,
)
from reliefops.people.services.identity import (
    PURPOSE_CONSENT,
    identity_access_purge,
    identity_reveal,
    person_erase,
    persons_erase_expired,
    subject_access_export,
)
from reliefops.people.services.merges import duplicate_dismiss, merge_undo, person_merge
from reliefops.people.services.registry import (
    PERSON_FIELDS,
    ConsentInput,
    PersonInput,
    person_deactivate,
    person_register,
    person_register_check,
    person_update,
    reference_new,
)
from reliefops.people.services.subject import SubjectData, subject_data_register

__all__ = [
    "PERSON_FIELDS",
    "PURPOSE_CONSENT",
    "ConsentInput",
    "ConsentMissing",
    "PersonInput",
    "SubjectData",
    "consent_in_force",
    "consent_record",
    "consent_require",
    "consent_state",
    "consent_withdraw",
    "duplicate_dismiss",
    "identity_access_purge",
    "identity_reveal",
    "merge_undo",
    "person_deactivate",
    "person_erase",
    "person_merge",
    "person_register",
    "person_register_check",
    "person_update",
    "persons_erase_expired",
    "reference_new",
    "subject_access_export",
    "subject_data_register",
]
