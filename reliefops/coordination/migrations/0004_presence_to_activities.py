"""Every 3W presence becomes a 4W activity (nothing lost), then the presence table goes.

Carried over: the organisation, the area, the sector, the activity text, the start and
end dates, who created and last changed it and when; the activity keeps the presence's
id. The 4W IDs follow the presences' creation order (``4W-00001`` …). The status follows
the dates on the day of the migration: ended before it → completed, starting after it →
planned, else ongoing. People counts stay empty (presence held none).
"""

import datetime as dt

from django.db import migrations


def activity_status(start, end, today):
    if end is not None and end < today:
        return "completed"
    if start is not None and start > today:
        return "planned"
    return "ongoing"


def presence_to_activities(apps, schema_editor, today=None):
    Presence = apps.get_model("coordination", "Presence")
    Activity = apps.get_model("coordination", "Activity")
    today = today or dt.date.today()
    taken = set(Activity.objects.values_list("reference", flat=True))
    number = 0
    for presence in Presence.objects.order_by("created_at", "id"):
        number += 1
        while f"4W-{number:05d}" in taken:
            number += 1
        activity = Activity.objects.create(
            id=presence.id,
            reference=f"4W-{number:05d}",
            organisation_id=presence.organisation_id,
            area_id=presence.area_id,
            sector=presence.sector,
            activity=presence.activity,
            start_date=presence.start_date,
            end_date=presence.end_date,
            status=activity_status(presence.start_date, presence.end_date, today),
            created_by_id=presence.created_by_id,
            updated_by_id=presence.updated_by_id,
        )
        # auto_now(_add) set both stamps on create: carry the presence's own over.
        Activity.objects.filter(pk=activity.pk).update(
            created_at=presence.created_at, updated_at=presence.updated_at
        )


def activities_to_presence(apps, schema_editor):
    """Backwards: each activity becomes a presence again (what presence can hold)."""
    Presence = apps.get_model("coordination", "Presence")
    Activity = apps.get_model("coordination", "Activity")
    for activity in Activity.objects.all():
        Presence.objects.create(
            id=activity.id,
            organisation_id=activity.organisation_id,
            area_id=activity.area_id,
            sector=activity.sector,
            activity=activity.activity[:200],
            start_date=activity.start_date,
            end_date=activity.end_date,
            created_by_id=activity.created_by_id,
            updated_by_id=activity.updated_by_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0003_activities"),
    ]

    operations = [
        migrations.RunPython(presence_to_activities, activities_to_presence),
        migrations.DeleteModel(name="HistoricalPresence"),
        migrations.DeleteModel(name="Presence"),
    ]
