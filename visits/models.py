"""Info sessions and campus tours that prospects register for, and their registrations.

Seats are counted, never stored: an event's seats taken are the sum of its confirmed
registrations' seats (one for the person, one per guest), counted under a row lock on the
event by `visits.services.register`, so two people can never take the same last seat.
"""

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    INFO_SESSION = "info_session", _("Information session")
    CAMPUS_TOUR = "campus_tour", _("Campus tour")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    CANCELLED = "cancelled", "Cancelled"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"


def confirmed_seats(prefix: str = "") -> Sum:
    """The seats the confirmed registrations hold (each is one person plus their guests)."""
    return Sum(
        F(f"{prefix}guests") + 1, filter=Q(**{f"{prefix}status": RegistrationStatus.CONFIRMED})
    )


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, cancelled_at__isnull=True)

    def upcoming(self, now=None):
        """Published, not cancelled, not started yet: what the public pages list."""
        return self.published().filter(starts_at__gt=now or timezone.now())

    def with_seats_taken(self):
        return self.annotate(seats_taken=Coalesce(confirmed_seats("registrations__"), 0))


class Event(models.Model):
    """An information session (on campus or online) or a campus tour."""

    kind = models.CharField(max_length=20, choices=EventKind, default=EventKind.INFO_SESSION)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="A short paragraph for the event page.")
    programs = models.ManyToManyField(
        "programs.Program",
        related_name="visit_events",
        blank=True,
        help_text="The programs it is about; none for a session about the college as a whole.",
    )
    campus = models.ForeignKey(
        "programs.Campus",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visit_events",
        help_text="Empty for an online session.",
    )
    online_url = models.URLField(
        "joining link", blank=True, help_text="For an online session: where people join it."
    )
    starts_at = models.DateTimeField("starts at")
    ends_at = models.DateTimeField("ends at")
    capacity = models.PositiveIntegerField(
        help_text="Seats in all, guests included. Registrations beyond it join the waitlist."
    )
    registration_closes_at = models.DateTimeField(
        "registration closes at",
        null=True,
        blank=True,
        help_text="Empty: registration stays open until the event starts.",
    )
    is_published = models.BooleanField("published", default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="visits_event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(campus__isnull=False) | ~Q(online_url=""),
                name="visits_event_has_a_place_or_link",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="visits_event_has_seats"),
        ]

    def __str__(self):
        when = self.local_starts_at.strftime("%b %-d, %Y %-I:%M %p %Z")
        return f"{self.title} ({when})"

    def get_absolute_url(self):
        return reverse("visits:event-detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return slugify(self.title)[:80] or "event"

    @property
    def is_online(self) -> bool:
        return self.campus_id is None

    @property
    def time_zone(self) -> ZoneInfo:
        """Where it happens decides its clock: the campus's zone; online, the college's."""
        name = self.campus.time_zone if self.campus_id else settings.TIME_ZONE
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):  # a typo in the campus's zone
            return ZoneInfo(settings.TIME_ZONE)

    def in_local_time(self, moment: datetime.datetime) -> datetime.datetime:
        return moment.astimezone(self.time_zone)

    @property
    def local_starts_at(self) -> datetime.datetime:
        return self.in_local_time(self.starts_at)

    @property
    def local_ends_at(self) -> datetime.datetime:
        return self.in_local_time(self.ends_at)

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def is_open_for_registration(self, now=None) -> bool:
        return (
            self.is_published
            and not self.is_cancelled
            and (now or timezone.now()) < (self.closes_at)
        )

    @property
    def seats_left(self) -> int:
        """Needs `with_seats_taken()`."""
        return max(self.capacity - self.seats_taken, 0)


class Registration(models.Model):
    """One person's place at an event, for themselves and their guests."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +14075550123.")
    guests = models.PositiveSmallIntegerField(default=0, help_text="People coming with them.")
    status = models.CharField(
        max_length=20, choices=RegistrationStatus, default=RegistrationStatus.CONFIRMED
    )
    attendance = models.CharField(max_length=20, choices=Attendance, blank=True)
    checked_in_at = models.DateTimeField("checked in at", null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(
        max_length=7, default="en", help_text="The language of the page they registered on."
    )
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    invitation_sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="The calendar invitation's SEQUENCE: one more each time the booking changes.",
    )
    reminded_day_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminded_hours_before_at = models.DateTimeField(null=True, blank=True, editable=False)
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_registrations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The same email registering twice updates its one registration (the service);
            # the database refuses a second one outright.
            models.UniqueConstraint(
                F("event"),
                Lower("email"),
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="visits_one_registration_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Registration {self.pk}"

    @property
    def seats(self) -> int:
        return 1 + self.guests
