"""The admissions dashboard: over a range of submission dates, the funnel and the conversion
between its stages, the weeks, time to first attempt and to first contact, and the figures per
program, source page and representative (the figures come from inquiries.reports)."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from inquiries import reports

DATE_FORMAT = "%Y-%m-%d"


class DateRangeForm(forms.Form):
    """The dashboard's range: both dates optional, the twelve weeks from a Monday by default."""

    start = forms.DateField(
        label="From",
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, e.g. 2026-09-07."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={"invalid": "Enter a date as YYYY-MM-DD, e.g. 2026-11-30."},
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if start is not None and start < reports.EARLIEST_DATE:
            raise forms.ValidationError(
                f"Pick a date from {reports.EARLIEST_DATE:%B} {reports.EARLIEST_DATE.day}, "
                f"{reports.EARLIEST_DATE.year} on."
            )
        return start

    def clean_end(self):
        end = self.cleaned_data["end"]
        latest = timezone.localdate() + datetime.timedelta(days=reports.MAX_DAYS_AHEAD)
        if end is not None and end > latest:
            raise forms.ValidationError("Pick a date no more than a year from today.")
        return end

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        default = reports.DateRange.default()
        start = data.get("start") or default.first
        end = data.get("end") or max(default.last, start)
        if end < start:
            self.add_error("end", "The end date is before the start date.")
        elif (end - start).days >= reports.MAX_RANGE_DAYS:
            self.add_error("end", "Pick a range of two years at most.")
        else:
            data["range"] = reports.DateRange(start, end)
        return data


def dashboard_view(request, *, model_admin):
    if not model_admin.has_dashboard_permission(request):
        raise PermissionDenied
    default = reports.DateRange.default()
    form = DateRangeForm(request.GET or None, initial={"start": default.first, "end": default.last})
    date_range = form.cleaned_data["range"] if form.is_bound and form.is_valid() else None
    context = {
        **model_admin.admin_site.each_context(request),
        **reports.dashboard(date_range=date_range),
        "form": form,
        "title": "Admissions dashboard",
        "opts": model_admin.opts,
        "changelist_url": reverse("admin:inquiries_inquiry_changelist"),
    }
    return TemplateResponse(request, "admin/inquiries/dashboard.html", context)
