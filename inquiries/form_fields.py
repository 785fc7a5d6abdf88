"""What the request-info form's fields say when something is wrong (in the page's language),
and its multi-line text field."""

from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def length_messages(required: str) -> dict:
    """A field's messages: `required` when it is empty, and when it is too long."""
    return {
        "required": required,
        "max_length": _(
            "Please shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        ),
    }


def campus_mismatch_message(campuses) -> str:
    """For a campus that does not teach the chosen program: the ones that do."""
    if not campuses:
        return gettext("This program has no campus to choose from yet: choose No preference.")
    where = get_text_list([campus.name for campus in campuses], gettext("and"))
    if len(campuses) == 1:
        return gettext("This program is taught at %(where)s only: choose it, or No preference.") % {
            "where": where
        }
    return gettext(
        "This program is taught at %(where)s: choose one of those, or No preference."
    ) % {"where": where}


class MultilineField(forms.CharField):
    """Text whose line breaks count as one character each, as the browser's maxlength counts
    them; the browser sends each as CR LF, which would otherwise count twice."""

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n")
