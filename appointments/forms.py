"""The booking form: a time, who is coming, what they want to talk about.

It is the visit registration form without guests (the same checks, honeypot and fill time),
with the slot chosen among the open ones. Any slot the database holds is accepted here: the
service says why one can no longer be booked (taken a moment ago, past, withdrawn), beside
the field, so the person keeps everything they typed and picks another time.
"""

from functools import cached_property

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appointments.models import Slot
from inquiries.form_fields import bot_checks, check_control_characters, half_width_row
from visits.forms import RegistrationForm


class BookingForm(RegistrationForm):
    slot = forms.ModelChoiceField(
        label=_("Time"),
        queryset=Slot.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Pick a time."),
            "invalid_choice": _("That time is no longer offered: please pick another."),
        },
    )
    topic = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = [
        "slot",
        "first_name",
        "last_name",
        "email",
        "phone",
        "postal_code",
        "topic",
        "consent",
    ]

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["guests"]
        self.fields["email"].help_text = _(
            "So that admissions can reach you about your appointment."
        )
        self.open_slots = list(slots)

    @cached_property
    def helper(self) -> FormHelper:
        """The person's fields; the template lays out the times itself, grouped by day."""
        helper = FormHelper(self)
        helper.form_tag = False
        helper.layout = Layout(
            half_width_row("first_name", "last_name"),
            half_width_row("email", "phone"),
            half_width_row("postal_code"),
            "topic",
            "consent",
            *bot_checks(),
            Submit("book", _("Book this time"), css_class="btn-lg"),
        )
        return helper

    def clean_topic(self):
        return check_control_characters(self.cleaned_data["topic"], allow_newlines=True).strip()

    def booking_details(self) -> dict:
        """The keyword arguments of services.book (a valid form only)."""
        data = self.cleaned_data
        return {**self.prospect_details(), "slot": data["slot"], "topic": data["topic"]}

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """The person's fields' errors; the time's are listed on their own."""
        return [item for item in super().error_summary if not item[0].startswith("id_slot")]

    @property
    def chosen_slot_id(self) -> str:
        return str(self["slot"].value() or "")


class RescheduleForm(forms.Form):
    slot = BookingForm.base_fields["slot"]

    def add_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


def initial_from_inquiry(inquiry) -> dict:
    """What a signed booking link fills in: the person as admissions knows them."""
    return {
        "first_name": inquiry.first_name,
        "last_name": inquiry.last_name,
        "email": inquiry.email,
        "phone": inquiry.phone,
        "postal_code": inquiry.postal_code,
    }
