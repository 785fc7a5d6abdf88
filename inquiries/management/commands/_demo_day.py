"""The demo's My day for the representative `rep`: new leads from the last hours, follow-ups
due later today and overdue ones, whatever the hour the demo is loaded at."""

import datetime

from django.utils import timezone

from inquiries.models import ActivityKind, Inquiry, Status
from inquiries.services import timeline, workflow

MINUTE = datetime.timedelta(minutes=1)

# first name, last name, phone, minutes since the form was sent
NEW_LEADS = [
    ("Yesenia", "Marrero", "+14075550131", 12),
    ("Tyrell", "Jackson", "+13215550146", 55),
    ("Ngoc Anh", "Nguyen", "+16895550152", 170),
]
# first name, last name, phone, follow-up: "today" (later today) or hours overdue
FOLLOW_UPS = [
    ("Keandra", "Wallace", "+14075550163", "today"),
    ("Rafael", "Quintero", "+13215550168", "today"),
    ("Shanice", "Brooks", "+14075550174", 3),
    ("Diego", "Salgado", "+16895550181", 27),
]


def _lead(first, last, phone, *, submitted, program, owner) -> Inquiry:
    inquiry = Inquiry.objects.create(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}.demo@example.com".lower().replace(" ", ""),
        phone=phone,
        postal_code="34741",
        program=program,
        contact_method="phone",
        may_call=True,
        may_text=True,
        consent_given=True,
        consent_channels="phone,text",
        consented_at=submitted,
        source_page="/programs/medical-assistant-technician/",
    )
    Inquiry.objects.filter(pk=inquiry.pk).update(submitted_at=submitted)
    inquiry.submitted_at = submitted
    timeline.add_activity(
        inquiry=inquiry,
        kind=ActivityKind.SUBMITTED,
        body="Request-info form sent from /programs/medical-assistant-technician/.",
        at=submitted,
    )
    workflow.assign_owner(inquiry=inquiry, owner=owner, notify=False, at=submitted)
    return inquiry


def add_day_examples(*, now: datetime.datetime, program, rep) -> str:
    for first, last, phone, minutes in NEW_LEADS:
        _lead(first, last, phone, submitted=now - minutes * MINUTE, program=program, owner=rep)
    local = timezone.localtime(now)
    end_of_today = local.replace(hour=23, minute=59, second=0, microsecond=0)
    for number, (first, last, phone, due) in enumerate(FOLLOW_UPS):
        submitted = now - datetime.timedelta(days=2 + number)
        inquiry = _lead(first, last, phone, submitted=submitted, program=program, owner=rep)
        spoke = submitted + 40 * MINUTE
        workflow.change_status(inquiry=inquiry, status=Status.CONTACTED, by=rep, at=spoke)
        workflow.add_note(
            inquiry=inquiry,
            body="Spoke with them about the schedules; they asked to be called back.",
            by=rep,
            at=spoke,
        )
        if due == "today":
            when = now + (end_of_today - local) * (0.3 + 0.4 * number)
        else:
            when = now - due * 60 * MINUTE
        workflow.set_follow_up(inquiry=inquiry, when=when, by=rep, at=spoke)
    return f"{len(NEW_LEADS)} new leads and {len(FOLLOW_UPS)} follow-ups for {rep.username}"
