from django.contrib import admin

from roles.models import (
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


class RoleFactInline(admin.StackedInline):
    model = RoleFact
    extra = 0
    autocomplete_fields = ["dimension"]
    fields = ["dimension", "value", ("source_name", "source_url", "as_of")]

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
        (None, {"fields": ["name", "slug", "soc_code", "tagline", "summary"]}),
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
