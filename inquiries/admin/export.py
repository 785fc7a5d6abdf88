"""Inquiries as a CSV file: the export action, and the export of whatever the list shows."""

import csv
import re

from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from inquiries.reports import language_name
from inquiries.selectors import staff_name

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and
# carriage return, may shift it so the next character starts one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A stored phone number (E.164): a spreadsheet may read it as a number, never as a formula
# that does anything, and dialers and CRMs need it as it is.
PHONE_NUMBER = re.compile(r"\+[0-9]{8,15}")


BOM = "\ufeff"


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


CSV_COLUMNS = [
    ("id", lambda i: i.pk),
    ("submitted", lambda i: _local(i.submitted_at)),
    ("first name", lambda i: i.first_name),
    ("last name", lambda i: i.last_name),
    ("email", lambda i: i.email),
    ("phone", lambda i: i.phone),
    ("ZIP code", lambda i: i.postal_code),
    ("program", lambda i: i.program.name if i.program else ""),
    ("campus", lambda i: i.campus.name if i.campus else ""),
    ("hopes to start", lambda i: i.get_start_timeframe_display()),
    ("preferred contact", lambda i: i.get_contact_method_display()),
    ("form language", lambda i: language_name(i.language)),
    ("message", lambda i: i.message),
    ("status", lambda i: i.get_status_display()),
    ("closed reason", lambda i: i.get_closed_reason_display()),
    ("owner", lambda i: staff_name(i.owner)),
    ("next follow-up", lambda i: _local(i.next_follow_up_at)),
    ("first contacted", lambda i: _local(i.first_contacted_at)),
    ("source page", lambda i: i.source_page),
    ("referrer", lambda i: i.referrer),
    ("utm source", lambda i: i.utm_source),
    ("utm medium", lambda i: i.utm_medium),
    ("utm campaign", lambda i: i.utm_campaign),
    ("consent given", lambda i: "yes" if i.consent_given else "no"),
    # Consent as it stands now, per channel (withdrawals included).
    ("may email", lambda i: "yes" if i.may_email else "no"),
    ("may call", lambda i: "yes" if i.may_call else "no"),
    ("may text", lambda i: "yes" if i.may_text else "no"),
]


def neutralise_cell(value) -> str:
    """Text for one CSV cell that no spreadsheet will run as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not PHONE_NUMBER.fullmatch(text):
        return f"'{text}"
    return text


class _Echo:
    """The file-like object csv.writer needs, returning each line instead of storing it."""

    def write(self, value):
        return value


def csv_response(queryset) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        # The byte-order mark tells Excel on Windows the file is UTF-8 ("Peña", "Nguyễn").
        yield BOM + writer.writerow([name for name, _ in CSV_COLUMNS])
        for inquiry in queryset.select_related("program", "campus", "owner").iterator(
            chunk_size=1000
        ):
            yield writer.writerow([neutralise_cell(get(inquiry)) for _, get in CSV_COLUMNS])

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return StreamingHttpResponse(
        rows(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="inquiries-{stamp}.csv"'},
    )


def export_view(request, *, model_admin):
    """Every inquiry the list shows with the same filters, search and ordering."""
    if not model_admin.has_export_permission(request):
        raise PermissionDenied
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters:
        return HttpResponseRedirect(reverse("admin:inquiries_inquiry_changelist"))
    return csv_response(changelist.get_queryset(request))
