"""What the public forms (request-info, visit registration, appointment booking) share: the
prospect's fields, cleaned the same way and saying the same things when something is wrong
(in the page's language), and the quiet checks (honeypot, fill time) that keep bots out."""

import re

from crispy_forms.layout import Column, Div, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inquiries.addresses import NOT_A_PROSPECT_ADDRESS, is_prospect_address
from inquiries.cleaning import has_control_characters
from inquiries.consent_wording import consent_text
from inquiries.models import Inquiry
from inquiries.phones import normalise_phone
from inquiries.spam import NO_SIGNALS, check_submission, issue_fill_token

PHONE_INPUT_MAX_LENGTH = 30
CONTROL_CHARACTERS = _(
    "Please remove the invisible or special characters (such as tabs or control codes) from "
    "this field."
)

_ZIP_RE = re.compile(r"^([0-9]{5})(?:[- ]?([0-9]{4}))?$")


def length_messages(required: str) -> dict:
    """A field's messages: `required` when it is empty, and when it is too long."""
    return {
        "required": required,
        "max_length": _(
            "Please shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        ),
    }


def check_control_characters(value: str, *, allow_newlines=False) -> str:
    """The value, unless it holds control characters (NUL included): ValidationError."""
    if value and has_control_characters(value, allow_newlines=allow_newlines):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")
    return value


def normalise_zip_code(value: str) -> str:
    """A US ZIP code as 34741 or 34741-1234; ValidationError otherwise."""
    match = _ZIP_RE.match(value)
    if not match:
        raise ValidationError(
            gettext("Enter a 5-digit ZIP code (such as 34741) or ZIP+4 (such as 34741-1234)."),
            code="invalid_zip",
        )
    first, plus_four = match.groups()
    return f"{first}-{plus_four}" if plus_four else first


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


def email_field(*, help_text="") -> forms.EmailField:
    return forms.EmailField(
        label=_("Email"),
        max_length=Inquiry._meta.get_field("email").max_length,
        error_messages={
            **length_messages(_("Enter your email address.")),
            "invalid": _("Enter an email address in the form name@example.com."),
        },
        help_text=help_text,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def phone_field(*, label=None, help_text="") -> forms.CharField:
    """Optional; ProspectForm.clean_phone stores it as E.164."""
    return forms.CharField(
        label=label or _("Phone number"),
        required=False,
        max_length=PHONE_INPUT_MAX_LENGTH,
        error_messages=length_messages(_("Enter your phone number.")),
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


def postal_code_field(*, help_text="", numeric_keypad=False) -> forms.CharField:
    attrs = {"autocomplete": "postal-code"}
    if numeric_keypad:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=_("ZIP code"),
        max_length=Inquiry._meta.get_field("postal_code").max_length,
        error_messages=length_messages(_("Enter your ZIP code.")),
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def half_width_row(*names) -> Row:
    """Fields side by side, half the width each (from small screens up)."""
    return Row(*(Column(name, css_class="col-sm-6") for name in names))


def bot_checks() -> tuple:
    """The honeypot (hidden by the stylesheet) and the fill token, for a form's layout."""
    return (Div("leave_blank", css_class="request-info-hp", aria_hidden="true"), "fill_token")


class ProspectForm(forms.Form):
    """Who the prospect is, as every public form asks it, and how much the submission looks
    like a bot's (`spam`, after validation). A form changes a field by declaring it again
    (with the factories above) and places its own fields with `field_order`."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=Inquiry._meta.get_field("first_name").max_length,
        error_messages=length_messages(_("Enter your first name.")),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=Inquiry._meta.get_field("last_name").max_length,
        error_messages=length_messages(_("Enter your last name.")),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = email_field()
    phone = phone_field()
    postal_code = postal_code_field()
    consent = forms.BooleanField(required=False)
    # Honeypot: hidden from people (and from screen readers); bots fill every field.
    leave_blank = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    fill_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.spam = NO_SIGNALS
        self.fields["consent"].label = consent_text()
        if not self.is_bound:
            self.fields["fill_token"].initial = issue_fill_token()
        for field in self.fields.values():
            # Typed fields get one clear message about control characters (NUL included);
            # hidden fields are cleaned silently rather than failing where nobody can see.
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def clean_first_name(self):
        return check_control_characters(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return check_control_characters(self.cleaned_data["last_name"])

    def clean_email(self):
        email = check_control_characters(self.cleaned_data["email"])
        if not is_prospect_address(email):
            raise ValidationError(NOT_A_PROSPECT_ADDRESS, code="not_a_prospect_address")
        return email

    def clean_phone(self):
        return normalise_phone(check_control_characters(self.cleaned_data["phone"]))

    def clean_postal_code(self):
        return normalise_zip_code(check_control_characters(self.cleaned_data["postal_code"]))

    def clean(self):
        cleaned = super().clean()
        self.spam = check_submission(
            honeypot=cleaned.get("leave_blank") or "",
            fill_token=cleaned.get("fill_token") or "",
            email=cleaned.get("email") or "",
            names=(cleaned.get("first_name") or "", cleaned.get("last_name") or ""),
            message=cleaned.get("message") or "",
        )
        return cleaned

    def prospect_details(self) -> dict:
        """The prospect, as the services take them (a valid form only)."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "phone": data["phone"],
            "postal_code": data["postal_code"],
            "consent": bool(data["consent"]),
            "spam": self.spam,
        }
