"""The inquiry page's quick actions beside the call: "Take it" (assign to me) and the page
where staff correct a mistyped email or phone number."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from inquiries import phones
from inquiries.services import corrections, workflow


def _inquiry(request, object_id, model_admin):
    """The inquiry as the admin shows it to this person, or 404 / 403."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    inquiry = model_admin.get_object(request, unquote(object_id))
    if inquiry is None:
        raise Http404("No such inquiry.")
    if not model_admin.has_change_permission(request, inquiry):
        raise PermissionDenied
    return inquiry


def take_view(request, object_id, *, model_admin):
    """Assign an unassigned inquiry to the person who clicked "Take it"."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    inquiry = _inquiry(request, object_id, model_admin)
    change_url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    if inquiry.owner_id is not None and inquiry.owner_id != request.user.pk:
        model_admin.message_user(
            request, "Someone else took this inquiry a moment ago.", messages.ERROR
        )
        return HttpResponseRedirect(change_url)
    try:
        workflow.bulk_assign(inquiries=[inquiry], owner=request.user, by=request.user)
    except (PermissionDenied, ValidationError) as error:
        message = error.messages[0] if isinstance(error, ValidationError) else str(error)
        model_admin.message_user(request, message, messages.ERROR)
    else:
        model_admin.message_user(request, "It is yours now.", messages.SUCCESS)
    return HttpResponseRedirect(change_url)


class CorrectContactForm(forms.Form):
    email = forms.CharField(label="Email", max_length=254)
    phone = forms.CharField(
        label="Phone",
        max_length=40,
        required=False,
        help_text="Any format, e.g. (407) 555-0123; empty removes it.",
        widget=forms.TextInput(attrs={"type": "tel"}),
    )


def correct_contact_view(request, object_id, *, model_admin):
    """Correct the prospect's email or phone, through services.corrections."""
    inquiry = _inquiry(request, object_id, model_admin)
    change_url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    if not corrections.can_correct(request.user, inquiry):
        raise PermissionDenied
    initial = {"email": inquiry.email, "phone": phones.national_format(inquiry.phone)}
    form = CorrectContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        changed_phone = data["phone"].strip() != initial["phone"]
        try:
            changes = corrections.correct_contact_details(
                inquiry=inquiry,
                email=data["email"],
                phone=data["phone"] if changed_phone else None,
                by=request.user,
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            text = "; ".join(changes) + "." if changes else "Nothing changed."
            model_admin.message_user(request, text, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Correct contact details: {inquiry}, inquiry {inquiry.pk}",
        "opts": model_admin.opts,
        "original": inquiry,
        "form": form,
        "change_url": change_url,
    }
    return TemplateResponse(request, "admin/inquiries/inquiry/correct_contact.html", context)
