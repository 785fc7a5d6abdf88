"""Two submissions from one person at the same moment (a double click) make one lead."""

import threading
import time

import pytest
from django.db import connection

from inquiries.models import Inquiry
from inquiries.services import capture
from tests.factories import ProgramFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("sync_orm_beside_playwright"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so the race cannot happen",
    ),
]


def test_a_double_click_makes_one_inquiry_not_two(monkeypatch):
    program = ProgramFactory()
    real_find = capture.find_open_inquiry

    def slow_find(**kwargs):
        found = real_find(**kwargs)
        time.sleep(0.3)  # widen the window between looking and creating
        return found

    monkeypatch.setattr(capture, "find_open_inquiry", slow_find)
    submission = capture.Submission(
        first_name="Maria",
        last_name="Lopez",
        email="maria.lopez@example.com",
        phone="+14075550123",
        postal_code="34741",
        program=program,
        contact_method="email",
    )

    def submit():
        try:
            capture.record_inquiry(submission=submission)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize("first", ["merge", "submission"])
def test_a_merge_and_a_repeat_submission_at_once_lose_nothing(monkeypatch, first):
    """Whichever takes the lock first, the form sent to the merged-away email lands on the
    kept inquiry, whole, and no third inquiry appears."""
    from inquiries.models import RepeatSubmission, Status
    from inquiries.services import people
    from tests.factories import UserFactory

    program = ProgramFactory()
    boss = UserFactory(is_superuser=True)  # the flush of transactional tests removes groups
    keep = capture.record_inquiry(
        submission=capture.Submission(
            first_name="Maria",
            last_name="Lopez",
            email="work@example.com",
            postal_code="34741",
            program=program,
        )
    )
    other = capture.record_inquiry(
        submission=capture.Submission(
            first_name="Maria",
            last_name="Lopez",
            email="home@example.com",
            postal_code="34741",
            program=program,
        )
    )

    def slowly(function):
        def wrapper(*args, **kwargs):
            result = function(*args, **kwargs)
            time.sleep(0.4)  # hold the locks while the other thread arrives
            return result

        return wrapper

    if first == "merge":
        monkeypatch.setattr(people, "_lock", slowly(people._lock))
    else:
        monkeypatch.setattr(capture, "find_open_inquiry", slowly(capture.find_open_inquiry))

    def merge():
        try:
            people.merge_inquiries(
                keep_id=keep.pk,
                other_id=other.pk,
                owner_from_id=keep.pk,
                status_from_id=keep.pk,
                by=boss,
            )
        finally:
            connection.close()

    def submit():
        try:
            capture.record_inquiry(
                submission=capture.Submission(
                    first_name="Maria",
                    last_name="Lopez",
                    email="home@example.com",
                    postal_code="34741",
                    program=program,
                    message="Sent during the merge",
                )
            )
        finally:
            connection.close()

    order = [merge, submit] if first == "merge" else [submit, merge]
    threads = [threading.Thread(target=target) for target in order]
    threads[0].start()
    time.sleep(0.15)
    threads[1].start()
    for thread in threads:
        thread.join()

    assert Inquiry.objects.count() == 2
    other.refresh_from_db()
    assert other.status == Status.CLOSED and other.merged_into_id == keep.pk
    landed = RepeatSubmission.objects.get(message="Sent during the merge")
    assert landed.inquiry_id == keep.pk
