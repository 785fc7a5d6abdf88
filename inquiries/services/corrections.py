"""Staff correct a prospect's mistyped email address or phone number, on the timeline."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from inquiries.models import ActivityKind, Inquiry
from inquiries.phones import national_format, normalise_phone
from inquiries.services import rules, timeline


def can_correct(user, inquiry: Inquiry) -> bool:
    """Those who may work the inquiry: a manager, or its owner (or anyone, while unassigned)
    among representatives. Anonymised inquiries keep nothing to correct."""
    if inquiry.anonymised_at is not None or not user.has_perm("inquiries.change_inquiry"):
        return False
    return rules.may_work(user, inquiry)


def _clean_email(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({"email": "An inquiry needs an email address."})
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValidationError({"email": "Enter a valid email address."}) from error
    return value


def _clean_phone(value: str) -> str:
    try:
        return normalise_phone(value)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error


@transaction.atomic
def correct_contact_details(
    *, inquiry: Inquiry, email: str | None = None, phone: str | None = None, by
) -> list[str]:
    """Replace the email and/or phone (None leaves one as it is), one timeline entry each.

    The email is validated; the phone is normalised to E.164 as the request-info form does
    (a blank phone removes it). Raises ValidationError keyed "email"/"phone" with every
    refusal at once, PermissionDenied for someone who may not work the inquiry. Returns what
    changed, as the timeline words it.
    """
    if not can_correct(by, inquiry):
        raise PermissionDenied("You may not change this inquiry.")
    errors, new = {}, {}
    for field, value, clean in (("email", email, _clean_email), ("phone", phone, _clean_phone)):
        if value is None:
            continue
        try:
            new[field] = clean(value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if "email" in new and new["email"].lower() != inquiry.email.lower():
        other = (
            Inquiry.objects.open()
            .filter(email__iexact=new["email"])
            .exclude(pk=inquiry.pk)
            .values_list("pk", flat=True)
            .first()
        )
        if other is not None:
            # One person, one inquiry: two open inquiries under one address are merged.
            errors["email"] = [
                f"Inquiry {other} already has this email address: merge the two instead."
            ]
    if errors:
        raise ValidationError(errors)

    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    changes = []
    if "email" in new and new["email"] != inquiry.email:
        changes.append(f"Email corrected from {inquiry.email} to {new['email']}")
        inquiry.email = new["email"]
    if "phone" in new and new["phone"] != inquiry.phone:
        before = national_format(inquiry.phone) or "none"
        after = national_format(new["phone"]) or "none"
        changes.append(f"Phone corrected from {before} to {after}")
        inquiry.phone = new["phone"]
    if changes:
        inquiry.save(update_fields=["email", "phone", "updated_at"])
        for change in changes:
            timeline.add_activity(inquiry=inquiry, kind=ActivityKind.NOTE, body=change, author=by)
    return changes
