"""Admissions appointments: the slots a representative opens, and the one booking each takes.

One booking per slot is the database's rule (a unique constraint on the slot among live
bookings), and `appointments.services.book` takes it under a row lock on the slot, so two
people choosing the same time at once never both get it.
"""

import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("Video call")
    CAMPUS = "campus", _("On campus")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CANCELLED = "cancelled", "Cancelled"
    RESCHEDULED = "rescheduled", "Moved to another time"


class SlotQuerySet(models.QuerySet):
    def bookable(self, now=None):
        """Not cancelled, not started, nobody booked on it: what a prospect may choose."""
        return self.filter(cancelled_at__isnull=True, starts_at__gt=now or timezone.now()).exclude(
            bookings__status=BookingStatus.BOOKED
        )

    def for_program(self, program):
        """Slots for this program, and those open to any program."""
        if program is None:
            return self
        return self.filter(Q(programs=program) | Q(programs__isnull=True)).distinct()


class Slot(models.Model):
    """A time a representative keeps free to talk with one prospect."""

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointment_slots"
    )
    mode = models.CharField("how", max_length=10, choices=Mode, default=Mode.PHONE)
    campus = models.ForeignKey(
        "programs.Campus",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment_slots",
        help_text="Where an on-campus appointment is held; its time zone is the slot's.",
    )
    video_url = models.URLField(
        "video link", blank=True, help_text="For a video call: where the prospect joins it."
    )
    programs = models.ManyToManyField(
        "programs.Program",
        related_name="appointment_slots",
        blank=True,
        help_text="The programs it is offered for; none for any program.",
    )
    starts_at = models.DateTimeField("starts at")
    ends_at = models.DateTimeField("ends at")
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "appointment slot"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointments_slot_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(mode=Mode.CAMPUS) | Q(campus__isnull=False),
                name="appointments_campus_slot_has_a_campus",
            ),
            models.CheckConstraint(
                condition=~Q(mode=Mode.VIDEO) | ~Q(video_url=""),
                name="appointments_video_slot_has_a_link",
            ),
        ]

    def __str__(self):
        local = self.local_start
        return f"{local:%a %b %-d, %Y %-I:%M %p} {local.tzname()}, {self.get_mode_display()}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The campus's time zone for a campus slot, the college's otherwise."""
        name = self.campus.time_zone if self.campus_id else settings.TIME_ZONE
        return zoneinfo.ZoneInfo(name)

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self):
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    NO_SHOW = "no_show", "No-show"


class Booking(models.Model):
    """A prospect's booking of one slot. Rescheduling ends it and books the new slot."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    inquiry = models.ForeignKey(
        "inquiries.Inquiry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +14075550123.")
    topic = models.TextField("what they want to talk about", blank=True)
    language = models.CharField(max_length=7, default="en")
    status = models.CharField(max_length=20, choices=BookingStatus, default=BookingStatus.BOOKED)
    attendance = models.CharField(max_length=20, choices=Attendance, blank=True)
    rescheduled_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rescheduled_from"
    )
    # One calendar event across reschedules: the invitation's UID, and its SEQUENCE.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    calendar_sequence = models.PositiveSmallIntegerField(default=0, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status=BookingStatus.BOOKED),
                name="appointments_one_booking_per_slot",
            ),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Booking {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status == BookingStatus.BOOKED
