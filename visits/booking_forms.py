"""The form on a booking's page (reached from the link in its emails): how many guests,
and which event, among the upcoming ones of the same kind still taking registrations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from visits.emails import when
from visits.forms import MAX_GUESTS
from visits.models import Event, Registration


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        place = event.campus.name if event.campus_id else _("Online")
        return f"{when(event)} · {place}"


class BookingChangeForm(forms.Form):
    event = EventChoiceField(
        label=_("Date"),
        queryset=Event.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Choose a date."),
            "invalid_choice": _("That date is no longer open: choose another."),
        },
    )
    guests = forms.IntegerField(
        label=_("Guests coming with you"),
        min_value=0,
        max_value=MAX_GUESTS,
        help_text=_("Each guest takes a seat."),
        error_messages={
            "required": _("Enter how many guests are coming with you (0 if none)."),
            "invalid": _("Enter a number of guests, such as 0 or 1."),
            "min_value": _("Enter 0 if nobody is coming with you."),
            "max_value": _("You can bring at most %(limit_value)s guests."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, registration: Registration, **kwargs):
        kwargs.setdefault(
            "initial", {"event": registration.event_id, "guests": registration.guests}
        )
        super().__init__(*args, **kwargs)
        now = timezone.now()
        same_kind = (
            Event.objects.upcoming(now)
            .filter(kind=registration.event.kind)
            .select_related("campus")
            .order_by("starts_at", "id")
        )
        # Its own event stays a choice while it is open; others only while theirs is.
        open_events = [event for event in same_kind if event.closes_at > now]
        self.fields["event"].queryset = Event.objects.filter(
            pk__in=[event.pk for event in open_events] + [registration.event_id]
        ).select_related("campus")

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)
