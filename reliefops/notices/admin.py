from django.contrib import admin

from reliefops.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("created_at", "recipient", "kind", "reference", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("reference", "recipient__username")
    readonly_fields = [f.name for f in Notice._meta.fields]
