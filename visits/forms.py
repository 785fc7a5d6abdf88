"""The registration form on an event's page: who is coming, with how many guests.

The prospect's fields are the request-info form's (inquiries.form_fields.ProspectForm: control
characters, an email a prospect can read, a phone with its area code, the honeypot and the
fill time), so a visit registration and a request for information read the same to staff.
"""

from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from inquiries.form_fields import (
    ProspectForm,
    bot_checks,
    email_field,
    half_width_row,
    phone_field,
    postal_code_field,
)

MAX_GUESTS = 9


class RegistrationForm(ProspectForm):
    email = email_field(help_text=_("So that admissions can reach you about your visit."))
    postal_code = postal_code_field(
        help_text=_("So that admissions knows which campus is nearest to you."),
        numeric_keypad=True,
    )
    phone = phone_field(label=_("Phone number (optional)"))
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

    field_order = ["first_name", "last_name", "email", "postal_code", "phone", "guests"]

    @cached_property
    def helper(self) -> FormHelper:
        """How crispy-forms lays the form out, as the request-info form is laid out."""
        helper = FormHelper(self)
        helper.form_method = "post"
        helper.form_id = "registration-form"
        helper.attrs = {"novalidate": True}
        helper.layout = Layout(
            half_width_row("first_name", "last_name"),
            half_width_row("email", "phone"),
            half_width_row("postal_code", "guests"),
            "consent",
            *bot_checks(),
            Submit("register", _("Register"), css_class="btn-lg"),
        )
        return helper

    def registration_details(self) -> dict:
        """The keyword arguments of services.register (a valid form only)."""
        return {**self.prospect_details(), "guests": self.cleaned_data["guests"]}

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
