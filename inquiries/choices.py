"""The choices inquiries are made of: statuses, reasons, channels, outcomes, kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    APPOINTMENT = "appointment", "Appointment scheduled"
    APPLIED = "applied", "Applied"
    ENROLLED = "enrolled", "Enrolled"
    CLOSED = "closed", "Closed"
    # Outside the funnel: a submission that looks like spam waits here for a manager.
    HELD = "held", "Held for review"


OPEN_STATUSES = [Status.NEW, Status.CONTACTED, Status.APPOINTMENT, Status.APPLIED]
# The funnel, in order; closed and held inquiries stay at the stage they reached.
FUNNEL = [Status.NEW, Status.CONTACTED, Status.APPOINTMENT, Status.APPLIED, Status.ENROLLED]


def funnel_stage(status: str) -> int:
    """A status's place in the funnel (0 for new, 4 for enrolled); 0 outside it."""
    return FUNNEL.index(status) if status in FUNNEL else 0


class ClosedReason(models.TextChoices):
    NOT_INTERESTED = "not_interested", "Not interested"
    UNREACHABLE = "unreachable", "Unreachable"
    SPAM = "spam", "Spam"
    MERGED = "merged", "Merged into another inquiry"


class Channel(models.TextChoices):
    """The ways admissions may reach a prospect, each with its own consent."""

    EMAIL = "email", "Email"
    PHONE = "phone", "Phone calls"
    TEXT = "text", "Text messages"


class StartTimeframe(models.TextChoices):
    NEXT_START = "next_start", _("At the next start date")
    WITHIN_3_MONTHS = "3_months", _("Within 3 months")
    WITHIN_6_MONTHS = "6_months", _("Within 6 months")
    EXPLORING = "exploring", _("Just exploring")


class ContactMethod(models.TextChoices):
    """Labels in the reader's language: the form shows them in Spanish, staff in English."""

    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")


class ActivityKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    REPEAT_SUBMISSION = "repeat", "Asked again"
    NOTE = "note", "Note"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    TEXT = "text", "Text message"
    STATUS_CHANGE = "status", "Status change"
    ASSIGNMENT = "assignment", "Assignment"
    NOTIFICATION = "notification", "Notification"
    CONSENT = "consent", "Consent change"
    MERGE = "merge", "Merge or split"
    SPAM_REVIEW = "spam_review", "Spam review"
    DATA_REQUEST = "data_request", "Personal data request"
    VISIT = "visit", "Visit"
    APPOINTMENT = "appointment", "Appointment"


class Outcome(models.TextChoices):
    """What came of a call, an email or a text. Only a two-way contact is "contacted"."""

    CONNECTED = "connected", "Call: connected (spoke with them)"
    VOICEMAIL = "voicemail", "Call: left a voicemail"
    NO_ANSWER = "no_answer", "Call: no answer"
    WRONG_NUMBER = "wrong_number", "Call: wrong number"
    SENT = "sent", "Email or text: sent"
    REPLIED = "replied", "Email or text: they replied"


# The outcomes that are a conversation, not just an attempt.
TWO_WAY_OUTCOMES = (Outcome.CONNECTED, Outcome.REPLIED)


class SubmissionKind(models.TextChoices):
    REPEAT = "repeat", "Sent the form again"
    MERGED = "merged", "First submission of a merged inquiry"


class NotificationKind(models.TextChoices):
    ADMISSIONS_ALERT = "admissions_alert", "New inquiry, to the admissions inbox"
    CONFIRMATION = "confirmation", "Confirmation, to the prospect"
    OWNER_ASSIGNED = "owner_assigned", "Assignment, to the new owner"
    REPEAT_ALERT = "repeat_alert", "Repeat inquiry, to the owner"
    REPLY = "reply", "Reply from admissions, to the prospect"
    REMINDER = "reminder", "Morning reminder, to a representative"
    VISIT_CONFIRMATION = "visit_confirmation", "Visit registration, to the prospect"
    VISIT_WAITLISTED = "visit_waitlisted", "Visit waitlist place, to the prospect"
    VISIT_PROMOTED = "visit_promoted", "Visit seat from the waitlist, to the prospect"
    VISIT_REMINDER = "visit_reminder", "Visit reminder, to the prospect"
    VISIT_CANCELLED = "visit_cancelled", "Visit cancelled by the college, to the prospect"
    APPOINTMENT_BOOKED = "appointment_booked", "Appointment booked, to the prospect"
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment reminder, to the prospect"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled, to the prospect"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed (gave up)"
    # Never sent on purpose: the channel lacks consent, or the address had its one
    # confirmation of the day. The reason is in last_error and on the timeline.
    WITHHELD = "withheld", "Not sent (withheld)"


class DataRequestKind(models.TextChoices):
    EXPORT = "export", "Download of everything held"
    ERASURE = "erasure", "Erasure on request"
