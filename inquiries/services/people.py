"""One person, one inquiry: merging two inquiries of one person, splitting a later
submission back out into an inquiry of its own, and the review of held possible spam.

Each is all or nothing, under row locks taken in a fixed order, so that two staff acting at
once, or a submission arriving meanwhile, queue up instead of writing over each other.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    ContactMethod,
    Inquiry,
    RepeatSubmission,
    Status,
    SubmissionKind,
)
from inquiries.selectors import staff_name
from inquiries.services import capture, routing, timeline, workflow

# What a RepeatSubmission keeps of an inquiry's own first submission when it is merged.
SUBMISSION_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "postal_code",
    "program_id",
    "campus_id",
    "start_timeframe",
    "contact_method",
    "message",
    "consent_given",
    "source_page",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
)


def can_merge(user) -> bool:
    return user.has_perm("inquiries.merge_inquiry")


def can_review_spam(user) -> bool:
    return user.has_perm("inquiries.review_spam")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Only admissions managers may do this.")


def _lock(*pks: int) -> dict[int, Inquiry]:
    locked = Inquiry.objects.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")
    return {inquiry.pk: inquiry for inquiry in locked.select_related("owner")}


def merge_refusal(keep: Inquiry, other: Inquiry) -> str | None:
    """Why these two cannot be merged (keeping `keep`), or None."""
    if keep.pk == other.pk:
        return "An inquiry cannot be merged into itself: choose two different inquiries."
    for inquiry in (keep, other):
        if inquiry.merged_into_id is not None:
            return f"Inquiry {inquiry.pk} was already merged into inquiry {inquiry.merged_into_id}."
        if inquiry.status == Status.HELD:
            return f"Inquiry {inquiry.pk} is held for review: release it or close it first."
        if inquiry.anonymised_at is not None:
            return f"Inquiry {inquiry.pk} has had its personal data removed."
    return None


@transaction.atomic
def merge_inquiries(
    *, keep_id: int, other_id: int, owner_from_id: int, status_from_id: int, by
) -> Inquiry:
    """Merge inquiry `other_id` into `keep_id`, both of one person.

    The kept inquiry takes the owner of `owner_from_id` and the status of `status_from_id`
    (either of the two). Everything of the other moves over: its timeline, its later
    submissions, and its own first submission as a RepeatSubmission, so no attribution is
    lost. A channel stays open to contact only if both allowed it. The other is closed as
    merged, pointing at the kept one; both timelines say so.
    """
    _require(can_merge(by))
    locked = _lock(keep_id, other_id)
    keep, other = locked.get(keep_id), locked.get(other_id)
    if keep is None or other is None:
        raise ValidationError("One of the two inquiries no longer exists.")
    if refusal := merge_refusal(keep, other):
        raise ValidationError(refusal)
    if {owner_from_id, status_from_id} - {keep.pk, other.pk}:
        raise ValidationError("Choose the owner and the status from one of the two inquiries.")
    owner = locked[owner_from_id].owner
    status_source = locked[status_from_id]

    RepeatSubmission.objects.create(
        inquiry=keep,
        kind=SubmissionKind.MERGED,
        submitted_at=other.submitted_at,
        **{field: getattr(other, field) for field in SUBMISSION_FIELDS},
    )
    RepeatSubmission.objects.filter(inquiry=other).update(inquiry=keep)
    Activity.objects.filter(inquiry=other).update(inquiry=keep)
    for channel in ("may_email", "may_call", "may_text"):
        setattr(keep, channel, getattr(keep, channel) and getattr(other, channel))
    keep.stage_reached = max(keep.stage_reached, other.stage_reached)  # its moves came too
    for first in ("first_attempted_at", "first_contacted_at"):  # the earlier of the two
        theirs = getattr(other, first)
        if theirs and (getattr(keep, first) is None or theirs < getattr(keep, first)):
            setattr(keep, first, theirs)
    if keep.possible_duplicate_of_id == other.pk:
        keep.possible_duplicate_of = None
    keep.save(
        update_fields=[
            "may_email",
            "may_call",
            "may_text",
            "stage_reached",
            "first_attempted_at",
            "first_contacted_at",
            "possible_duplicate_of",
            "updated_at",
        ]
    )
    timeline.add_activity(
        inquiry=keep,
        kind=ActivityKind.MERGE,
        author=by,
        body=f"Merged with inquiry {other.pk} ({other}, {other.email}): its timeline, "
        "submissions and attribution are here now. Contact allowed only where both allowed it.",
    )
    workflow.assign_owner(inquiry=keep, owner=owner, by=by, notify=False)
    workflow.change_status(
        inquiry=keep,
        status=status_source.status,
        closed_reason=status_source.closed_reason,
        by=by,
        counts_as_contact=False,  # the status is carried over; nobody talked to anyone
    )

    other.status = Status.CLOSED
    other.closed_reason = ClosedReason.MERGED
    other.merged_into = keep
    other.possible_duplicate_of = None
    other.next_follow_up_at = None
    other.save(
        update_fields=[
            "status",
            "closed_reason",
            "merged_into",
            "possible_duplicate_of",
            "next_follow_up_at",
            "updated_at",
        ]
    )
    Inquiry.objects.filter(possible_duplicate_of=other).update(possible_duplicate_of=keep)
    timeline.add_activity(
        inquiry=other,
        kind=ActivityKind.MERGE,
        author=by,
        body=f"Merged into inquiry {keep.pk} ({keep}) by {staff_name(by)}: its timeline is there.",
    )
    return keep


def split_refusal(inquiry: Inquiry, submission: RepeatSubmission | None) -> str | None:
    if submission is None:
        return (
            "The first submission is the inquiry itself and cannot be split out: "
            "choose a later one."
        )
    if submission.inquiry_id != inquiry.pk:
        return "That submission is not on this inquiry."
    if submission.split_into_id is not None:
        return f"That submission was already split out into inquiry {submission.split_into_id}."
    if inquiry.anonymised_at is not None:
        return "This inquiry has had its personal data removed."
    return None


@transaction.atomic
def split_submission(*, inquiry_id: int, submission_id: int | None, by) -> Inquiry:
    """Make a later submission an inquiry of its own (it was somebody else after all).

    `submission_id=None` names the inquiry's own first submission, which cannot be split.
    The new inquiry is routed like any new one; nobody is emailed again (the prospect had
    their confirmation). Both timelines say what happened.
    """
    _require(can_merge(by))
    inquiry = _lock(inquiry_id).get(inquiry_id)
    if inquiry is None:
        raise ValidationError("That inquiry no longer exists.")
    submission = (
        None
        if submission_id is None
        else RepeatSubmission.objects.select_for_update().filter(pk=submission_id).first()
    )
    if refusal := split_refusal(inquiry, submission):
        raise ValidationError(refusal)

    fields = {field: getattr(submission, field) for field in SUBMISSION_FIELDS}
    consent = fields["consent_given"]
    new = Inquiry.objects.create(
        **{**fields, "contact_method": fields["contact_method"] or ContactMethod.EMAIL},
        may_email=inquiry.may_email,
        may_call=consent,
        may_text=consent,
        consented_at=submission.submitted_at if consent else None,
    )
    Inquiry.objects.filter(pk=new.pk).update(submitted_at=submission.submitted_at)
    new.submitted_at = submission.submitted_at
    submission.split_into = new
    submission.save(update_fields=["split_into"])
    timeline.add_activity(
        inquiry=new,
        kind=ActivityKind.SUBMITTED,
        body=f"Split out of inquiry {inquiry.pk} by {staff_name(by)}: this form was sent "
        f"on {timezone.localtime(submission.submitted_at):%b %-d, %Y %-I:%M %p}.",
    )
    timeline.add_activity(
        inquiry=inquiry,
        kind=ActivityKind.MERGE,
        author=by,
        body=f"Split out the submission of {submission} ({submission.email}) into inquiry "
        f"{new.pk}.",
    )
    routing.route_new_inquiry(inquiry=new)
    return new


# --- Held for review ---------------------------------------------------------------------------


@transaction.atomic
def release_held(*, inquiry_id: int, by) -> Inquiry:
    """ "Not spam": the held submission goes the normal way, as if it had just arrived.

    With an open inquiry of the same email it joins that one as a repeat (and the held
    record closes as merged into it); otherwise it becomes a new inquiry, routed, with the
    admissions alert and the prospect's confirmation. Returns the inquiry it landed on.
    """
    _require(can_review_spam(by))
    held = _lock(inquiry_id).get(inquiry_id)
    if held is None or held.status != Status.HELD:
        raise ValidationError("That inquiry is not held for review (someone may have decided).")
    held.released_at = timezone.now()
    capture.lock_person(held.email)
    earlier = capture.find_open_inquiry(email=held.email)
    if earlier is not None:
        return _release_into(held=held, earlier=earlier, by=by)
    held.status = Status.NEW
    held.save(update_fields=["status", "released_at", "updated_at"])
    timeline.add_activity(
        inquiry=held,
        kind=ActivityKind.SPAM_REVIEW,
        author=by,
        body=f"Released from review by {staff_name(by)}: not spam. Routed and emailed now.",
    )
    capture.announce_new_inquiry(inquiry=held)
    return held


def _release_into(*, held: Inquiry, earlier: Inquiry, by) -> Inquiry:
    """A released submission whose person has an open inquiry joins it as a repeat."""
    RepeatSubmission.objects.create(
        inquiry=earlier,
        submitted_at=held.submitted_at,
        **{field: getattr(held, field) for field in SUBMISSION_FIELDS},
    )
    Activity.objects.filter(inquiry=held).update(inquiry=earlier)
    held.status = Status.CLOSED
    held.closed_reason = ClosedReason.MERGED
    held.merged_into = earlier
    held.save(update_fields=["status", "closed_reason", "merged_into", "released_at", "updated_at"])
    timeline.add_activity(
        inquiry=earlier,
        kind=ActivityKind.REPEAT_SUBMISSION,
        author=by,
        body=f"A submission held for review (inquiry {held.pk}) was released by "
        f"{staff_name(by)}: not spam. The same email, so it joins this inquiry.",
    )
    timeline.add_activity(
        inquiry=held,
        kind=ActivityKind.SPAM_REVIEW,
        author=by,
        body=f"Released: not spam. Joined inquiry {earlier.pk}, the same email's open inquiry.",
    )
    capture.notify_repeat(
        inquiry=earlier,
        sent={
            "first_name": held.first_name,
            "email": held.email,
            "contact_method": held.contact_method,
            "program": str(held.program) if held.program_id else "",
        },
    )
    return earlier


@transaction.atomic
def close_held_as_spam(*, inquiry_id: int, by) -> Inquiry:
    """ "Spam": the held submission is closed as spam; nobody is emailed."""
    _require(can_review_spam(by))
    held = _lock(inquiry_id).get(inquiry_id)
    if held is None or held.status != Status.HELD:
        raise ValidationError("That inquiry is not held for review (someone may have decided).")
    timeline.add_activity(
        inquiry=held, kind=ActivityKind.SPAM_REVIEW, author=by, body="Reviewed: spam."
    )
    return workflow.change_status(
        inquiry=held, status=Status.CLOSED, closed_reason=ClosedReason.SPAM, by=by
    )
