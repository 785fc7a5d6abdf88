"""Replies from the record: the templates managers keep, and the "Write to them" page where
staff email a prospect from the inquiry's page, with a preview filled in for that inquiry."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from inquiries.admin.filters import query_id
from inquiries.models import ReplyTemplate
from inquiries.services import replies

PLACEHOLDER_HELP = "Placeholders, filled in for each inquiry: " + ", ".join(
    f"{{{name}}}" for name in replies.PLACEHOLDERS
)


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["name", "subject", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "cols": 80})}

    def clean(self):
        data = super().clean()
        # Each language's column (subject_en, subject_es...) where the admin edits them apart.
        fields = [name for name in self.fields if name.split("_")[0] in ("subject", "body")]
        for field in fields:
            if unknown := replies.unknown_placeholders(data.get(field) or ""):
                names = ", ".join(f"{{{name}}}" for name in unknown)
                self.add_error(field, f"{names} is not a placeholder. {PLACEHOLDER_HELP}.")
        return data


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """Managers write and edit the templates; representatives may read them (their group has
    the view permission only)."""

    form = ReplyTemplateForm
    list_display = ["name", "subject", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "subject", "body"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "subject", "body", "is_active"],
                "description": f"{PLACEHOLDER_HELP}. A missing value still reads well: a "
                "prospect without a program gets “our programs”, a representative without a "
                "direct line “the admissions office”.",
            },
        )
    ]


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.filter(is_active=True),
        required=False,
        widget=forms.HiddenInput,
    )
    subject = forms.CharField(label="Subject", max_length=replies.SUBJECT_MAX_LENGTH)
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 16}))

    def clean(self):
        data = super().clean()
        for field, refusal in replies.message_refusals(
            data.get("subject", ""), data.get("body", "")
        ).items():
            if field not in self.errors:
                self.add_error(field, refusal)
        return data


def _chosen_template(raw: str | None):
    pk = query_id(raw or "")
    return ReplyTemplate.objects.filter(is_active=True, pk=pk).first() if pk else None


def write_view(request, object_id, *, model_admin):
    """Choose a template, read it filled in for this inquiry, edit it, send it."""
    inquiry = model_admin.get_object(request, unquote(object_id))
    if inquiry is None:
        raise Http404("No such inquiry.")
    if not model_admin.has_view_or_change_permission(request, inquiry):
        raise PermissionDenied
    change_url = reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])
    refusal = replies.sender_refusal(inquiry, request.user)
    status = 403 if refusal else 200
    refusal = refusal or replies.consent_refusal(inquiry)
    source = request.POST if request.method == "POST" else request.GET
    template = _chosen_template(source.get("template"))

    if request.method == "POST" and not refusal:
        form = ReplyForm(request.POST)
        if "send" in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                replies.send_reply(
                    inquiry=inquiry,
                    subject=data["subject"],
                    body=data["body"],
                    by=request.user,
                    template=data["template"],
                )
            except PermissionDenied as error:
                refusal, status = str(error), 403
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, field_messages in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, field_messages)
                else:
                    refusal = " ".join(error.messages)
            else:
                model_admin.message_user(
                    request,
                    f"Your email to {inquiry.email} is on its way; it is on the timeline.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
    else:
        subject, body = ("", "")
        if template is not None:
            subject, body = replies.render_reply(
                template=template, inquiry=inquiry, by=request.user
            )
        form = ReplyForm(initial={"template": template, "subject": subject, "body": body})

    preview_subject = form["subject"].value() or ""
    preview_body = form["body"].value() or ""
    values = replies.placeholder_values(inquiry=inquiry, by=request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Write to {inquiry}",
        "subtitle": None,
        "opts": model_admin.opts,
        "original": inquiry,
        "change_url": change_url,
        "form": form,
        "refusal": refusal,
        "templates": ReplyTemplate.objects.filter(is_active=True),
        "chosen": template,
        "preview_subject": " ".join(preview_subject.split()),
        "preview_body": replies.fill(preview_body, values),
        "values": [(f"{{{name}}}", values[name]) for name in replies.PLACEHOLDERS],
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "reply_to": request.user.email or settings.ADMISSIONS_EMAIL,
        "institution_name": settings.INSTITUTION_NAME,
    }
    return TemplateResponse(
        request, "admin/inquiries/inquiry/write_reply.html", context, status=status
    )
