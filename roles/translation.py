"""The careers' text in every language of the site (django-modeltranslation).

Each field named here gets a column per language (`name_en`, `name_es`) beside the
original; reading `role.name` gives the active language's value, or the English one when
the Spanish is empty (MODELTRANSLATION_FALLBACK_LANGUAGES). Empty translations are stored
as NULL, so unique fields (`slug`, `name`) may stay untranslated on many rows.
"""

from modeltranslation.translator import TranslationOptions, register

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


class Options(TranslationOptions):
    empty_values = None


@register(Role)
class RoleOptions(Options):
    fields = ("name", "slug", "tagline", "summary", "next_step")


@register(Duty)
class DutyOptions(Options):
    fields = ("name", "description")


@register(RoleDuty)
class RoleDutyOptions(Options):
    fields = ("note",)


@register(Dimension)
class DimensionOptions(Options):
    fields = ("name", "description")


@register(RoleFact)
class RoleFactOptions(Options):
    fields = ("value", "period")


@register(Certification)
class CertificationOptions(Options):
    fields = ("eligibility", "routes")


@register(RoleCertification)
class RoleCertificationOptions(Options):
    fields = ("note",)


@register(Comparison)
class ComparisonOptions(Options):
    fields = ("title", "lede", "caveat")


@register(ComparisonSection)
class ComparisonSectionOptions(Options):
    fields = ("heading", "body")


@register(ComparisonAdvice)
class ComparisonAdviceOptions(Options):
    fields = ("text",)
