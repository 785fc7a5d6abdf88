from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin as DjangoFlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from programs.models import (
    AdmissionRequirement,
    Campus,
    Course,
    Program,
    Schedule,
    StartDate,
)


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


class AdmissionRequirementInline(admin.TabularInline):
    model = AdmissionRequirement
    extra = 0


class CourseInline(admin.TabularInline):
    model = Course
    extra = 0
    fields = ["order", "code", "title", "hours", "description"]


class StartDateInline(admin.TabularInline):
    model = StartDate
    extra = 0
    fields = ["campus", "starts_on", "pace"]
    autocomplete_fields = ["campus"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "credential", "full_time_months", "part_time_months", "is_published"]
    list_filter = ["is_published", "credential", "campuses"]
    list_editable = ["is_published"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["careers", "certifications", "campuses"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "credential", "is_published", "order"]}),
        ("What prospects read", {"fields": ["summary", "description", "clinical_experience"]}),
        ("Length", {"fields": ["full_time_months", "part_time_months"]}),
        ("Where it leads", {"fields": ["careers", "certifications"]}),
        ("Where it is offered", {"fields": ["campuses"]}),
        (None, {"fields": ["updated_at"]}),
    ]
    inlines = [ScheduleInline, AdmissionRequirementInline, CourseInline, StartDateInline]


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region", "phone", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "city", "postal_code"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(StartDate)
class StartDateAdmin(admin.ModelAdmin):
    """All start dates at once, for the yearly calendar; a program's own are inline there."""

    list_display = ["starts_on", "program", "campus", "pace"]
    list_filter = ["campus", "program", "pace"]
    list_select_related = ["program", "campus"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["program", "campus"]


class InstitutionPageForm(FlatpageForm):
    class Meta(FlatpageForm.Meta):
        help_texts = {
            "content": (
                "HTML. Start headings at <h2>: the title above is the page's only <h1>. "
                "The accreditation and outcomes disclaimer pages also appear on every "
                "program page, so keep them to a few paragraphs."
            ),
        }


admin.site.unregister(FlatPage)


@admin.register(FlatPage)
class FlatPageAdmin(DjangoFlatPageAdmin):
    """Institution pages (About, Accreditation, Privacy, the outcomes disclaimer)."""

    form = InstitutionPageForm
