"""The admissions dashboard: the funnel, the weeks, the programs and pages prospects ask
from, and the speed to first contact (the figures come from inquiries.selectors)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from inquiries import selectors


def dashboard_view(request, *, model_admin):
    if not model_admin.has_dashboard_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        **selectors.dashboard(),
        "title": "Admissions dashboard",
        "opts": model_admin.opts,
        "changelist_url": reverse("admin:inquiries_inquiry_changelist"),
    }
    return TemplateResponse(request, "admin/inquiries/dashboard.html", context)
