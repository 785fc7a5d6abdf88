"""The programs' and institution pages' text in every language of the site
(django-modeltranslation; see roles/translation.py)."""

from django.contrib.flatpages.models import FlatPage
from modeltranslation.translator import TranslationOptions, register

from programs.models import (
    AdmissionRequirement,
    Campus,
    CostItem,
    Course,
    CredentialRoute,
    Outcome,
    Program,
    Schedule,
)


class Options(TranslationOptions):
    empty_values = None


@register(Campus)
class CampusOptions(Options):
    fields = ("name", "hours")


@register(Program)
class ProgramOptions(Options):
    fields = (
        "name",
        "slug",
        "summary",
        "description",
        "financial_aid_kinds",
        "financial_aid_eligibility",
        "financial_aid_how_to_apply",
        "placement_services",
        "programmatic_accreditation",
        "clinical_experience",
    )


@register(CostItem)
class CostItemOptions(Options):
    fields = ("label",)


@register(CredentialRoute)
class CredentialRouteOptions(Options):
    fields = ("explanation",)


@register(Outcome)
class OutcomeOptions(Options):
    fields = ("label", "cohort", "source_name")


@register(Schedule)
class ScheduleOptions(Options):
    fields = ("name", "description", "class_times")


@register(AdmissionRequirement)
class AdmissionRequirementOptions(Options):
    fields = ("text",)


@register(Course)
class CourseOptions(Options):
    fields = ("title", "description")


# Institution pages (About, Accreditation, Privacy...): their columns are added by
# programs/flatpages_migrations (settings.MIGRATION_MODULES), as flatpages is Django's app.
@register(FlatPage)
class FlatPageOptions(Options):
    fields = ("url", "title", "content")
