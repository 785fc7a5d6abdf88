"""The outbox: every email owed about an inquiry and what became of it."""

from django.contrib import admin

from inquiries.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """A read-only record of the emails owed and what became of them."""

    list_display = ["kind", "inquiry", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["inquiry"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
