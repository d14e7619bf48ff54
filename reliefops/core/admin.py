from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from reliefops.core.models import AuditEvent

# The product's name on every admin page; "View site" leads back to the overview.
admin.site.site_header = _("ReliefOps administration")
admin.site.site_title = _("ReliefOps admin")
admin.site.index_title = _("Records and accounts")
admin.site.site_url = "/"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "object_repr", "action")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
