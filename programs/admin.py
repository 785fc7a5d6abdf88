from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin as DjangoFlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage

from programs.models import (
    AdmissionRequirement,
    Campus,
    CostItem,
    Course,
    CredentialRoute,
    Outcome,
    Program,
    Schedule,
    StartDate,
)


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0
    fields = ["order", "name", "pace", "description", "class_times", "class_times_are_sample"]


class CostItemInline(admin.TabularInline):
    model = CostItem
    extra = 0
    fields = ["order", "kind", "label", "amount", "is_sample"]


class CredentialRouteInline(admin.TabularInline):
    model = CredentialRoute
    extra = 0
    fields = ["order", "certification", "status", "explanation"]
    autocomplete_fields = ["certification"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certification")


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0
    fields = [
        ("kind", "label", "rate"),
        "cohort",
        ("source_name", "source_url"),
        ("as_of", "is_sample"),
        "order",
    ]


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
        (
            "What prospects read",
            {"fields": ["summary", "description", "clinical_experience", "placement_services"]},
        ),
        (
            "Length and hours",
            {
                "fields": [
                    ("full_time_months", "part_time_months", "part_time_is_sample"),
                    ("total_clock_hours", "clock_hours_are_sample"),
                    "curriculum_is_sample",
                ]
            },
        ),
        (
            "Cost and financial aid",
            {
                "description": "The cost lines are below; the page adds them up.",
                "fields": [
                    ("cost_as_of", "cost_source_url"),
                    "financial_aid_kinds",
                    "financial_aid_eligibility",
                    "financial_aid_how_to_apply",
                    ("net_price_calculator_url", "financial_aid_is_sample"),
                ],
            },
        ),
        (
            "Programmatic accreditation",
            {
                "description": "What it means for each credential: the credential routes below.",
                "fields": ["programmatic_accreditation", "programmatic_accreditation_checked_on"],
            },
        ),
        ("Where it leads", {"fields": ["careers", "certifications"]}),
        ("Where it is offered", {"fields": ["campuses"]}),
        (None, {"fields": ["updated_at"]}),
    ]
    inlines = [
        ScheduleInline,
        AdmissionRequirementInline,
        CostItemInline,
        CredentialRouteInline,
        OutcomeInline,
        CourseInline,
        StartDateInline,
    ]


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "region", "phone", "contact_is_sample", "is_active"]
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
