"""Which representatives take a program's new inquiries, round-robin."""

from django.contrib import admin

from inquiries import selectors
from inquiries.models import Coverage


@admin.register(Coverage)
class CoverageAdmin(admin.ModelAdmin):
    list_display = ["representative", "program", "last_assigned_at"]
    list_filter = ["program"]
    list_select_related = ["representative", "program"]
    readonly_fields = ["last_assigned_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "representative":
            kwargs["queryset"] = selectors.assignable_staff()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "representative":
            field.label_from_instance = selectors.staff_name
        return field
