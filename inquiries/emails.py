"""The emails the portal sends about an inquiry, rendered from templates/inquiries/email/."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from inquiries.models import (
    ActivityKind,
    Channel,
    ContactMethod,
    Inquiry,
    Notification,
    NotificationKind,
)
from inquiries.services import consent

# The promise the thank-you page and the confirmation email both make.
RESPONSE_TIME = gettext_lazy("within one business day")

# Emails to staff carry Reply-To: the prospect, so answering is one click. Every other kind
# goes to the prospect: it needs their consent to email and carries an unsubscribe link.
STAFF_KINDS = {
    NotificationKind.ADMISSIONS_ALERT,
    NotificationKind.OWNER_ASSIGNED,
    NotificationKind.REPEAT_ALERT,
    NotificationKind.REMINDER,
}


def contact_promise(contact_method: str) -> str:
    """How admissions will get in touch, in the words the prospect reads."""
    if contact_method == ContactMethod.PHONE:
        return gettext("by phone")
    if contact_method == ContactMethod.TEXT:
        return gettext("by text message")
    return gettext("by email")


def admin_link(path: str) -> str:
    """An absolute link to an admin page for staff email, at the admin's configured public
    address (ADMIN_BASE_URL, with its port if it has one)."""
    return settings.ADMIN_BASE_URL.rstrip("/") + path


def _admin_url(inquiry: Inquiry) -> str:
    return admin_link(inquiry.get_absolute_url())


def is_to_prospect(kind: str) -> bool:
    return kind not in STAFF_KINDS


def _reminder_message(notification: Notification) -> EmailMessage:
    """A representative's morning reminder: composed in full by services.reminders."""
    return EmailMessage(
        subject=" ".join(notification.subject.split()),
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
    )


# A visit's and an appointment's emails to the prospect are composed in full (in the booking's
# language, with their links) by their app when queued; here they only get their headers.
COMPOSED_FOR_PROSPECT = {
    NotificationKind.VISIT_CONFIRMATION,
    NotificationKind.VISIT_WAITLISTED,
    NotificationKind.VISIT_PROMOTED,
    NotificationKind.VISIT_REMINDER,
    NotificationKind.VISIT_CANCELLED,
    NotificationKind.APPOINTMENT_BOOKED,
    NotificationKind.APPOINTMENT_REMINDER,
    NotificationKind.APPOINTMENT_CANCELLED,
}


def _composed_message(notification: Notification) -> EmailMessage:
    url = consent.unsubscribe_url(inquiry_id=notification.inquiry_id, channel=Channel.EMAIL)
    return EmailMessage(
        subject=" ".join(notification.subject.split()),
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        reply_to=[settings.ADMISSIONS_EMAIL] if settings.ADMISSIONS_EMAIL else [],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def build_message(notification: Notification) -> EmailMessage:
    if notification.kind == NotificationKind.REMINDER:
        return _reminder_message(notification)
    if notification.kind in COMPOSED_FOR_PROSPECT:
        return _composed_message(notification)
    inquiry = Inquiry.objects.select_related("program", "campus", "owner").get(
        pk=notification.inquiry_id
    )
    with translation.override(email_language(notification, inquiry)):
        return _compose(notification, inquiry)


def email_language(notification: Notification, inquiry: Inquiry) -> str:
    """A prospect's email goes in the language of the form they sent (a repeat's, for what
    answers it); staff read theirs in the site's default language, whatever page or worker
    sends them."""
    if not is_to_prospect(notification.kind):
        return settings.LANGUAGE_CODE
    language = (notification.submission or {}).get("language") or inquiry.language
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _compose(notification: Notification, inquiry: Inquiry) -> EmailMessage:
    latest_repeat = None
    if notification.kind == NotificationKind.REPEAT_ALERT:
        latest_repeat = (
            inquiry.activities.filter(
                kind=ActivityKind.REPEAT_SUBMISSION, created_at__lte=notification.created_at
            )
            .order_by("-created_at", "-id")
            .first()
        )
    # A repeat submission's emails use what was just sent (see Notification.submission).
    submitted = notification.submission or {}
    context = {
        "inquiry": inquiry,
        "notification": notification,
        "institution_name": settings.INSTITUTION_NAME,
        "admin_url": _admin_url(inquiry),
        "response_time": RESPONSE_TIME,
        "first_name": submitted.get("first_name", inquiry.first_name),
        "program_name": submitted.get("program", str(inquiry.program or "")),
        "contact_promise": contact_promise(submitted.get("contact_method", inquiry.contact_method)),
        "latest_repeat": latest_repeat,
        "unsubscribe_url": "",
    }
    headers = {}
    if is_to_prospect(notification.kind):
        # One-click unsubscribe (RFC 8058): the mail program POSTs to the link itself.
        url = consent.unsubscribe_url(inquiry_id=inquiry.pk, channel=Channel.EMAIL)
        context["unsubscribe_url"] = url
        headers = {
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    template = f"inquiries/email/{notification.kind}"
    # A subject is one header line, whatever the template or the data contain.
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    if not is_to_prospect(notification.kind):
        prospect_email = submitted.get("email", inquiry.email)
        reply_to = [prospect_email] if prospect_email else []
    else:
        reply_to = [settings.ADMISSIONS_EMAIL] if settings.ADMISSIONS_EMAIL else []
    if notification.kind == NotificationKind.REPLY and getattr(notification.sent_by, "email", ""):
        # A reply written from the inquiry's page is answered to the person who wrote it.
        reply_to = [notification.sent_by.email]
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        reply_to=reply_to,
        headers=headers,
    )
