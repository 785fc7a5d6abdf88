"""The registration form on an event's page: who is coming, with how many guests.

The same checks as the request-info form where they apply (inquiries' own helpers: control
characters, an email a prospect can read, a phone with its area code, the honeypot and the
fill time), so a visit registration and a request for information read the same to staff.
"""

from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from inquiries.addresses import NOT_A_PROSPECT_ADDRESS, is_prospect_address
from inquiries.cleaning import has_control_characters
from inquiries.consent_wording import consent_text
from inquiries.forms import normalise_zip_code
from inquiries.phones import normalise_phone
from inquiries.spam import NO_SIGNALS, check_submission, issue_fill_token
from visits.models import Registration

MAX_GUESTS = 9
CONTROL_CHARACTERS = _(
    "Please remove the invisible or special characters (such as tabs or control codes) from "
    "this field."
)


def _messages(required: str) -> dict:
    return {
        "required": required,
        "max_length": _(
            "Please shorten this to %(limit_value)d characters or fewer (it has %(show_value)d)."
        ),
    }


class RegistrationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=Registration._meta.get_field("first_name").max_length,
        error_messages=_messages(_("Enter your first name.")),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=Registration._meta.get_field("last_name").max_length,
        error_messages=_messages(_("Enter your last name.")),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=Registration._meta.get_field("email").max_length,
        error_messages={
            **_messages(_("Enter your email address.")),
            "invalid": _("Enter an email address in the form name@example.com."),
        },
        help_text=_("So that admissions can reach you about your visit."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    postal_code = forms.CharField(
        label=_("ZIP code"),
        max_length=Registration._meta.get_field("postal_code").max_length,
        error_messages=_messages(_("Enter your ZIP code.")),
        help_text=_("So that admissions knows which campus is nearest to you."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=30,
        error_messages=_messages(_("Enter your phone number.")),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    guests = forms.IntegerField(
        label=_("Guests coming with you"),
        min_value=0,
        max_value=MAX_GUESTS,
        initial=0,
        help_text=_("A parent, partner or friend is welcome. Each guest takes a seat."),
        error_messages={
            "required": _("Enter how many guests are coming with you (0 if none)."),
            "invalid": _("Enter a number of guests, such as 0 or 1."),
            "min_value": _("Enter 0 if nobody is coming with you."),
            "max_value": _("You can bring at most %(limit_value)s guests."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
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
            # One clear message about control characters (NUL included), as request-info.
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    @cached_property
    def helper(self) -> FormHelper:
        """How crispy-forms lays the form out, as the request-info form is laid out."""
        helper = FormHelper(self)
        helper.form_method = "post"
        helper.form_id = "registration-form"
        helper.attrs = {"novalidate": True}
        helper.layout = Layout(
            Row(
                Column("first_name", css_class="col-sm-6"),
                Column("last_name", css_class="col-sm-6"),
            ),
            Row(Column("email", css_class="col-sm-6"), Column("phone", css_class="col-sm-6")),
            Row(
                Column("postal_code", css_class="col-sm-6"), Column("guests", css_class="col-sm-6")
            ),
            "consent",
            Div("leave_blank", css_class="request-info-hp", aria_hidden="true"),
            "fill_token",
            Submit("register", _("Register"), css_class="btn-lg"),
        )
        return helper

    @staticmethod
    def _plain(value: str) -> str:
        if value and has_control_characters(value, allow_newlines=False):
            raise ValidationError(CONTROL_CHARACTERS, code="control_characters")
        return value

    def clean_first_name(self):
        return self._plain(self.cleaned_data["first_name"])

    def clean_last_name(self):
        return self._plain(self.cleaned_data["last_name"])

    def clean_email(self):
        email = self._plain(self.cleaned_data["email"])
        if not is_prospect_address(email):
            raise ValidationError(NOT_A_PROSPECT_ADDRESS, code="not_a_prospect_address")
        return email

    def clean_postal_code(self):
        return normalise_zip_code(self._plain(self.cleaned_data["postal_code"]))

    def clean_phone(self):
        return normalise_phone(self._plain(self.cleaned_data["phone"]))

    def clean(self):
        cleaned = super().clean()
        self.spam = check_submission(
            honeypot=cleaned.get("leave_blank") or "",
            fill_token=cleaned.get("fill_token") or "",
            email=cleaned.get("email") or "",
            names=(cleaned.get("first_name") or "", cleaned.get("last_name") or ""),
            message="",
        )
        return cleaned

    def registration_details(self) -> dict:
        """The keyword arguments of services.register (a valid form only)."""
        data = self.cleaned_data
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"],
            "phone": data["phone"],
            "postal_code": data["postal_code"],
            "guests": data["guests"],
            "consent": bool(data["consent"]),
            "spam": self.spam,
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's refusal beside its field: "event" goes above the button."""
        for field, messages in error.message_dict.items():
            self.add_error(None if field == "event" else field, messages)

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, label, message) for each field error, in the order of the fields."""
        items = []
        for name, field in self.fields.items():
            bound = self[name]
            if bound.errors and not bound.is_hidden:
                label = _("Consent to calls and texts") if name == "consent" else field.label
                items.extend((bound.id_for_label, label, message) for message in bound.errors)
        return items
