"""A request-info submission in few round trips: the new inquiry is written once with its
owner, its timeline entries in one statement, its emails in one statement, and no savepoint
that guards nothing; once it commits, its emails go to the task queue as one task. 22 statements
on PostgreSQL before (bench/servicetime.py's form POST), 16 on 2026-12-01 and
14 now (three task rows, each its own commit, became one)."""

import pytest
from django.db import connection
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django.test.utils import CaptureQueriesContext

from inquiries.models import Activity, ActivityKind, Coverage, Inquiry, Notification
from inquiries.models import NotificationKind as Kind
from inquiries.services.capture import record_inquiry
from tests.factories import InquiryFactory
from tests.inquiries.staff import representative
from tests.inquiries.test_forms import form_data
from tests.inquiries.test_services_capture import program, submission  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("immediate_tasks")]

# The advisory lock that serialises one person's submissions is PostgreSQL's alone.
LOCK = 1 if connection.vendor == "postgresql" else 0


@pytest.fixture
def covered(program):  # noqa: F811
    rep = representative(email="rep@ftc.example")
    Coverage.objects.create(representative=rep, program=program)
    return rep


def _statements(captured) -> list[str]:
    return [query["sql"].split(" ", 1)[0].upper() for query in captured]


def test_a_routed_new_inquiry_is_recorded_in_ten_statements(program, covered):  # noqa: F811
    with CaptureQueriesContext(connection) as captured:
        inquiry = record_inquiry(submission=submission(program))

    # The transaction (a savepoint in a test), the lock, the person's open inquiry by email
    # and by merge, the phone match, the coverage locked and stamped, then one INSERT each:
    # the inquiry, its timeline, its emails.
    assert len(captured) == 10 + LOCK, "\n".join(q["sql"][:120] for q in captured)
    assert _statements(captured).count("INSERT") == 3
    assert "UPDATE" not in _statements(captured)[-4:]  # the owner is written with the row
    inquiry.refresh_from_db()
    assert inquiry.owner == covered
    kinds = list(inquiry.activities.order_by("created_at", "id").values_list("kind", flat=True))
    assert kinds == [ActivityKind.SUBMITTED, ActivityKind.ASSIGNMENT]
    assert list(
        Notification.objects.filter(inquiry=inquiry).order_by("id").values_list("kind", "recipient")
    ) == [
        (Kind.OWNER_ASSIGNED, "rep@ftc.example"),
        (Kind.ADMISSIONS_ALERT, "admissions@ftc.example"),
        (Kind.CONFIRMATION, "maria.lopez@example.com"),
    ]


def test_a_possible_duplicate_is_marked_in_the_same_statements(program, covered):  # noqa: F811
    other = InquiryFactory(program=program, email="sister@example.com", phone="+14075550123")

    with CaptureQueriesContext(connection) as captured:
        inquiry = record_inquiry(submission=submission(program))

    assert len(captured) == 10 + LOCK
    inquiry.refresh_from_db()
    assert inquiry.possible_duplicate_of == other
    assert Activity.objects.filter(inquiry=other, kind=ActivityKind.MERGE).count() == 1
    kinds = list(inquiry.activities.order_by("created_at", "id").values_list("kind", flat=True))
    assert kinds == [ActivityKind.SUBMITTED, ActivityKind.MERGE, ActivityKind.ASSIGNMENT]


def test_the_form_post_reads_the_programs_once(client, program, covered, settings):  # noqa: F811
    settings.INQUIRY_MIN_FILL_SECONDS = 0
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/request-info/", form_data(program))

    assert response.status_code == 302
    program_reads = [q for q in captured if 'FROM "programs_program"' in q["sql"]]
    assert len(program_reads) == 1
    # The form's two reads (programs, their campuses), then the statements above but the
    # phone match (no phone given).
    assert len(captured) == 11 + LOCK, "\n".join(q["sql"][:120] for q in captured)
    assert Inquiry.objects.get().owner == covered


def test_a_submissions_emails_are_queued_as_one_task_after_the_commit(
    program,  # noqa: F811
    covered,
    django_capture_on_commit_callbacks,
):
    backend = task_backends["default"] = DummyBackend(alias="default", params={})
    # (the immediate_tasks fixture puts the backend it found back afterwards)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inquiry = record_inquiry(submission=submission(program))

    assert len(callbacks) == 1
    owed = list(Notification.objects.filter(inquiry=inquiry).order_by("id").values_list("pk"))
    assert len(owed) == 3
    (queued,) = backend.results
    assert queued.task.name == "send_notifications"
    assert queued.args == [[pk for (pk,) in owed]]
