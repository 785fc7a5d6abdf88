"""The morning reminder: one email to each representative with something on their plate today:
new leads of theirs nobody has tried yet, and follow-ups due today (or already overdue).

`manage.py send_follow_up_reminders` runs it from a scheduler every morning. It is safe to
run twice: a representative gets at most one reminder per day (local time), whatever runs it.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from inquiries import selectors
from inquiries.emails import admin_link
from inquiries.models import (
    OPEN_STATUSES,
    Inquiry,
    Notification,
    NotificationKind,
    Status,
)
from inquiries.services import notifications

# Longer lists end with "and N more": the email is a nudge, My day is the list.
MAX_LISTED = 25


@dataclasses.dataclass
class Plate:
    """What one representative has to do today."""

    user: object
    new_leads: list[Inquiry]
    due_today: list[Inquiry]
    overdue: list[Inquiry]

    @property
    def is_empty(self) -> bool:
        return not (self.new_leads or self.due_today or self.overdue)


def _day_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Midnight to midnight of `now`'s day in the college's time zone."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def plate_for(user, *, now: datetime.datetime) -> Plate:
    start, end = _day_bounds(now)
    theirs = Inquiry.objects.filter(owner=user).select_related("program")
    new_leads = theirs.filter(status=Status.NEW, first_attempted_at__isnull=True).order_by(
        "submitted_at"
    )
    follow_ups = theirs.filter(status__in=OPEN_STATUSES, next_follow_up_at__lt=end).order_by(
        "next_follow_up_at"
    )
    return Plate(
        user=user,
        new_leads=list(new_leads),
        due_today=list(follow_ups.filter(next_follow_up_at__gte=start)),
        overdue=list(follow_ups.filter(next_follow_up_at__lt=start)),
    )


def _my_day_link() -> str:
    try:
        path = reverse("admin:inquiries_inquiry_my_day")
    except NoReverseMatch:
        path = reverse("admin:inquiries_inquiry_changelist") + "?owner=mine&status=open"
    return admin_link(path)


def _line(inquiry: Inquiry, when: str) -> str:
    program = f", {inquiry.program.name}" if inquiry.program_id else ""
    return f"- {when}{inquiry}{program}\n  {admin_link(inquiry.get_absolute_url())}"


def _section(title: str, inquiries: list[Inquiry], when) -> list[str]:
    if not inquiries:
        return []
    lines = [f"{title} ({len(inquiries)})"]
    lines += [_line(inquiry, when(inquiry)) for inquiry in inquiries[:MAX_LISTED]]
    if len(inquiries) > MAX_LISTED:
        lines.append(f"- and {len(inquiries) - MAX_LISTED} more on My day")
    return [*lines, ""]


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def compose(plate: Plate, *, now: datetime.datetime) -> tuple[str, str]:
    """The reminder's (subject, body), plain text."""
    follow_ups = len(plate.due_today) + len(plate.overdue)
    parts = []
    if plate.new_leads:
        parts.append(_count(len(plate.new_leads), "new lead", "new leads"))
    if follow_ups:
        parts.append(_count(follow_ups, "follow-up", "follow-ups"))
    subject = f"Your day: {' and '.join(parts)}"

    def waited(inquiry):
        return f"waiting {selectors.short_duration(now - inquiry.submitted_at)}: "

    def at_time(inquiry):
        return f"{timezone.localtime(inquiry.next_follow_up_at):%-I:%M %p}: "

    def on_day(inquiry):
        return f"{timezone.localtime(inquiry.next_follow_up_at):%b %-d}: "

    name = plate.user.first_name or selectors.staff_name(plate.user)
    lines = [
        f"Good morning {name},",
        "",
        f"Your day at {settings.INSTITUTION_NAME} admissions, "
        f"{timezone.localtime(now):%A, %B %-d}:",
        "",
        *_section("New leads nobody has tried yet, longest waiting first", plate.new_leads, waited),
        *_section("Follow-ups due today", plate.due_today, at_time),
        *_section("Overdue follow-ups", plate.overdue, on_day),
        f"My day: {_my_day_link()}",
        "",
        "You get this email on mornings when something is waiting for you.",
    ]
    return subject, "\n".join(lines) + "\n"


def _already_reminded(user, *, now: datetime.datetime) -> bool:
    start, end = _day_bounds(now)
    return Notification.objects.filter(
        kind=NotificationKind.REMINDER,
        recipient__iexact=user.email,
        created_at__gte=start,
        created_at__lt=end,
    ).exists()


@dataclasses.dataclass
class RunSummary:
    sent: list[str] = dataclasses.field(default_factory=list)
    already: list[str] = dataclasses.field(default_factory=list)
    nothing_due: int = 0

    def __str__(self):
        sent = f"{len(self.sent)} sent" + (f" ({', '.join(self.sent)})" if self.sent else "")
        return (
            f"reminders: {sent}, {len(self.already)} already sent today, "
            f"{self.nothing_due} with nothing due"
        )


def send_follow_up_reminders(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> RunSummary:
    """Queue today's reminder for every active staff member who works inquiries and has new
    leads or follow-ups waiting; at most one per person per day."""
    now = now or timezone.now()
    summary = RunSummary()
    for user in selectors.assignable_staff().exclude(email=""):
        with transaction.atomic():
            # Two runs at once queue up on the person's row: the second finds the first's.
            type(user).objects.select_for_update().filter(pk=user.pk).first()
            if _already_reminded(user, now=now):
                summary.already.append(user.get_username())
                continue
            plate = plate_for(user, now=now)
            if plate.is_empty:
                summary.nothing_due += 1
                continue
            summary.sent.append(user.get_username())
            if dry_run:
                continue
            subject, body = compose(plate, now=now)
            notifications.queue_notification(
                inquiry=None,
                kind=NotificationKind.REMINDER,
                recipient=user.email,
                subject=subject,
                body=body,
            )
    return summary
