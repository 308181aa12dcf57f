from django.contrib import admin

from audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The log is append-only: the admin can only read it."""

    list_display = (
        "seq",
        "created_at",
        "actor_label",
        "action",
        "object_type",
        "object_label",
        "provider_label",
    )
    list_filter = ("action", "object_type")
    search_fields = ("object_label", "actor_label", "reason", "request_id")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
