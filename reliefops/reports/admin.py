from django.contrib import admin

from reliefops.reports.models import SitrepDispatch, SitrepSubscription


@admin.register(SitrepSubscription)
class SitrepSubscriptionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: subscriptions change through the sitrep page's services (audited)."""

    list_display = ("user", "language", "attachment", "active", "updated_at")
    list_filter = ("active", "language", "attachment")
    search_fields = ("user__username", "user__email")
    readonly_fields = [f.name for f in SitrepSubscription._meta.fields]


@admin.register(SitrepDispatch)
class SitrepDispatchAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The weekly job's log: what was sent to whom, and why a send failed."""

    list_display = ("report_date", "subscription", "status", "sent_at", "error")
    list_filter = ("status", "report_date")
    search_fields = ("subscription__user__username",)
    readonly_fields = [f.name for f in SitrepDispatch._meta.fields]
