"""A living demo for the admissions desk: staff logins and twelve weeks of inquiries.

Every workflow change is written through inquiries.services (backdated with `at=`), so the
timelines look like the real thing. No email is owed for demo data: assignments are made
without notifications.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from inquiries.management.commands._demo_day import add_day_examples
from inquiries.management.commands._demo_people import add_people_examples, add_reply_examples
from inquiries.management.commands._demo_words import (
    AREA_CODES,
    ATTEMPT_NOTES,
    CALL_NOTES,
    EMAIL_NOTES,
    FIRST_NAMES,
    LAST_NAMES,
    MESSAGES,
    NOTES,
    REPLY_NOTES,
    TEXT_NOTES,
)
from inquiries.models import (
    ActivityKind,
    ClosedReason,
    ContactMethod,
    Coverage,
    Inquiry,
    Outcome,
    StartTimeframe,
    Status,
)
from inquiries.services import capture, timeline, workflow
from programs.models import Campus, Program

DEMO_PASSWORD = "portal-demo"  # noqa: S105 (documented demo logins, DEBUG only)
DEMO_PROGRAM_SLUG = "medical-assistant-technician"

# username, first name, last name, group
DEMO_STAFF = [
    ("rep", "Rosa", "Alvarez", "Admissions representative"),
    ("rep2", "Marcus", "Bell", "Admissions representative"),
    ("manager", "Dana", "Whitfield", "Admissions manager"),
    ("editor", "Lee", "Chen", "Content editor"),
]

SOURCE_PAGES = [
    ("/compare/medical-assistant-vs-phlebotomist/", 26),
    ("/compare/medical-assistant-vs-laboratory-technician/", 22),
    ("/careers/medical-assistant/", 18),
    ("/careers/phlebotomist/", 8),
    ("/careers/laboratory-technician/", 7),
    (f"/programs/{DEMO_PROGRAM_SLUG}/", 14),
    ("/", 5),
]
CAMPAIGNS = [
    ("", "", ""),
    ("", "", ""),
    ("google", "cpc", "ma-diploma"),
    ("facebook", "social", "healthcare-careers"),
    ("newsletter", "email", "open-house"),
]
CONSENT_TEXT = (
    "By sending this form I agree that the college may contact me about its programs by "
    "phone, text or email. Agreeing is not a condition of enrollment."
)


def create_demo_staff() -> dict[str, object]:
    """The demo logins (see the README), one per group plus a second representative."""
    User = get_user_model()
    staff = {}
    for username, first, last, group_name in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@ftc.example",
                "is_staff": True,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            user.groups.add(group)
        staff[username] = user
    return staff


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _submission_time(rng: random.Random, now: datetime.datetime, days: int):
    """A time in the last `days` days, in office-ish hours, a little busier recently."""
    age_days = min(rng.triangular(0, days, 0), days - 0.01)
    moment = timezone.localtime(now - datetime.timedelta(days=age_days))
    moment = moment.replace(hour=rng.choice([8, 9, 10, 11, 12, 13, 14, 15, 16, 19, 20, 21]))
    moment = moment.replace(minute=rng.randrange(60))
    return min(moment, now - datetime.timedelta(minutes=rng.randrange(5, 90)))


class _Story:
    """The life of one demo inquiry, told through the services with backdated times."""

    def __init__(self, *, rng, inquiry, now, reps, manager):
        self.rng = rng
        self.inquiry = inquiry
        self.now = now
        self.reps = reps
        self.manager = manager
        self.clock = inquiry.submitted_at

    def later(self, low_minutes, high_minutes):
        """Advance the story's clock; False when that moment would be in the future."""
        step = datetime.timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))
        if self.clock + step >= self.now:
            return False
        self.clock += step
        return True

    def reach(self, owner) -> bool:
        """The first attempt (most within the hour, a long tail over a day or two), and as
        many more as it takes to talk with them; False if they were not reached (yet)."""
        rng = self.rng
        delay = rng.choice([(3, 30), (10, 55), (20, 59), (45, 240), (120, 2880)])
        if not self.later(*delay):
            return False
        channel = _weighted(
            rng, [(ActivityKind.CALL, 6), (ActivityKind.EMAIL, 2), (ActivityKind.TEXT, 1)]
        )
        if channel != ActivityKind.CALL:
            notes = EMAIL_NOTES if channel == ActivityKind.EMAIL else TEXT_NOTES
            self.contact(owner, channel, Outcome.SENT, rng.choice(notes))
            if not self.later(30, 24 * 60):
                return False
            self.contact(owner, channel, Outcome.REPLIED, rng.choice(REPLY_NOTES))
            return True
        # Some calls go to voicemail or ring out, once or twice, before someone picks up.
        for _ in range(_weighted(rng, [(0, 5), (1, 3), (2, 2)])):
            missed = _weighted(rng, [(Outcome.VOICEMAIL, 3), (Outcome.NO_ANSWER, 1)])
            self.contact(owner, channel, missed, ATTEMPT_NOTES[missed])
            if not self.later(3 * 60, 26 * 60):
                return False
        self.contact(owner, channel, Outcome.CONNECTED, rng.choice(CALL_NOTES))
        return True

    def contact(self, owner, channel, outcome, body):
        workflow.log_contact(
            inquiry=self.inquiry,
            channel=channel,
            outcome=outcome,
            body=body,
            by=owner,
            at=self.clock,
        )

    def tell(self, owner):
        rng, inquiry = self.rng, self.inquiry
        timeline.add_activity(
            inquiry=inquiry,
            kind=ActivityKind.SUBMITTED,
            body=f"Request-info form sent from {inquiry.source_page}.",
            at=self.clock,
        )
        if rng.random() < 0.04:
            if self.later(20, 600):
                workflow.change_status(
                    inquiry=inquiry,
                    status=Status.CLOSED,
                    closed_reason=ClosedReason.SPAM,
                    by=self.manager,
                    at=self.clock,
                )
            return
        if owner is not None:
            workflow.assign_owner(inquiry=inquiry, owner=owner, notify=False, at=self.clock)
        elif self.later(60, 2 * 24 * 60):
            owner = rng.choice(self.reps)
            workflow.assign_owner(
                inquiry=inquiry, owner=owner, by=self.manager, notify=False, at=self.clock
            )
        else:
            return
        if not self.reach(owner):
            return
        if rng.random() < 0.5 and self.later(5, 120):
            workflow.add_note(inquiry=inquiry, body=rng.choice(NOTES), by=owner, at=self.clock)
        stages = [
            (Status.APPOINTMENT, 0.5, (24 * 60, 6 * 24 * 60)),
            (Status.APPLIED, 0.55, (2 * 24 * 60, 10 * 24 * 60)),
            (Status.ENROLLED, 0.6, (3 * 24 * 60, 14 * 24 * 60)),
        ]
        for status, chance, wait in stages:
            roll = rng.random()
            if roll >= chance:
                if roll > 0.75 and self.later(2 * 24 * 60, 9 * 24 * 60):
                    reason = _weighted(
                        rng, [(ClosedReason.NOT_INTERESTED, 3), (ClosedReason.UNREACHABLE, 2)]
                    )
                    workflow.change_status(
                        inquiry=inquiry,
                        status=Status.CLOSED,
                        closed_reason=reason,
                        by=owner,
                        at=self.clock,
                    )
                    return
                break
            if not self.later(*wait):
                break
            workflow.change_status(inquiry=inquiry, status=status, by=owner, at=self.clock)
        if inquiry.is_open and self.later(5, 60):
            # Open inquiries were last touched in the past few days; about a third of their
            # follow-ups have come due: the overdue ones the dashboard lists.
            recently = self.now - datetime.timedelta(hours=rng.uniform(2, 96))
            self.clock = max(self.clock, recently)
            when = self.clock + datetime.timedelta(hours=rng.choice([4, 20, 26, 50, 74, 120]))
            workflow.set_follow_up(inquiry=inquiry, when=when, by=owner, at=self.clock)


@transaction.atomic
def load_demo_inquiries(
    *, count: int = 300, weeks: int = 12, seed: int = 6, now: datetime.datetime | None = None
) -> str:
    """Create the demo staff, program coverage and `count` inquiries over `weeks` weeks.

    Does nothing when any inquiry exists, so it never mixes with real or earlier data.
    """
    if Inquiry.objects.exists():
        return "demo inquiries: skipped (inquiries already exist)"
    now = now or timezone.now()
    rng = random.Random(seed)
    staff = create_demo_staff()
    reps = [staff["rep"], staff["rep2"]]
    programs = list(Program.objects.prefetch_related("campuses"))
    demo_program = next((p for p in programs if p.slug == DEMO_PROGRAM_SLUG), None)
    if demo_program is not None:
        for rep in reps:
            Coverage.objects.get_or_create(representative=rep, program=demo_program)
    all_campuses = list(Campus.objects.filter(is_active=True))
    program_weights = [(p, 70 if p == demo_program else 30 / len(programs)) for p in programs]
    next_rep = 0
    for number in range(count):
        source_page = _weighted(rng, SOURCE_PAGES)
        program = _weighted(rng, program_weights) if programs else None
        if source_page == "/" and rng.random() < 0.6:
            program = None  # asked from the home page without choosing a program
        campuses = (list(program.campuses.all()) if program else []) or all_campuses
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        submitted = _submission_time(rng, now, weeks * 7)
        utm_source, utm_medium, utm_campaign = rng.choice(CAMPAIGNS)
        consent = rng.random() < 0.8
        inquiry = Inquiry.objects.create(
            first_name=first,
            last_name=last,
            email=f"{first}.{last}{number}@example.com".lower().replace("-", ""),
            phone=f"+1{rng.choice(AREA_CODES)}55501{rng.randrange(100):02d}",
            postal_code=rng.choice(["34741", "34744", "34746", "32801", "32822", "34769"]),
            program=program,
            campus=rng.choice(campuses) if campuses else None,
            start_timeframe=rng.choice(StartTimeframe.values),
            contact_method=rng.choice(ContactMethod.values),
            message=rng.choice(MESSAGES),
            consent_given=consent,
            consent_text=CONSENT_TEXT if consent else "",
            consent_version="1" if consent else "",
            consent_channels=capture.CONSENT_CHANNELS if consent else "",
            consented_at=submitted if consent else None,
            may_call=consent,
            may_text=consent,
            source_page=source_page,
            utm_source=utm_source,
            utm_medium=utm_medium,
            utm_campaign=utm_campaign,
        )
        Inquiry.objects.filter(pk=inquiry.pk).update(submitted_at=submitted)
        inquiry.submitted_at = submitted
        # Routing as the form does it: round-robin for the covered program, else a manager
        # picks the inquiry up later.
        owner = None
        if program is not None and program == demo_program:
            owner = reps[next_rep % len(reps)]
            next_rep += 1
        story = _Story(rng=rng, inquiry=inquiry, now=now, reps=reps, manager=staff["manager"])
        story.tell(owner)
    people = add_people_examples(now=now, program=demo_program) if demo_program else ""
    if demo_program is not None:
        people += f", {add_day_examples(now=now, program=demo_program, rep=staff['rep'])}"
        people += f", {add_reply_examples(now=now, rep=staff['rep'])}"
    return f"demo inquiries: {count} over {weeks} weeks ({people}), staff {', '.join(staff)}"


class Command(BaseCommand):
    help = (
        "Create demo staff (one login per group) and a few hundred demo inquiries with their "
        "timelines. Does nothing when inquiries exist; refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="How many inquiries.")

    def handle(self, *args, count, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data has well-known passwords: this command runs only with DEBUG on."
            )
        self.stdout.write(load_demo_inquiries(count=count))
