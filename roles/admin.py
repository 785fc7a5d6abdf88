import datetime

from django.contrib import admin
from django.utils import timezone

from roles.models import (
    STALE_AFTER_MONTHS,
    Certification,
    Comparison,
    ComparisonAdvice,
    ComparisonSection,
    Dimension,
    Duty,
    Role,
    RoleCertification,
    RoleDuty,
    RoleFact,
)


class RoleDutyInline(admin.TabularInline):
    model = RoleDuty
    extra = 0
    autocomplete_fields = ["duty"]
    fields = ["duty", "emphasis", "note"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("duty")
            .order_by("duty__area", "duty__order", "duty__name")
        )


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Values describing a date before this are older than STALE_AFTER_MONTHS."""
    today = today or timezone.localdate()
    month = today.month - STALE_AFTER_MONTHS - 1
    year = today.year + month // 12
    month = month % 12 + 1
    return today.replace(year=year, month=month, day=min(today.day, 28))


@admin.display(description="freshness")
def freshness(fact: RoleFact) -> str:
    if fact.as_of is None:
        return "No date" if fact.source_name else ""
    if fact.is_stale(timezone.localdate()):
        return f"Older than {STALE_AFTER_MONTHS} months: refresh from the source"
    return "Current"


class RoleFactInline(admin.StackedInline):
    model = RoleFact
    extra = 0
    autocomplete_fields = ["dimension"]
    fields = [
        "dimension",
        "value",
        ("amount", "period"),
        ("source_name", "source_url"),
        ("as_of", "checked_on", freshness),
    ]
    readonly_fields = [freshness]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dimension")


class RoleCertificationInline(admin.TabularInline):
    model = RoleCertification
    extra = 0
    autocomplete_fields = ["certification"]
    fields = ["certification", "requirement", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certification")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "soc_code", "is_published", "order"]
    list_editable = ["is_published", "order"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug", "soc_code", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "soc_code", "tagline", "summary", "next_step"]}),
        ("Publishing", {"fields": ["is_published", "order"]}),
    ]
    inlines = [RoleDutyInline, RoleFactInline, RoleCertificationInline]


class DutyRolesInline(admin.TabularInline):
    """From a duty, the careers that perform it: sharing a duty is what makes an overlap."""

    model = RoleDuty
    extra = 0
    autocomplete_fields = ["role"]
    fields = ["role", "emphasis", "note"]
    verbose_name = "career that performs it"
    verbose_name_plural = "careers that perform it"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role")


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "order"]
    list_editable = ["order"]
    list_filter = ["area"]
    search_fields = ["name", "description"]
    ordering = ["area", "order", "name"]
    inlines = [DutyRolesInline]


class StaleFilter(admin.SimpleListFilter):
    """Dated values older than STALE_AFTER_MONTHS, for an editor to refresh."""

    title = "freshness"
    parameter_name = "freshness"

    def lookups(self, request, model_admin):
        return [("stale", f"Older than {STALE_AFTER_MONTHS} months"), ("undated", "Cited, no date")]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(as_of__isnull=False, as_of__lt=stale_cutoff())
        if self.value() == "undated":
            return queryset.filter(as_of__isnull=True).exclude(source_name="")
        return queryset


@admin.register(RoleFact)
class RoleFactAdmin(admin.ModelAdmin):
    """Every fact at once, so an editor can find the figures due for a refresh."""

    list_display = ["role", "dimension", "period", "as_of", "checked_on", freshness]
    list_filter = [StaleFilter, "dimension", "role"]
    list_select_related = ["role", "dimension"]
    search_fields = ["value", "source_name", "role__name", "dimension__name"]
    autocomplete_fields = ["role", "dimension"]
    fields = RoleFactInline.fields
    readonly_fields = [freshness]


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order", "name"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = [
        "abbreviation",
        "name",
        "issuing_body",
        "minimum_education",
        "requires_accredited_program",
        "requires_exam",
    ]
    list_filter = ["minimum_education", "requires_accredited_program"]
    search_fields = ["abbreviation", "name", "issuing_body", "issuing_body_abbreviation"]
    ordering = ["abbreviation"]
    fieldsets = [
        (None, {"fields": ["abbreviation", "name", "url"]}),
        ("Issued by", {"fields": ["issuing_body", "issuing_body_abbreviation"]}),
        (
            "Eligibility pathway",
            {
                "description": "What a candidate needs; pages show it next to the credential.",
                "fields": [
                    "minimum_education",
                    "requires_accredited_program",
                    "requires_exam",
                    "eligibility",
                    "routes",
                    ("eligibility_url", "checked_on"),
                ],
            },
        ),
    ]


class ComparisonSectionInline(admin.StackedInline):
    model = ComparisonSection
    extra = 0
    fields = ["order", "heading", "body"]


class ComparisonAdviceInline(admin.TabularInline):
    model = ComparisonAdvice
    extra = 0
    fields = ["role", "order", "text"]
    autocomplete_fields = ["role"]


@admin.register(Comparison)
class ComparisonAdmin(admin.ModelAdmin):
    list_display = ["title", "left", "right", "is_published", "is_featured"]
    list_editable = ["is_published", "is_featured"]
    list_filter = ["is_published", "is_featured"]
    list_select_related = ["left", "right"]
    search_fields = ["title", "lede", "left__name", "right__name"]
    autocomplete_fields = ["left", "right"]
    ordering = ["title"]
    fieldsets = [
        (None, {"fields": ["title", ("left", "right"), "lede", "caveat"]}),
        ("Publishing", {"fields": ["is_published", "is_featured"]}),
    ]
    inlines = [ComparisonSectionInline, ComparisonAdviceInline]
