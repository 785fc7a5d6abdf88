"""One person, one inquiry, in the admin: merging two inquiries, splitting a later submission
out, and the review of inquiries held as possible spam. Each calls inquiries.services.people.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from inquiries.admin.filters import query_id
from inquiries.models import Inquiry, RepeatSubmission, Status
from inquiries.selectors import staff_name
from inquiries.services import people as people_services


def _change_url(pk: int) -> str:
    return reverse("admin:inquiries_inquiry_change", args=[pk])


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


@admin.action(description="Merge the two selected inquiries (one person)…", permissions=["merge"])
def merge_selected(model_admin, request, queryset):
    pks = sorted(queryset.values_list("pk", flat=True)[:3])
    if len(pks) != 2:
        model_admin.message_user(
            request, "Select exactly two inquiries of one person to merge.", messages.ERROR
        )
        return None
    return HttpResponseRedirect(
        reverse("admin:inquiries_inquiry_merge") + f"?keep={pks[0]}&other={pks[1]}"
    )


def merge_view(request, *, model_admin):
    """Both inquiries side by side; the manager picks which owner and status survive."""
    if not people_services.can_merge(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    keep_id, other_id = query_id(data.get("keep")), query_id(data.get("other"))
    inquiries = Inquiry.objects.select_related("owner", "program").in_bulk(
        [pk for pk in (keep_id, other_id) if pk is not None]
    )
    keep, other = inquiries.get(keep_id), inquiries.get(other_id)
    changelist = reverse("admin:inquiries_inquiry_changelist")
    if keep is None or other is None:
        model_admin.message_user(request, "Choose two inquiries that exist.", messages.ERROR)
        return HttpResponseRedirect(changelist)
    refusal = people_services.merge_refusal(keep, other)
    if request.method == "POST" and refusal is None:
        try:
            kept = people_services.merge_inquiries(
                keep_id=keep.pk,
                other_id=other.pk,
                owner_from_id=query_id(request.POST.get("owner_from")) or keep.pk,
                status_from_id=query_id(request.POST.get("status_from")) or keep.pk,
                by=request.user,
            )
        except ValidationError as error:
            refusal = _refusal(error)
        else:
            model_admin.message_user(
                request, f"Inquiry {other.pk} merged into inquiry {kept.pk}.", messages.SUCCESS
            )
            return HttpResponseRedirect(_change_url(kept.pk))
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Merge two inquiries of one person",
        "opts": model_admin.opts,
        "keep": keep,
        "other": other,
        "owners": [staff_name(inquiry.owner) or "Unassigned" for inquiry in (keep, other)],
        "refusal": refusal,
    }
    return TemplateResponse(request, "admin/inquiries/inquiry/merge.html", context)


@require_POST
def split_view(request, inquiry_id, *, model_admin):
    """Split one later submission out into an inquiry of its own (a POST from the page)."""
    if not people_services.can_merge(request.user):
        raise PermissionDenied
    pk = query_id(str(inquiry_id))
    inquiry = get_object_or_404(Inquiry, pk=pk if pk is not None else 0)
    raw = request.POST.get("submission", "")
    submission_id = None if raw == "first" else query_id(raw)
    if submission_id is None and raw != "first":
        model_admin.message_user(request, "Choose a submission to split out.", messages.ERROR)
        return HttpResponseRedirect(_change_url(inquiry.pk))
    try:
        new = people_services.split_submission(
            inquiry_id=inquiry.pk, submission_id=submission_id, by=request.user
        )
    except ValidationError as error:
        model_admin.message_user(request, _refusal(error), messages.ERROR)
        return HttpResponseRedirect(_change_url(inquiry.pk))
    model_admin.message_user(
        request, f"Split out into inquiry {new.pk}, routed as a new inquiry.", messages.SUCCESS
    )
    return HttpResponseRedirect(_change_url(new.pk))


def _review(model_admin, request, queryset, decide, done: str):
    decided, refused = 0, []
    held = list(queryset.filter(status=Status.HELD).values_list("pk", flat=True))
    skipped = queryset.exclude(status=Status.HELD).count()
    for pk in held:
        try:
            decide(inquiry_id=pk, by=request.user)
        except ValidationError as error:
            refused.append(_refusal(error))
        else:
            decided += 1
    message = f"{decided} held inquir{'y' if decided == 1 else 'ies'} {done}."
    if skipped:
        message += f" {skipped} not held for review left as they were."
    model_admin.message_user(request, message, messages.SUCCESS if decided else messages.WARNING)
    for text in refused:
        model_admin.message_user(request, text, messages.ERROR)


@admin.action(description="Not spam: release into the normal path", permissions=["review"])
def release_not_spam(model_admin, request, queryset):
    released = "released (routed and emailed)"
    _review(model_admin, request, queryset, people_services.release_held, released)


@admin.action(description="Spam: close the held inquiries", permissions=["review"])
def close_held_as_spam(model_admin, request, queryset):
    _review(model_admin, request, queryset, people_services.close_held_as_spam, "closed as spam")


def people_context(request, pk: int | None, *, model_admin) -> dict:
    """For the inquiry's page: who else it may be (possible duplicates both ways), what was
    merged into it, and its later submissions."""
    if pk is None:
        return {}
    inquiry = Inquiry.objects.filter(pk=pk).only("pk", "possible_duplicate_of_id").first()
    if inquiry is None:
        return {}
    duplicates = Inquiry.objects.filter(
        Q(possible_duplicate_of_id=pk) | Q(pk=inquiry.possible_duplicate_of_id or 0)
    ).select_related("owner")
    return {
        "possible_duplicates": list(duplicates),
        "merged_from": list(Inquiry.objects.filter(merged_into_id=pk)),
        "later_submissions": list(
            RepeatSubmission.objects.filter(inquiry_id=pk).select_related("program")
        ),
        "can_merge": model_admin.has_merge_permission(request),
    }
