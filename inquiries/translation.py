"""Reply templates in every language of the site, so a prospect's reply goes in the
language of the form they sent (django-modeltranslation; see roles/translation.py)."""

from modeltranslation.translator import TranslationOptions, register

from inquiries.models import ReplyTemplate


@register(ReplyTemplate)
class ReplyTemplateOptions(TranslationOptions):
    fields = ("subject", "body")
    empty_values = None
