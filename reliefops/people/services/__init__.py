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
