"""Reminders the day before and two hours before: scheduled tasks with run_after, whose body
sends only what is still owed."""

import datetime

import pytest
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.utils import timezone

from inquiries.models import ActivityKind, Notification, NotificationKind
from tests.visits.factories import EventFactory
from visits import rebooking, services, tasks
from visits.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_tasks():
    """A task backend that keeps what is queued, with its run_after, instead of running it."""
    previous = task_backends["default"]
    backend = DummyBackend(alias="default", params={})
    task_backends["default"] = backend
    yield backend
    task_backends["default"] = previous


def reminders_queued(backend):
    return [
        result for result in backend.results if result.task.func is tasks.send_visit_reminder.func
    ]


def register(event, email="maria@example.com", **kwargs):
    return services.register(
        event=event, first_name="Maria", last_name="Lopez", email=email, consent=True, **kwargs
    )


def reminder_emails():
    return list(Notification.objects.filter(kind=NotificationKind.VISIT_REMINDER))


def run(result):
    return result.task.call(*result.args, **result.kwargs)


def test_a_confirmed_registration_queues_both_reminders_at_their_times(
    later_tasks, django_capture_on_commit_callbacks
):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    queued = reminders_queued(later_tasks)
    assert sorted(result.task.run_after for result in queued) == [
        event.starts_at - datetime.timedelta(days=1),
        event.starts_at - datetime.timedelta(hours=2),
    ]
    assert {result.args[0] for result in queued} == {registration.pk}


def test_booking_a_few_hours_ahead_queues_only_the_two_hour_reminder(
    later_tasks, django_capture_on_commit_callbacks
):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(hours=5))
    with django_capture_on_commit_callbacks(execute=True):
        register(event)
    (queued,) = reminders_queued(later_tasks)
    assert queued.args[2] == "hours_before"


def test_the_waitlist_gets_no_reminders(later_tasks, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    register(event, email="first@example.com")
    later_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(event, email="second@example.com")
    assert reminders_queued(later_tasks) == []


def test_a_reminder_sends_once_and_lands_on_the_timeline(
    later_tasks, django_capture_on_commit_callbacks
):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    day_before = next(r for r in reminders_queued(later_tasks) if r.args[2] == "day_before")

    assert run(day_before) == "sent"
    assert run(day_before) == "already reminded"

    (email,) = reminder_emails()
    assert email.subject == f"Tomorrow: {event.title}"
    assert "/cancel/" in email.body
    registration.refresh_from_db()
    assert registration.reminded_day_before_at is not None
    assert registration.reminded_hours_before_at is None
    assert registration.inquiry.activities.filter(
        kind=ActivityKind.VISIT, body__startswith="Reminded of"
    ).exists()


def test_no_reminder_for_a_cancelled_registration_or_event(
    later_tasks, django_capture_on_commit_callbacks
):
    kept, dropped = EventFactory(), EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        leaving = register(kept, email="leaving@example.com")
        register(dropped, email="dropped@example.com")
    queued = reminders_queued(later_tasks)
    services.cancel(registration=leaving)
    services.cancel_event(event=dropped)
    outcomes = {run(result) for result in queued}
    assert outcomes == {"not confirmed"}
    assert reminder_emails() == []


def test_moving_the_event_reschedules_the_reminders_and_the_old_ones_send_nothing(
    later_tasks, django_capture_on_commit_callbacks
):
    event = EventFactory(starts_at=timezone.now() + datetime.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event)
    old = reminders_queued(later_tasks)
    later_tasks.clear()
    assert run(next(r for r in old if r.args[2] == "day_before")) == "sent"

    event.starts_at += datetime.timedelta(days=2)
    event.ends_at += datetime.timedelta(days=2)
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert rebooking.reschedule_event(event=event) == 1

    assert {run(result) for result in old} == {"event moved"}
    new = reminders_queued(later_tasks)
    assert sorted(r.task.run_after for r in new) == [
        event.starts_at - datetime.timedelta(days=1),
        event.starts_at - datetime.timedelta(hours=2),
    ]
    registration.refresh_from_db()
    assert registration.reminded_day_before_at is None  # owed again, for the new day
    assert registration.invitation_sequence == 1
    updated = Notification.objects.filter(kind=NotificationKind.VISIT_CONFIRMATION).latest("id")
    assert "SEQUENCE:1" in updated.calendar
    assert "The time of this visit has changed." in updated.body
    assert {run(result) for result in new} == {"sent"}
    assert len(reminder_emails()) == 3


def test_a_development_backend_that_cannot_defer_queues_no_reminders(immediate_tasks):
    event = EventFactory()
    registration = register(event)
    assert tasks.schedule_reminders(Registration.objects.get(pk=registration.pk)) == 0
