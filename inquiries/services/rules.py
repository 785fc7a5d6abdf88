"""The rules of working an inquiry, each stated once.

Every rule is a small function that says why a change is refused, or returns None: the
services that write raise it (`raise_if`), and `workflow.validate_update` collects them for a
form, so that a form and a service can never disagree on a rule or its wording.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from inquiries.models import ActivityKind, ClosedReason, Inquiry, Outcome, Status
from inquiries.services import timeline

CALL_OUTCOMES = (Outcome.CONNECTED, Outcome.VOICEMAIL, Outcome.NO_ANSWER, Outcome.WRONG_NUMBER)
MESSAGE_OUTCOMES = (Outcome.SENT, Outcome.REPLIED)
OUTCOMES_BY_CHANNEL = {
    ActivityKind.CALL: CALL_OUTCOMES,
    ActivityKind.EMAIL: MESSAGE_OUTCOMES,
    ActivityKind.TEXT: MESSAGE_OUTCOMES,
}
# A follow-up typed for "now" is a minute old by the time the form is sent.
FOLLOW_UP_GRACE = datetime.timedelta(minutes=5)


def can_assign_to_others(user) -> bool:
    """Managers may hand inquiries to anyone; representatives only take them for themselves."""
    return user.has_perm("inquiries.assign_inquiry")


def raise_if(field: str, refusal: str | None) -> None:
    if refusal:
        raise ValidationError({field: refusal})


def status_refusal(status: str) -> str | None:
    if status not in Status.values:
        return f"Unknown status {status!r}."
    return None


def closing_refusal(status: str, closed_reason: str) -> str | None:
    if status == Status.CLOSED and closed_reason not in ClosedReason.values:
        return "Choose why the inquiry is being closed."
    return None


def edit_status_refusal(inquiry: Inquiry, status: str, closed_reason: str) -> str | None:
    """What the inquiry page's status field may not do: review and merging have their own
    actions, which route, email and record what they did."""
    if status == Status.HELD and inquiry.status != Status.HELD:
        return "Only the request-info form holds an inquiry for review."
    if inquiry.status == Status.HELD and status not in (Status.HELD, Status.CLOSED):
        return "Release it from review with “Not spam” first: that routes it and emails them."
    merging = status == Status.CLOSED and closed_reason == ClosedReason.MERGED
    if merging and inquiry.closed_reason != ClosedReason.MERGED:
        return "Merge it from the inquiry list's “Merge two inquiries” action."
    return None


def counts_as_first_contact(status: str, closed_reason: str) -> bool:
    """Whether moving an inquiry by hand to this status says a conversation happened: staff
    move it on after talking with them. Closing it as unreachable, spam or merged does not."""
    if status == Status.CLOSED:
        return closed_reason == ClosedReason.NOT_INTERESTED
    return status not in (Status.NEW, Status.HELD)


def may_work(user, inquiry: Inquiry) -> bool:
    """Who may change an inquiry: a manager any, a representative their own and the
    unassigned ones (colleagues' inquiries of the programs they cover only read)."""
    return can_assign_to_others(user) or inquiry.owner_id in (None, user.pk)


def owner_refusal(owner) -> str | None:
    if owner is not None and not (owner.is_staff and owner.is_active):
        return "Only active staff members can own inquiries."
    return None


def assignment_refusal(*, inquiry: Inquiry, owner, by) -> str | None:
    """`by=None` is the system (routing, commands) and may assign to anyone. A person without
    the "assign to others" permission may only take an unassigned inquiry (or one already
    theirs) for themselves."""
    if by is None or can_assign_to_others(by):
        return None
    if owner is None or owner.pk != by.pk:
        return "You can assign inquiries to yourself only."
    if inquiry.owner_id not in (None, by.pk):
        return "This inquiry already belongs to someone else."
    return None


def follow_up_refusal(when, now: datetime.datetime | None = None) -> str | None:
    """A follow-up is for later: one already past would be overdue the moment it is saved."""
    now = now or timezone.now()
    if when is not None and when < now - FOLLOW_UP_GRACE:
        local = timezone.localtime(when)
        return f"{local:%b %-d, %Y %-I:%M %p} has passed: choose a time from now on."
    return None


def channel_refusal(channel: str) -> str | None:
    if channel not in timeline.CONTACT_KINDS:
        return "Choose call, email or text."
    return None


def outcome_refusal(channel: str, outcome: str) -> str | None:
    """A call is connected, a voicemail, no answer or a wrong number; an email or a text is
    sent or replied to. A note has no outcome."""
    allowed = OUTCOMES_BY_CHANNEL.get(channel)
    if allowed is None:
        if outcome:
            return "Only a call, email or text has an outcome: clear it for a note."
        return None
    noun = ActivityKind(channel).label.lower()
    if not outcome:
        return f"Choose what came of the {noun}."
    if outcome not in allowed:
        article = "An" if noun[0] in "aeiou" else "A"
        choices = ", ".join(_short_label(choice) for choice in allowed)
        return f"{article} {noun} can only be: {choices}."
    return None


def _short_label(outcome: str) -> str:
    # "Call: left a voicemail" -> "left a voicemail"
    return Outcome(outcome).label.partition(": ")[2]


def entry_text_refusal(kind: str, body: str) -> str | None:
    if body.strip():
        return None
    if kind == ActivityKind.NOTE:
        return "Write the note before saving it."
    return "Say what happened on the call, email or text."


def adds_entry(entry_kind: str, entry_body: str, outcome: str = "") -> bool:
    """Whether a save from the inquiry's page adds a timeline entry.

    Choosing "Call" (or an outcome) and saving is no record of a call: it asks for an entry
    even without text, so that what is missing is refused rather than quietly dropped."""
    return bool(entry_body.strip() or outcome) or entry_kind in timeline.CONTACT_KINDS
