"""Retention of the logistics domain's personal data (drivers' contacts, the proof of
delivery's receiver and photo), run by the system from :mod:`reliefops.logistics.retention`.
Each function works inside the caller's transaction; files go after the commit."""

from __future__ import annotations

import datetime as dt

from reliefops.core.retention import file_delete_on_commit
from reliefops.logistics.models import Delivery, Driver

#: What an anonymised name reads (the record, its links and counts stay).
ERASED = "(erased)"


def drivers_anonymise_inactive(*, cutoff: dt.datetime) -> dict[str, int]:
    """Drivers marked inactive and unchanged since ``cutoff``: name, phone and licence
    number erased, their history rows (which hold the name) deleted. Convoys keep the
    link to the anonymised driver."""
    expired = Driver.objects.filter(is_active=False, updated_at__lt=cutoff).exclude(name=ERASED)
    ids = list(expired.values_list("pk", flat=True))
    history, _by_model = Driver.history.filter(id__in=ids).delete()  # type: ignore[attr-defined]
    changed = Driver.objects.filter(pk__in=ids).update(
        name=ERASED, phone=None, licence_number=None, languages=""
    )
    return {"drivers_anonymised": changed, "history_rows_deleted": history}


def deliveries_anonymise(*, cutoff: dt.datetime) -> dict[str, int]:
    """Proofs of delivery received before ``cutoff``: the receiver's name and the note
    erased, the photo of the signed note deleted from the storage. The delivery (when,
    at which stop, the role of the receiver) stays for the convoy's accounts."""
    expired = Delivery.objects.filter(received_at__lt=cutoff).exclude(
        receiver_name=ERASED, photo=""
    )
    rows = list(expired.select_for_update())
    files = file_delete_on_commit(d.photo for d in rows)
    changed = Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
        receiver_name=ERASED, note="", photo="", photo_type=""
    )
    return {"deliveries_anonymised": changed, "photos_deleted": files}
