from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.urls import reverse
from django.utils import timezone

from inquiries.choices import (  # noqa: F401 (the models' choices, imported from here too)
    FUNNEL,
    OPEN_STATUSES,
    TWO_WAY_OUTCOMES,
    ActivityKind,
    Channel,
    ClosedReason,
    ContactMethod,
    DataRequestKind,
    NotificationKind,
    NotificationStatus,
    Outcome,
    StartTimeframe,
    Status,
    SubmissionKind,
    funnel_stage,
)
from inquiries.indexes import INQUIRY_INDEXES


class InquiryQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Inquiry(models.Model):
    """A prospect's request for information, and the admissions work on it."""

    # Who
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +16175550123.")
    postal_code = models.CharField("ZIP code", max_length=10)
    # What
    # A program or campus that inquiries name cannot be deleted: unpublish it instead.
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    campus = models.ForeignKey(
        "programs.Campus",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
    )
    start_timeframe = models.CharField(
        "hopes to start", max_length=20, choices=StartTimeframe, blank=True
    )
    contact_method = models.CharField(
        "preferred contact method", max_length=10, choices=ContactMethod, default="email"
    )
    message = models.TextField(blank=True)
    language = models.CharField(
        max_length=7,
        default="en",
        db_index=True,
        help_text="The language of the form they sent: their emails go in it.",
    )
    # Consent to calls and texts, exactly as shown
    consent_given = models.BooleanField(default=False)
    consent_text = models.TextField(blank=True)
    consent_version = models.CharField(max_length=20, blank=True)
    consent_channels = models.CharField(max_length=50, blank=True, help_text="e.g. phone,text")
    consented_at = models.DateTimeField(null=True, blank=True)
    # Consent as it stands now, per channel: given on the form, withdrawn later by the
    # prospect (the unsubscribe link) or recorded by staff; each change is on the timeline.
    may_email = models.BooleanField(
        "may email", default=True, help_text="Asking for information is asking to be emailed."
    )
    may_call = models.BooleanField("may call", default=False)
    may_text = models.BooleanField("may text", default=False)
    # Attribution
    source_page = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=1000, blank=True)
    utm_source = models.CharField(max_length=200, blank=True)
    utm_medium = models.CharField(max_length=200, blank=True)
    utm_campaign = models.CharField(max_length=200, blank=True)
    # Workflow
    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, db_index=True)
    closed_reason = models.CharField(max_length=20, choices=ClosedReason, blank=True)
    # How far along the funnel it ever got (FUNNEL's index), raised by workflow.change_status:
    # a closed inquiry still counts as having applied (the dashboard, "reached stage").
    stage_reached = models.PositiveSmallIntegerField(default=0, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_inquiries",
    )
    next_follow_up_at = models.DateTimeField("next follow-up", null=True, blank=True)
    first_attempted_at = models.DateTimeField(
        null=True, blank=True, help_text="The first call, email or text to them, answered or not."
    )
    first_contacted_at = models.DateTimeField(
        null=True, blank=True, help_text="The first two-way contact: a call connected, a reply."
    )
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    spam_signal = models.CharField(
        max_length=200,
        blank=True,
        help_text="What made the form doubt a person sent it (honeypot, too fast, links...).",
    )
    spam_score = models.PositiveSmallIntegerField(default=0)
    held_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was held for review as possible spam."
    )
    released_at = models.DateTimeField(
        null=True, blank=True, help_text="When a manager released it from review as not spam."
    )
    # One person, one inquiry: a phone shared with another inquiry's different email only
    # marks a possible duplicate; a manager merges the two if they are one person.
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_from"
    )

    objects = InquiryQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name_plural = "inquiries"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(status=Status.CLOSED) & ~models.Q(closed_reason="")
                    | ~models.Q(status=Status.CLOSED) & models.Q(closed_reason="")
                ),
                name="closed_reason_only_when_closed",
            ),
        ]
        indexes = INQUIRY_INDEXES
        permissions = [
            ("assign_inquiry", "Can assign inquiries to other staff"),
            ("export_inquiry", "Can export inquiries as CSV"),
            ("view_dashboard", "Can view the admissions dashboard"),
            ("merge_inquiry", "Can merge inquiries and split submissions out"),
            ("review_spam", "Can release or close inquiries held as possible spam"),
            ("manage_personal_data", "Can export or erase everything held about a person"),
            ("send_reply", "Can email a prospect from the inquiry's page"),
            ("manage_team", "Can add, change and deactivate representatives"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Inquiry {self.pk}"

    def get_absolute_url(self):
        return reverse("admin:inquiries_inquiry_change", args=[self.pk])

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class Activity(models.Model):
    """One entry on an inquiry's timeline. Written by services, never edited."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=20, choices=ActivityKind)
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for entries the system wrote.",
    )
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "timeline entry"
        verbose_name_plural = "timeline"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.inquiry}"


class RepeatSubmission(models.Model):
    """A form a person sent that joined an inquiry other than as its first submission: they
    asked again with the same email, or their other inquiry was merged into this one. Kept
    whole, so what they typed stays visible and searchable, and can be split back out."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="submissions")
    kind = models.CharField(max_length=20, choices=SubmissionKind, default=SubmissionKind.REPEAT)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=20, blank=True)
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    campus = models.ForeignKey(
        "programs.Campus", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_timeframe = models.CharField(
        "hopes to start", max_length=20, choices=StartTimeframe, blank=True
    )
    contact_method = models.CharField(
        "preferred contact method", max_length=10, choices=ContactMethod, default="email"
    )
    message = models.TextField(blank=True)
    language = models.CharField(max_length=7, default="en")
    consent_given = models.BooleanField(default=False)
    source_page = models.CharField(max_length=500, blank=True)
    referrer = models.CharField(max_length=1000, blank=True)
    utm_source = models.CharField(max_length=200, blank=True)
    utm_medium = models.CharField(max_length=200, blank=True)
    utm_campaign = models.CharField(max_length=200, blank=True)
    split_into = models.ForeignKey(
        Inquiry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The inquiry of its own this submission was split out into.",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "later submission"

    def __str__(self):
        return f"{self.first_name} {self.last_name}".strip() or f"Submission {self.pk}"


class Coverage(models.Model):
    """An admissions representative who takes new inquiries for a program.

    New inquiries for the program are shared round-robin among its representatives: the one
    whose last assignment here is oldest gets the next.
    """

    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coverages"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="coverages"
    )
    last_assigned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["program", "representative"]
        verbose_name = "program coverage"
        verbose_name_plural = "program coverage"
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "program"], name="one_coverage_per_program"
            ),
        ]

    def __str__(self):
        return f"{self.representative} covers {self.program}"


class Notification(models.Model):
    """One email about an inquiry, and what happened when the worker tried to send it.

    The row exists before the task is queued, so a failed or lost task never hides that an
    email was owed; a row already marked sent is never sent again.
    """

    # Empty only for a representative's morning reminder, which is about many inquiries.
    inquiry = models.ForeignKey(
        Inquiry, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind)
    recipient = models.EmailField(max_length=254)
    status = models.CharField(
        max_length=20, choices=NotificationStatus, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    submission = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "For a repeat submission: the name, email and contact preference just given, so "
            "the email never shows the earlier person's details to whoever typed their phone."
        ),
    )
    # A reply written from the inquiry's page, or a reminder: the email as composed.
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    calendar = models.TextField(
        blank=True, help_text="An iCalendar (.ics) invitation sent with the email, if any."
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"


class ReplyTemplate(models.Model):
    """An email admissions sends from an inquiry's page; managers write and edit them.

    The subject and body may use placeholders, filled in for each inquiry:
    {first_name}, {program}, {next_start}, {rep_name}, {rep_phone}, {institution}.
    """

    name = models.CharField(max_length=100, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    is_active = models.BooleanField("offered to representatives", default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "reply template"

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    """What the desk needs to know about a staff member beyond their login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="admissions_profile"
    )
    direct_line = models.CharField(
        max_length=20, blank=True, help_text="The phone number prospects may call them on."
    )
    languages = models.CharField(
        "languages spoken",
        max_length=50,
        blank=True,
        default="en",
        help_text="Language codes from settings.LANGUAGES, comma-separated, e.g. en,es.",
    )

    class Meta:
        verbose_name = "staff profile"

    def __str__(self):
        return f"Profile of {self.user}"


class Representative(User):
    """An admissions representative's login, as a manager sees it on the team page: who
    they are, the programs they cover, their direct line, whether they may sign in."""

    class Meta:
        proxy = True
        verbose_name = "representative"
        verbose_name_plural = "representatives"
        default_permissions = ()


class DataRequestLog(models.Model):
    """That someone's personal data was exported or erased, by whom and when; never what."""

    kind = models.CharField(max_length=20, choices=DataRequestKind)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inquiry_ids = models.JSONField(default=list, help_text="The inquiries it covered.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "personal data request"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"
