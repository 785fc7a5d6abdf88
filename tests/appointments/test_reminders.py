"""The reminder the day before an appointment: a scheduled task whose body sends only what is
still owed."""

import datetime

import pytest
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.utils import timezone

from appointments import services, tasks
from inquiries.models import ActivityKind, Notification, NotificationKind
from tests.appointments.factories import SlotFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_tasks():
    """A task backend that keeps what is queued, with its run_after, instead of running it."""
    previous = task_backends["default"]
    backend = DummyBackend(alias="default", params={})
    task_backends["default"] = backend
    yield backend
    task_backends["default"] = previous


def queued(backend):
    return [r for r in backend.results if r.task.func is tasks.send_appointment_reminder.func]


def run(result):
    return result.task.call(*result.args, **result.kwargs)


def book(slot):
    return services.book(slot=slot, first_name="Ana", last_name="Rivera", email="ana@example.com")


def reminders():
    return Notification.objects.filter(kind=NotificationKind.APPOINTMENT_REMINDER)


def test_a_booking_queues_its_reminder_for_the_day_before_and_it_is_sent_once(
    later_tasks, django_capture_on_commit_callbacks
):
    slot = SlotFactory(starts_at=timezone.now() + datetime.timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slot)
    [reminder] = queued(later_tasks)
    assert reminder.task.run_after == slot.starts_at - datetime.timedelta(days=1)
    assert run(reminder) == "sent"
    assert run(reminder) == "already reminded"
    email = reminders().get()
    assert email.subject.startswith("Reminder: your admissions appointment")
    assert "METHOD:REQUEST" in email.calendar
    assert booking.inquiry.activities.filter(
        kind=ActivityKind.APPOINTMENT, body__startswith="Reminded of the appointment"
    ).exists()


def test_a_cancelled_or_moved_booking_is_not_reminded_by_its_old_task(
    later_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(SlotFactory(starts_at=timezone.now() + datetime.timedelta(days=3)))
        services.reschedule(
            booking=booking, slot=SlotFactory(starts_at=timezone.now() + datetime.timedelta(days=4))
        )
    old, new = queued(later_tasks)
    assert run(old) == "not booked"
    assert run(new) == "sent"
    assert reminders().count() == 1


def test_a_booking_less_than_a_day_ahead_gets_no_reminder(
    later_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(SlotFactory(starts_at=timezone.now() + datetime.timedelta(hours=5)))
    assert queued(later_tasks) == []
