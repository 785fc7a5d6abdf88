"""Events' titles and descriptions in every language of the site
(django-modeltranslation; see roles/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from visits.models import Event


@register(Event)
class EventOptions(TranslationOptions):
    fields = ("title", "description")
    empty_values = None
