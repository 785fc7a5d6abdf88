"""The inquiry list's columns: what the next call needs, narrow enough for a 1280 px screen.

Name, status (with the speed-to-lead flag), owner, next follow-up, phone and email as links,
consent, program; campus, source page and age are filters and the inquiry's page instead.
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import F
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext

from inquiries import phones, selectors
from inquiries.models import Status

LIST_DISPLAY = [
    "name",
    "status_label",
    "owner_name",
    "follow_up",
    "phone_column",
    "email_column",
    "consent_column",
    "program_column",
]


class ListColumnsMixin:
    def action_checkbox(self, obj):
        # The admin's own renders a form widget through the template engine on every row (a
        # fifth of the list's time); this writes the same element directly.
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    @admin.display(description="name", ordering="last_name")
    def name(self, obj):
        return str(obj)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.status == Status.CLOSED:
            return f"Closed: {obj.get_closed_reason_display().lower()}"
        if selectors.is_past_speed_to_lead(obj):
            waited = selectors.short_duration(timezone.now() - obj.submitted_at)
            return format_html(
                '{}<br><strong>Not contacted, <span class="nowrap">{}</span></strong>',
                obj.get_status_display(),
                waited,
            )
        return obj.get_status_display()

    @admin.display(description="owner", ordering="owner__first_name")
    def owner_name(self, obj):
        return selectors.staff_name(obj.owner) or "Unassigned"

    @admin.display(
        description="next follow-up", ordering=F("next_follow_up_at").asc(nulls_last=True)
    )
    def follow_up(self, obj):
        if obj.next_follow_up_at is None:
            return "–"
        when = timezone.localtime(obj.next_follow_up_at).strftime("%b %-d, %-I:%M %p")
        if selectors.is_follow_up_overdue(obj):
            return format_html("<strong>Overdue:</strong> {}", when)
        return when

    @admin.display(description="phone")
    def phone_column(self, obj):
        return phones.phone_link(obj.phone)

    @admin.display(description="email", ordering="email")
    def email_column(self, obj):
        return phones.email_link(obj.email)

    @admin.display(description="program", ordering="program__name")
    def program_column(self, obj):
        return obj.program.name if obj.program else "–"
