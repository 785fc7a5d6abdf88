"""The inquiry's page, built for a call: the first screen holds how to reach the prospect
(phone, email, consent) and what to do (log the call with its outcome, status, follow-up);
their answers, the consent text and the attribution follow. A representative reading a
colleague's inquiry (a program they cover) sees it read-only, with whose it is."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join

from inquiries import phones, reports, selectors
from inquiries.admin import access
from inquiries.admin.consent import channel_state
from inquiries.admin.filters import query_id
from inquiries.admin.forms import ENTRY_FIELDS, WORKFLOW_FIELDS
from inquiries.attribution import ATTRIBUTION_FIELDS
from inquiries.models import Channel

PROSPECT_FIELDS = [
    ("first_name", "last_name", "postal_code"),
    ("program", "campus", "start_timeframe"),
    "message",
    ("submitted_at", "first_attempted_at", "first_contacted_at"),
]
CONSENT_FIELDS = [
    "consent_given",
    "consent_channels",
    "consent_version",
    "consented_at",
    "consent_text",
]
# Where the inquiry came from, with the record's own marks: held as spam, anonymised.
ATTRIBUTION_FIELDSET = [*ATTRIBUTION_FIELDS, "spam_signal", "anonymised_at"]
REACH_FIELDS = ["phone_call", "email_address", "consent_now", "contact_method", "form_language"]
READONLY_FIELDS = [
    *REACH_FIELDS,
    "consent_states",
    "owner_display",
    *[f for group in PROSPECT_FIELDS for f in (group if isinstance(group, tuple) else [group])],
    "email",
    "phone",
    *CONSENT_FIELDS,
    *ATTRIBUTION_FIELDSET,
]
DESK = "inquiry-desk"


def _lines(fields: list[str], paired: tuple[str, ...]) -> list:
    """The fields in order, with those named in `paired` sharing one line."""
    together = tuple(name for name in fields if name in paired)
    lines, placed = [], False
    for name in fields:
        if name in together and len(together) > 1:
            if not placed:
                lines.append(together)
                placed = True
        else:
            lines.append(name)
    return lines


class CallPageMixin:
    """The fieldsets, title, reach fields and read-only rules of InquiryAdmin's change page."""

    @admin.display(description="phone")
    def phone_call(self, obj):
        return phones.phone_link(obj.phone, empty="No phone given")

    @admin.display(description="email")
    def email_address(self, obj):
        return phones.email_link(obj.email, empty="–")

    @admin.display(description="consent now")
    def consent_states(self, obj):
        return format_html_join(
            " · ", "{}: {}", ((channel.label, channel_state(obj, channel)) for channel in Channel)
        )

    @admin.display(description="form language")
    def form_language(self, obj):
        """The language of the form they sent: their emails go in it."""
        return reports.language_name(obj.language)

    @admin.display(description="owner")
    def owner_display(self, obj):
        return selectors.staff_name(obj.owner) or "Unassigned"

    def get_fieldsets(self, request, obj=None):
        entry = [name for name in ENTRY_FIELDS if name != "entry_body"]
        # Reading a colleague's inquiry: no links to pages (a withdrawal, the owner's user
        # record) that would only answer "403 Forbidden".
        may_change = self.has_change_permission(request, obj)
        workflow_fields = WORKFLOW_FIELDS
        if not may_change:
            workflow_fields = [f if f != "owner" else "owner_display" for f in WORKFLOW_FIELDS]
        fieldsets = [
            (
                "Reach them",
                {
                    "fields": [
                        ("phone_call", "email_address"),
                        "consent_now" if may_change else "consent_states",
                        ("contact_method", "form_language"),
                    ],
                    "classes": [DESK, "inquiry-reach"],
                },
            ),
        ]
        if self._can_add_entries(request, obj):
            fieldsets.append(
                (
                    "Log a call, email or text",
                    {
                        "fields": [tuple(entry) if len(entry) > 1 else entry[0], "entry_body"],
                        "classes": [DESK, "inquiry-log"],
                    },
                )
            )
        fieldsets += [
            (
                "Status and follow-up",
                {
                    "fields": _lines(workflow_fields, ("status", "closed_reason")),
                    "classes": [DESK, "inquiry-workflow"],
                },
            ),
            ("Prospect’s answers", {"fields": PROSPECT_FIELDS}),
            ("Consent given on the form", {"fields": CONSENT_FIELDS, "classes": ["collapse"]}),
            ("Attribution", {"fields": ATTRIBUTION_FIELDSET, "classes": ["collapse"]}),
        ]
        return fieldsets

    def _can_add_entries(self, request, obj):
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "inquiries.add_activity"
        )

    # Who sees and changes which inquiry (see inquiries.admin.access).

    def get_queryset(self, request):
        return access.visible(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return access.may_work(request.user, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        message = access.not_visible_message(query_id(unquote(object_id)))
        if message is None:
            return super()._get_obj_does_not_exist_redirect(request, opts, object_id)
        self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(reverse("admin:inquiries_inquiry_changelist"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["title"] = f"{obj}, inquiry {obj.pk}"
            context["subtitle"] = None  # the title names them already
            context["read_only_note"] = access.read_only_note(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
