"""One person's data on request, for managers: the page that finds everything held about an
email address, downloads it as a JSON file or erases it (after a confirmation), and the
read-only log of those requests."""

import functools
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from inquiries.admin import filters
from inquiries.models import DataRequestLog, Inquiry
from inquiries.selectors import staff_name
from inquiries.services import personal_data


class PersonForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"size": 40, "autocomplete": "off"}),
        help_text="Any case. Inquiries with this email, and those with a later submission from "
        "it, are the person's.",
    )


STEPS = ("export", "erase", "find")


def person_view(request, *, model_admin):
    """Find a person by email (or by one of their inquiries) and export or erase their data.

    Every step is a POST once an email is known, so the address stays out of URLs and logs.
    """
    if not request.user.has_perm(personal_data.PERMISSION):
        raise PermissionDenied
    step = _step(request.POST) if request.method == "POST" else ""
    if request.method == "POST":
        form = PersonForm(request.POST)
    else:
        # From an inquiry's page: that inquiry's person, found at once.
        email = _email_of_inquiry(request, model_admin)
        form = PersonForm({"email": email}) if email else PersonForm()
    if not (form.is_bound and form.is_valid()):
        return _render(request, model_admin, "admin/inquiries/person_data.html", form=form)
    email = form.cleaned_data["email"]
    if step == "export":
        data = personal_data.export_person(email=email, by=request.user)
        ids = [inquiry["id"] for inquiry in data["inquiries"]]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = personal_data.export_filename(inquiry_ids=ids)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    if step == "erase-confirmed":
        erased = personal_data.erase_person(email=email, by=request.user)
        model_admin.message_user(
            request,
            f"Personal data erased from {erased} inquir{'y' if erased == 1 else 'ies'}; "
            "the request is logged below.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:inquiries_datarequestlog_changelist"))
    erasing = step == "erase"
    return _render(
        request,
        model_admin,
        "admin/inquiries/person_erase_confirm.html"
        if erasing
        else "admin/inquiries/person_data.html",
        title="Erase a person’s data" if erasing else "A person’s data",
        form=form,
        email=email,
        held=personal_data.summary(email=email),
    )


def _step(post) -> str:
    """Which button was pressed: each submit button is named after its step."""
    for step in STEPS:
        if step in post:
            return step
    return post.get("step", "")


def _email_of_inquiry(request, model_admin) -> str:
    pk = filters.query_id(request.GET.get("inquiry", ""))
    if pk is None:
        return ""
    inquiry_admin = model_admin.admin_site.get_model_admin(Inquiry)
    inquiry = inquiry_admin.get_queryset(request).filter(pk=pk).only("email").first()
    return inquiry.email if inquiry else ""


def _render(request, model_admin, template, *, title="A person’s data", **context):
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "opts": model_admin.opts,
        **context,
    }
    return TemplateResponse(request, template, context)


@admin.register(DataRequestLog)
class DataRequestLogAdmin(admin.ModelAdmin):
    """A read-only record of the exports and erasures done on request: never what they held."""

    list_display = ["created_at", "kind", "requested_by_name", "inquiries"]
    list_filter = ["kind"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    fields = ["kind", "requested_by", "inquiry_ids", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="by", ordering="requested_by__first_name")
    def requested_by_name(self, obj):
        return staff_name(obj.requested_by) or "–"

    @admin.display(description="inquiries")
    def inquiries(self, obj):
        links = [
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:inquiries_inquiry_change", args=[pk]),
                pk,
            )
            for pk in obj.inquiry_ids
        ]
        return format_html(", ".join(["{}"] * len(links)), *links) if links else "none"

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_manage_personal_data": request.user.has_perm(personal_data.PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "person/",
                self.admin_site.admin_view(functools.partial(person_view, model_admin=self)),
                name="inquiries_datarequestlog_person",
            ),
            *super().get_urls(),
        ]
