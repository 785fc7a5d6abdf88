from django import forms
from django.contrib import admin
from django.contrib.flatpages.admin import FlatPageAdmin as DjangoFlatPageAdmin
from django.contrib.flatpages.forms import FlatpageForm
from django.contrib.flatpages.models import FlatPage
from django.core.exceptions import ValidationError

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


def page_address_field(*, required: bool) -> forms.RegexField:
    return forms.RegexField(
        max_length=100,
        required=required,
        regex=FlatpageForm.base_fields["url"].regex,
        error_messages=FlatpageForm.base_fields["url"].error_messages,
        help_text="Example: “/about/”, with a slash at each end.",
    )


class InstitutionPageForm(FlatpageForm):
    """Django's flat page form with an address per language (`url_en`, `url_es`), each
    checked as Django checks its one address: slashes, and no other page of the same site
    already at it."""

    url = None
    url_en = page_address_field(required=True)
    url_es = page_address_field(required=False)

    def clean_url_en(self):
        return self._checked_address("url_en")

    def clean_url_es(self):
        return self._checked_address("url_es") or None

    def _checked_address(self, field: str) -> str:
        address = self.cleaned_data[field]
        if address and not (address.startswith("/") and address.endswith("/")):
            raise ValidationError("Start and end the address with a slash, like “/about/”.")
        return address

    def clean(self):
        sites = self.cleaned_data.get("sites")
        for field in ("url_en", "url_es"):
            address = self.cleaned_data.get(field)
            if not (address and sites):
                continue
            taken = FlatPage.objects.filter(**{field: address}, sites__in=sites)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(field, f"Another page of this site is already at {address}.")
        return forms.ModelForm.clean(self)

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
