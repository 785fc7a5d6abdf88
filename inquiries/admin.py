"""The admissions desk: inquiries worked in Django admin.

Every change made here goes through inquiries.services, so the timeline records it with its
author. What each person may do comes from their group's permissions (see the README):
representatives work their own and unassigned inquiries; managers everything, including
assigning to others, exporting and deleting; the dashboard needs its own permission.
"""

import csv
import datetime
import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from inquiries import selectors, services
from inquiries.models import (
    Activity,
    ActivityKind,
    ClosedReason,
    Coverage,
    Inquiry,
    Notification,
    Status,
)
from portal.admin import SafeQueryAdmin, query_id
from programs.models import Campus, Program

# --- CSV export ------------------------------------------------------------------------------

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and
# carriage return, may shift it so the next character starts one).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

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
    ("message", lambda i: i.message),
    ("status", lambda i: i.get_status_display()),
    ("closed reason", lambda i: i.get_closed_reason_display()),
    ("owner", lambda i: _person(i.owner)),
    ("next follow-up", lambda i: _local(i.next_follow_up_at)),
    ("first contacted", lambda i: _local(i.first_contacted_at)),
    ("source page", lambda i: i.source_page),
    ("utm source", lambda i: i.utm_source),
    ("utm medium", lambda i: i.utm_medium),
    ("utm campaign", lambda i: i.utm_campaign),
    ("consent given", lambda i: "yes" if i.consent_given else "no"),
]


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _inquiries(count: int) -> str:
    return f"{count} inquiry" if count == 1 else f"{count} inquiries"


def _person(user):
    return (user.get_full_name() or user.get_username()) if user else ""


# A stored phone number (E.164): a spreadsheet may read it as a number, never as a formula
# that does anything, and dialers and CRMs need it as it is.
PHONE_NUMBER = re.compile(r"\+[0-9]{8,15}")


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
        yield writer.writerow([name for name, _ in CSV_COLUMNS])
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


# --- List filters ----------------------------------------------------------------------------


class StatusFilter(admin.SimpleListFilter):
    """Open (every stage still being worked), one stage, or closed for one reason."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        stages = [(s.value, s.label) for s in Status if s != Status.CLOSED]
        closed = [(f"closed:{r.value}", f"Closed: {r.label.lower()}") for r in ClosedReason]
        return [
            ("open", "Open"),
            *stages,
            ("closed", "Closed (any reason)"),
            *closed,
            ("not_spam", "All but spam"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "open":
            return queryset.open()
        if value == "not_spam":
            return queryset.exclude(status=Status.CLOSED, closed_reason=ClosedReason.SPAM)
        if value.startswith("closed:"):
            return queryset.filter(status=Status.CLOSED, closed_reason=value.split(":", 1)[1])
        return queryset.filter(status=value)


class ProgramFilter(admin.SimpleListFilter):
    """The program the prospect asked about."""

    title = "program"
    parameter_name = "program"

    def lookups(self, request, model_admin):
        programs = [(str(pk), name) for pk, name in Program.objects.values_list("pk", "name")]
        return [*programs, ("none", "No program chosen")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "none":
            return queryset.filter(program__isnull=True)
        pk = query_id(value)
        return queryset.none() if pk is None else queryset.filter(program_id=pk)


class CampusFilter(admin.SimpleListFilter):
    """The campus the prospect would attend."""

    title = "campus"
    parameter_name = "campus"

    def lookups(self, request, model_admin):
        campuses = [(str(pk), name) for pk, name in Campus.objects.values_list("pk", "name")]
        return [*campuses, ("none", "No campus chosen")]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "none":
            return queryset.filter(campus__isnull=True)
        pk = query_id(value)
        return queryset.none() if pk is None else queryset.filter(campus_id=pk)


class OwnerFilter(admin.SimpleListFilter):
    """Mine, unassigned, or (for those who assign to others) any one staff member."""

    title = "owner"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        choices = [("mine", "Mine"), ("unassigned", "Unassigned")]
        if services.can_assign_to_others(request.user):
            choices += [
                (str(user.pk), _person(user))
                for user in selectors.assignable_staff().exclude(pk=request.user.pk)
            ]
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "mine":
            return queryset.filter(owner=request.user)
        if value == "unassigned":
            return queryset.filter(owner__isnull=True)
        pk = query_id(value)
        return queryset.none() if pk is None else queryset.filter(owner_id=pk)


class AttentionFilter(admin.SimpleListFilter):
    """Open inquiries that need someone now: an overdue follow-up, none planned, or a new one
    still waiting for its first contact past the speed-to-lead target."""

    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [
            ("follow_up", "Follow-up overdue"),
            ("speed_to_lead", "Waiting for first contact too long"),
            ("no_follow_up", "Open, no follow-up planned"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "follow_up":
            return selectors.overdue_follow_ups(queryset)
        if value == "speed_to_lead":
            return selectors.waiting_past_speed_to_lead(queryset)
        if value == "no_follow_up":
            return queryset.open().filter(next_follow_up_at__isnull=True)
        return queryset


class SourcePageFilter(admin.SimpleListFilter):
    """The page the form was sent from: which careers and comparisons bring prospects."""

    title = "source page"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        pages = (
            Inquiry.objects.exclude(source_page="")
            .values_list("source_page", flat=True)
            .order_by("source_page")
            .distinct()[:50]
        )
        return [(page, page) for page in pages]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(source_page=value)


class SubmittedFilter(admin.SimpleListFilter):
    """When the inquiry arrived, in the spans admissions reports on."""

    title = "submitted"
    parameter_name = "submitted"
    SPANS = {"today": 0, "7d": 7, "30d": 30}

    def lookups(self, request, model_admin):
        return [
            ("today", "Today"),
            ("7d", "Past 7 days"),
            ("30d", "Past 30 days"),
            ("12w", "Past 12 weeks"),
            ("older", "More than 12 weeks ago"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        today = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(), datetime.time.min)
        )
        if value in self.SPANS:
            return queryset.filter(
                submitted_at__gte=today - datetime.timedelta(days=self.SPANS[value])
            )
        # The dashboard's weeks, Monday to Sunday, so that its figures and this list agree.
        if value == "12w":
            return queryset.filter(submitted_at__gte=selectors.window_start(timezone.now()))
        if value == "older":
            return queryset.filter(submitted_at__lt=selectors.window_start(timezone.now()))
        return queryset


# --- Forms -----------------------------------------------------------------------------------


class InquiryAdminForm(forms.ModelForm):
    """The workflow fields, plus an optional timeline entry saved with them."""

    entry_kind = forms.ChoiceField(
        label="Entry type",
        choices=[(kind.value, kind.label) for kind in services.STAFF_ENTRY_KINDS],
        initial=ActivityKind.NOTE,
        required=False,
    )
    entry_body = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Saved to the timeline with your name and the time. Logging a call, email "
        "or text on a new inquiry also marks it contacted.",
    )

    # Set by InquiryAdmin.get_form: the person editing.
    request_user = None

    class Meta:
        model = Inquiry
        fields = ["status", "closed_reason", "owner", "next_follow_up_at"]

    def clean(self):
        data = super().clean()
        status = data.get("status", self.instance.status)
        if status == Status.CLOSED:
            if not data.get("closed_reason") and "closed_reason" in self.fields:
                self.add_error("closed_reason", "Choose why the inquiry is being closed.")
        elif "closed_reason" in data:
            data["closed_reason"] = ""
        if "owner" in self.changed_data and self.request_user is not None:
            owner = data.get("owner")
            user = self.request_user
            if not services.can_assign_to_others(user) and (owner is None or owner != user):
                self.add_error("owner", "You can assign inquiries to yourself only.")
        body = data.get("entry_body", "").strip()
        if body and not data.get("entry_kind"):
            data["entry_kind"] = ActivityKind.NOTE
        if not body and data.get("entry_kind") in services.CONTACT_KINDS:
            # Choosing "Call" and saving is no record of a call: say what happened.
            self.add_error("entry_body", "Say what happened on the call, email or text.")
        return data


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(queryset=None, label="Assign to", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.assignable_staff()
        self.fields["owner"].label_from_instance = _person


# --- Inquiries -------------------------------------------------------------------------------

PHONE_LIKE = re.compile(r"[\d\s().+\-]+")

PROSPECT_FIELDS = [
    ("first_name", "last_name"),
    "email",
    "phone",
    "postal_code",
    "contact_method",
    "program",
    "campus",
    "start_timeframe",
    "message",
]
CONSENT_FIELDS = [
    "consent_given",
    "consent_channels",
    "consent_version",
    "consented_at",
    "consent_text",
]
ATTRIBUTION_FIELDS = [
    "source_page",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "spam_signal",
    "anonymised_at",
]
WORKFLOW_FIELDS = ["status", "closed_reason", "owner", "next_follow_up_at"]
WORKFLOW_FACTS = ["submitted_at", "first_contacted_at"]
ENTRY_FIELDS = ["entry_kind", "entry_body"]


@admin.register(Inquiry)
class InquiryAdmin(SafeQueryAdmin):
    form = InquiryAdminForm
    view_on_site = False
    # What decides the next call comes first; the prospect's choices after.
    list_display = [
        "name",
        "status_label",
        "owner_name",
        "follow_up",
        "speed_to_lead",
        "age",
        "program",
        "campus",
        "source_page",
    ]
    list_select_related = ["program", "campus", "owner"]
    list_filter = [
        StatusFilter,
        AttentionFilter,
        OwnerFilter,
        ProgramFilter,
        CampusFilter,
        SourcePageFilter,
        SubmittedFilter,
    ]
    search_fields = ["first_name", "last_name", "email", "phone"]
    search_help_text = "Name, email or phone number (any formatting of the digits)."
    date_hierarchy = "submitted_at"
    list_per_page = 50
    actions = [
        "assign_to_me",
        "assign_to_staff",
        "mark_contacted",
        "close_as_spam",
        "export_csv",
    ]
    readonly_fields = [
        *[f for group in PROSPECT_FIELDS for f in (group if isinstance(group, tuple) else [group])],
        *CONSENT_FIELDS,
        *ATTRIBUTION_FIELDS,
        *WORKFLOW_FACTS,
    ]

    # Permissions beyond the model's four.

    def has_add_permission(self, request):
        # Inquiries come from the request-info form (and its rules); nobody types them in here.
        return False

    def has_assign_permission(self, request):
        return services.can_assign_to_others(request.user)

    def has_export_permission(self, request):
        return request.user.has_perm("inquiries.export_inquiry")

    def has_dashboard_permission(self, request):
        return request.user.has_perm("inquiries.view_dashboard")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not services.can_assign_to_others(request.user):
            # Representatives work their own inquiries and pick up unassigned ones.
            queryset = queryset.filter(Q(owner=request.user) | Q(owner__isnull=True))
        return queryset

    def get_ordering(self, request):
        if not services.can_assign_to_others(request.user):
            return [F("next_follow_up_at").asc(nulls_last=True), "submitted_at"]
        return ["-submitted_at"]

    def changelist_view(self, request, extra_context=None):
        if (
            request.method == "GET"
            and not request.GET
            and self.has_view_or_change_permission(request)
            and not services.can_assign_to_others(request.user)
        ):
            # A representative's default view: their open inquiries, oldest follow-up first.
            return HttpResponseRedirect(f"{request.path}?owner=mine&status=open")
        extra_context = {
            **(extra_context or {}),
            "has_export_permission": self.has_export_permission(request),
            "has_dashboard_permission": self.has_dashboard_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        digits = re.sub(r"\D", "", term)
        if len(digits) >= 4 and PHONE_LIKE.fullmatch(term):
            # Phones are stored as E.164 (+14075550123): match the digits, whatever the
            # spaces, dashes, dots or brackets typed around them.
            return queryset.filter(phone__contains=digits), False
        return super().get_search_results(request, queryset, search_term)

    # List columns.

    @admin.display(description="name", ordering="last_name")
    def name(self, obj):
        return str(obj)

    @admin.display(description="status", ordering="status")
    def status_label(self, obj):
        if obj.status == Status.CLOSED:
            return f"Closed: {obj.get_closed_reason_display().lower()}"
        return obj.get_status_display()

    @admin.display(description="owner", ordering="owner__first_name")
    def owner_name(self, obj):
        return _person(obj.owner) or "Unassigned"

    @admin.display(description="age", ordering="-submitted_at")
    def age(self, obj):
        return selectors.short_duration(timezone.now() - obj.submitted_at)

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

    @admin.display(description="speed to lead")
    def speed_to_lead(self, obj):
        if selectors.is_past_speed_to_lead(obj):
            waited = selectors.short_duration(timezone.now() - obj.submitted_at)
            return format_html("<strong>Not contacted, {}</strong>", waited)
        return ""

    # The change form.

    def get_fieldsets(self, request, obj=None):
        workflow = [*WORKFLOW_FIELDS, *WORKFLOW_FACTS]
        fieldsets = [
            ("Prospect’s answers", {"fields": PROSPECT_FIELDS}),
            ("Workflow", {"fields": workflow}),
        ]
        if self._can_add_entries(request, obj):
            fieldsets.append(
                (
                    "Add to the timeline",
                    {
                        "fields": ENTRY_FIELDS,
                        "description": "A note, or a call, email or text with the prospect.",
                    },
                )
            )
        fieldsets += [
            ("Consent", {"fields": CONSENT_FIELDS, "classes": ["collapse"]}),
            ("Attribution", {"fields": ATTRIBUTION_FIELDS, "classes": ["collapse"]}),
        ]
        return fieldsets

    def _can_add_entries(self, request, obj):
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "inquiries.add_activity"
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            if services.can_assign_to_others(request.user):
                kwargs["queryset"] = selectors.assignable_staff()
            else:
                kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "owner":
            field.label_from_instance = _person
        return field

    def save_model(self, request, obj, form, change):
        # Adding is not offered (has_add_permission): inquiries come only from the form.
        data = form.cleaned_data
        may_add_entries = self._can_add_entries(request, obj)
        services.update_inquiry(
            inquiry_id=obj.pk,
            changes={name: data.get(name) for name in form.changed_data if name in WORKFLOW_FIELDS},
            by=request.user,
            entry_kind=data.get("entry_kind", "") if may_add_entries else "",
            entry_body=data.get("entry_body", "") if may_add_entries else "",
        )
        obj.refresh_from_db()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = query_id(unquote(object_id))
        timeline = (
            Activity.objects.none()
            if pk is None
            else Activity.objects.filter(inquiry_id=pk).select_related("author")
        )
        extra_context = {**(extra_context or {}), "timeline": timeline}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Timeline entries and notifications are never deleted on their own, but they go
        # with their inquiry when someone allowed to delete it does.
        perms_needed -= {Activity._meta.verbose_name, Notification._meta.verbose_name}
        return deleted, counts, perms_needed, protected

    # Actions: each goes through the services, one timeline entry per inquiry.

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request, queryset):
        try:
            changed = services.bulk_assign(inquiries=queryset, owner=request.user, by=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"{_inquiries(changed)} assigned to you.", messages.SUCCESS)

    @admin.action(description="Assign to a staff member…", permissions=["assign"])
    def assign_to_staff(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            owner = form.cleaned_data["owner"]
            changed = services.bulk_assign(inquiries=queryset, owner=owner, by=request.user)
            self.message_user(
                request, f"{_inquiries(changed)} assigned to {_person(owner)}.", messages.SUCCESS
            )
            return None
        select_across = request.POST.get("select_across") == "1"
        count = queryset.count()
        examples = list(queryset.select_related("program")[:10])
        context = {
            **self.admin_site.each_context(request),
            "title": "Assign inquiries",
            "opts": self.opts,
            "form": form,
            "count": count,
            "examples": examples,
            "more": count - len(examples),
            # With "select all", the action re-runs on the current filters (kept in the URL);
            # one id is enough for the admin to accept the post.
            "selected": (
                request.POST.getlist(ACTION_CHECKBOX_NAME)[:1]
                if select_across
                else [str(pk) for pk in queryset.values_list("pk", flat=True)]
            ),
            "select_across": select_across,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "action": "assign_to_staff",
        }
        return TemplateResponse(request, "admin/inquiries/inquiry/assign_owner.html", context)

    @admin.action(description="Mark contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        moved = services.bulk_mark_contacted(inquiries=queryset, by=request.user)
        self.message_user(
            request,
            f"{_inquiries(moved)} marked contacted (only new ones move; any others were already "
            "past that stage).",
            messages.SUCCESS,
        )

    @admin.action(description="Close as spam", permissions=["change"])
    def close_as_spam(self, request, queryset):
        closed = services.bulk_close(inquiries=queryset, reason=ClosedReason.SPAM, by=request.user)
        self.message_user(request, f"{_inquiries(closed)} closed as spam.", messages.SUCCESS)

    @admin.action(
        description="Export as CSV (“select all” exports everything the filters show)",
        permissions=["export"],
    )
    def export_csv(self, request, queryset):
        return csv_response(queryset)

    # Extra pages: the export of the current filters and the dashboard.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="{}_{}_dashboard".format(*info),
            ),
            *super().get_urls(),
        ]

    def export_view(self, request):
        """Every inquiry the list shows with the same filters, search and ordering."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:inquiries_inquiry_changelist"))
        return csv_response(changelist.get_queryset(request))

    def dashboard_view(self, request):
        if not self.has_dashboard_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            **selectors.dashboard(),
            "title": "Admissions dashboard",
            "opts": self.opts,
            "changelist_url": reverse("admin:inquiries_inquiry_changelist"),
        }
        return TemplateResponse(request, "admin/inquiries/dashboard.html", context)


# --- Coverage and notifications --------------------------------------------------------------


@admin.register(Coverage)
class CoverageAdmin(SafeQueryAdmin):
    list_display = ["representative", "program", "last_assigned_at"]
    list_filter = ["program"]
    list_select_related = ["representative", "program"]
    readonly_fields = ["last_assigned_at"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "representative":
            kwargs["queryset"] = selectors.assignable_staff()
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "representative":
            field.label_from_instance = _person
        return field


@admin.register(Notification)
class NotificationAdmin(SafeQueryAdmin):
    """A read-only record of the emails owed and what became of them."""

    list_display = ["kind", "inquiry", "recipient", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["inquiry"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
