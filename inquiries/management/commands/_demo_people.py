"""The demo's examples of one person, one inquiry: a repeat kept whole, a possible duplicate
(a shared family phone) and submissions held as possible spam, for the admin to show."""

import datetime

from inquiries.models import (
    ActivityKind,
    Inquiry,
    Notification,
    NotificationKind,
    NotificationStatus,
    Outcome,
    RepeatSubmission,
    Status,
)
from inquiries.services import timeline


def _inquiry(*, submitted, **fields) -> Inquiry:
    inquiry = Inquiry.objects.create(postal_code="34741", **fields)
    Inquiry.objects.filter(pk=inquiry.pk).update(submitted_at=submitted)
    inquiry.submitted_at = submitted
    return inquiry


def add_people_examples(*, now: datetime.datetime, program) -> str:
    hours = datetime.timedelta(hours=1)
    mother = _inquiry(
        submitted=now - 30 * hours,
        first_name="Carmen",
        last_name="Ortiz",
        email="carmen.ortiz@example.com",
        phone="+14075550177",
        program=program,
        source_page="/programs/medical-assistant-technician/",
    )
    timeline.add_activity(inquiry=mother, kind=ActivityKind.SUBMITTED, at=mother.submitted_at)
    RepeatSubmission.objects.create(
        inquiry=mother,
        submitted_at=now - 6 * hours,
        first_name="Carmen",
        last_name="Ortiz Rivera",
        email="carmen.ortiz@example.com",
        phone="+14075550177",
        program=program,
        message="Do you have evening classes? I work until 4.",
        source_page="/compare/medical-assistant-vs-phlebotomist/",
    )
    timeline.add_activity(
        inquiry=mother,
        kind=ActivityKind.REPEAT_SUBMISSION,
        body="Sent the form again (same email).",
        at=now - 6 * hours,
    )
    daughter = _inquiry(
        submitted=now - 3 * hours,
        first_name="Lucia",
        last_name="Ortiz",
        email="lucia.ortiz@example.com",
        phone="+14075550177",
        program=program,
        possible_duplicate_of=mother,
        source_page="/careers/phlebotomist/",
    )
    timeline.add_activity(
        inquiry=daughter,
        kind=ActivityKind.MERGE,
        body=f"Possible duplicate of inquiry {mother.pk}: the same phone number under another "
        "email. Merge them if they are one person.",
        at=daughter.submitted_at,
    )
    for minutes, name, email, signals, score in [
        (50, ("Best", "Deals"), "deals@mailinator.com", "too_fast, many_links", 3),
        (200, ("Sam", "Rivera"), "sam.rivera@example.com", "honeypot", 3),
    ]:
        held = _inquiry(
            submitted=now - datetime.timedelta(minutes=minutes),
            first_name=name[0],
            last_name=name[1],
            email=email,
            status=Status.HELD,
            held_at=now - datetime.timedelta(minutes=minutes),
            spam_signal=signals,
            spam_score=score,
            message="Visit http://cheap.example http://x.example http://y.example http://z.example"
            if "links" in signals
            else "",
        )
        timeline.add_activity(
            inquiry=held,
            kind=ActivityKind.SUBMITTED,
            body=f"Held for review as possible spam ({signals}; score {score}).",
            at=held.submitted_at,
        )
    return "a repeat, a possible duplicate, 2 held for review"


def add_reply_examples(*, now: datetime.datetime, rep) -> str:
    """Two emails a representative wrote from the inquiry page, already sent: the outbox
    shows them as sent (nothing owed) and the timelines as emails sent."""
    written = 0
    inquiries = Inquiry.objects.filter(owner=rep, status=Status.CONTACTED, may_email=True)
    for inquiry in inquiries.order_by("submitted_at")[:2]:
        sent_at = now - datetime.timedelta(hours=20 + 5 * written)
        subject = f"Your questions about {inquiry.program or 'our programs'}"
        body = (
            f"Hi {inquiry.first_name},\n\nThank you for asking about the program. "
            "When is a good time for a short call?\n\n"
            f"{rep.get_full_name()}\nAdmissions"
        )
        Notification.objects.create(
            inquiry=inquiry,
            kind=NotificationKind.REPLY,
            recipient=inquiry.email,
            status=NotificationStatus.SENT,
            attempts=1,
            subject=subject,
            body=body,
            sent_by=rep,
            sent_at=sent_at,
        )
        entry = timeline.add_activity(
            inquiry=inquiry,
            kind=ActivityKind.EMAIL,
            body=f"Sent “{subject}” from the inquiry page.",
            author=rep,
            at=sent_at,
        )
        type(entry).objects.filter(pk=entry.pk).update(outcome=Outcome.SENT)
        written += 1
    return f"{written} replies sent"
