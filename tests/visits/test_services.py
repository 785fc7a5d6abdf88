import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from inquiries.models import ActivityKind, Inquiry, Status
from inquiries.spam import SpamCheck
from tests.factories import InquiryFactory, ProgramFactory, UserFactory
from tests.visits.factories import EventFactory, RegistrationFactory
from visits import services
from visits.models import Event, Registration, RegistrationStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]


def register(event, email="maria@example.com", guests=0, **kwargs):
    return services.register(
        event=event,
        first_name=kwargs.pop("first_name", "Maria"),
        last_name="Lopez",
        email=email,
        phone=kwargs.pop("phone", "+14075550123"),
        guests=guests,
        consent=kwargs.pop("consent", False),
        **kwargs,
    )


def seats_taken(event):
    return Event.objects.with_seats_taken().get(pk=event.pk).seats_taken


def test_a_registration_with_seats_left_is_confirmed_and_holds_one_seat_per_person():
    event = EventFactory(capacity=5)
    registration = register(event, guests=2)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.seats == 3
    assert seats_taken(event) == 3


def test_a_registration_that_does_not_fit_goes_on_the_waitlist():
    event = EventFactory(capacity=3)
    register(event, email="first@example.com", guests=1)
    registration = register(event, email="second@example.com", guests=1)
    assert registration.status == RegistrationStatus.WAITLISTED
    assert seats_taken(event) == 2


def test_the_same_email_in_any_case_updates_the_one_registration():
    event = EventFactory(capacity=10)
    first = register(event, email="Maria@Example.com", guests=0)
    again = register(event, email="maria@example.com", guests=2, first_name="María")
    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    again.refresh_from_db()
    assert (again.guests, again.first_name) == (2, "María")
    assert seats_taken(event) == 3


def test_the_database_refuses_a_second_live_registration_for_one_email():
    event = EventFactory()
    RegistrationFactory(event=event, email="maria@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, email="MARIA@example.com")


def test_a_confirmed_registration_asking_for_more_seats_than_are_free_keeps_its_place():
    event = EventFactory(capacity=3)
    register(event, email="maria@example.com")
    register(event, email="other@example.com")
    with pytest.raises(ValidationError) as refused:
        register(event, email="maria@example.com", guests=2)
    assert "guests" in refused.value.message_dict
    registration = Registration.objects.get(email="maria@example.com")
    assert (registration.status, registration.guests) == (RegistrationStatus.CONFIRMED, 0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cancelled_at": timezone.now()}, services.EVENT_CANCELLED),
        (
            {
                "starts_at": timezone.now() - datetime.timedelta(hours=2),
                "ends_at": timezone.now() - datetime.timedelta(hours=1),
            },
            services.EVENT_PAST,
        ),
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(minutes=1)},
            services.REGISTRATION_CLOSED,
        ),
        ({"is_published": False}, services.EVENT_NOT_PUBLISHED),
    ],
    ids=["cancelled", "past", "closed", "unpublished"],
)
def test_an_event_not_open_refuses_registration_beside_the_event_and_writes_nothing(
    changes, message
):
    event = EventFactory(**changes)
    with pytest.raises(ValidationError) as refused:
        register(event)
    assert refused.value.message_dict == {"event": [message]}
    assert not Registration.objects.exists()
    assert not Inquiry.objects.exists()


def test_more_guests_than_the_event_holds_is_refused_beside_the_guests_field():
    event = EventFactory(capacity=4)
    with pytest.raises(ValidationError) as refused:
        register(event, guests=4)
    assert refused.value.message_dict == {"guests": [services.too_many_guests_message(4)]}
    assert "at most 3 guests" in services.too_many_guests_message(4)
    assert not Registration.objects.exists()


def test_a_newcomer_is_recorded_as_an_inquiry_sent_from_the_event_page():
    program = ProgramFactory()
    event = EventFactory(programs=[program])
    registration = register(event, consent=True)
    inquiry = registration.inquiry
    assert inquiry.email == "maria@example.com"
    assert inquiry.source_page == event.get_absolute_url()
    assert inquiry.program == program
    assert inquiry.campus == event.campus
    assert inquiry.may_call and inquiry.status == Status.NEW
    assert event.title in inquiry.message
    visit = inquiry.activities.get(kind=ActivityKind.VISIT)
    assert visit.body.startswith(f"Registered for {event}") and "confirmed" in visit.body


def test_a_person_with_an_open_inquiry_gets_a_timeline_entry_not_a_second_inquiry():
    inquiry = InquiryFactory(email="maria@example.com")
    event = EventFactory()
    registration = register(event, email="MARIA@example.com", guests=1)
    assert registration.inquiry == inquiry
    assert Inquiry.objects.count() == 1
    [visit] = inquiry.activities.filter(kind=ActivityKind.VISIT)
    assert visit.body == f"Registered for {event} with 1 guest: confirmed."


def test_a_held_spam_submission_never_takes_a_seat():
    event = EventFactory(capacity=5)
    registration = register(event, spam=SpamCheck(signals=("honeypot",)))
    assert registration.status == RegistrationStatus.WAITLISTED
    assert registration.inquiry.status == Status.HELD


def test_cancelling_frees_the_seats_and_promotes_the_first_waiting_who_fit():
    event = EventFactory(capacity=3)
    leaving = register(event, email="leaving@example.com", guests=1)
    register(event, email="stays@example.com")
    too_big = register(event, email="party@example.com", guests=3 - 1)
    fits = register(event, email="single@example.com")
    behind = register(event, email="behind@example.com")
    assert {too_big.status, fits.status, behind.status} == {RegistrationStatus.WAITLISTED}

    promoted = services.cancel(registration=leaving)

    # Two seats free: the party of three waits on, the next two single people get them.
    assert [r.email for r in promoted] == ["single@example.com", "behind@example.com"]
    assert seats_taken(event) == 3
    too_big.refresh_from_db()
    assert too_big.status == RegistrationStatus.WAITLISTED
    leaving.refresh_from_db()
    assert leaving.status == RegistrationStatus.CANCELLED and leaving.cancelled_at
    assert fits.inquiry.activities.filter(
        kind=ActivityKind.VISIT, body__startswith="Moved from the waitlist"
    ).exists()


def test_cancelling_twice_changes_nothing():
    event = EventFactory(capacity=1)
    registration = register(event)
    register(event, email="waiting@example.com")
    assert len(services.cancel(registration=registration)) == 1
    assert services.cancel(registration=registration) == []


def test_after_cancelling_the_same_email_can_register_again():
    event = EventFactory(capacity=2)
    registration = register(event)
    services.cancel(registration=registration)
    again = register(event)
    assert again.pk != registration.pk
    assert again.status == RegistrationStatus.CONFIRMED


def test_cancelling_the_event_cancels_every_registration_and_notes_it():
    boss = UserFactory()
    event = EventFactory(capacity=1)
    first = register(event)
    register(event, email="waiting@example.com")
    assert services.cancel_event(event=event, by=boss) == 2
    event.refresh_from_db()
    assert event.is_cancelled
    assert not event.registrations.exclude(status=RegistrationStatus.CANCELLED).exists()
    note = first.inquiry.activities.filter(kind=ActivityKind.VISIT).latest("id")
    assert note.author == boss and "was cancelled" in note.body
    assert services.cancel_event(event=event, by=boss) == 0
    assert Event.objects.upcoming().count() == 0
