"""The inquiry admin: the list staff work from, the inquiry's page with its timeline, the
bulk actions, and the links to My day, the export and the dashboard. The list's columns are
in admin.columns, the inquiry's page (fieldsets, who may change what) in admin.call_page."""

import functools

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path

from inquiries import selectors
from inquiries.admin import access, contact, dates, filters
from inquiries.admin import people as people_admin
from inquiries.admin.call_page import READONLY_FIELDS, CallPageMixin
from inquiries.admin.columns import LIST_DISPLAY, ListColumnsMixin
from inquiries.admin.consent import ConsentAdminMixin
from inquiries.admin.dashboard import dashboard_view
from inquiries.admin.export import csv_response, export_view
from inquiries.admin.forms import AssignForm, InquiryAdminForm
from inquiries.admin.my_day import my_day_view
from inquiries.admin.paging import InquiryPaginator
from inquiries.admin.replies import write_view
from inquiries.models import (
    Activity,
    ClosedReason,
    Inquiry,
    Notification,
)
from inquiries.services import people, workflow


def _inquiries(count: int) -> str:
    return f"{count} inquiry" if count == 1 else f"{count} inquiries"


@admin.register(Inquiry)
class InquiryAdmin(ConsentAdminMixin, CallPageMixin, ListColumnsMixin, admin.ModelAdmin):
    form = InquiryAdminForm
    view_on_site = False
    # What decides the next call comes first; the prospect's choices after.
    list_display = LIST_DISPLAY
    list_select_related = ["program", "campus", "owner"]
    list_filter = [
        filters.StatusFilter,
        filters.AttentionFilter,
        filters.OwnerFilter,
        filters.ProgramFilter,
        filters.CampusFilter,
        filters.LanguageFilter,
        filters.SourcePageFilter,
        filters.SubmittedFilter,
        filters.DuplicateFilter,
        filters.SubmittedRangeFilter,
        filters.ReachedStageFilter,
        filters.FirstContactFilter,
    ]
    # A repeat submission's own name and email find the inquiry it joined.
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "submissions__first_name",
        "submissions__last_name",
        "submissions__email",
    ]
    search_help_text = "Name, email or phone number (any formatting of the digits)."
    date_hierarchy = "submitted_at"
    list_per_page = 50
    # At a college's size (a quarter of a million inquiries), no page of the list counts the
    # whole table: no "N total" beside a filtered count, and "about N" for the whole list.
    show_full_result_count = False
    paginator = InquiryPaginator
    actions = [
        "assign_to_me",
        "assign_to_staff",
        "mark_contacted",
        "close_as_spam",
        people_admin.release_not_spam,
        people_admin.close_held_as_spam,
        people_admin.merge_selected,
        "export_csv",
    ]
    readonly_fields = READONLY_FIELDS

    # Permissions beyond the model's four.

    def has_add_permission(self, request):
        # Inquiries come from the request-info form (and its rules); nobody types them in here.
        return False

    def has_assign_permission(self, request):
        return workflow.can_assign_to_others(request.user)

    def has_export_permission(self, request):
        return request.user.has_perm("inquiries.export_inquiry")

    def has_dashboard_permission(self, request):
        return request.user.has_perm("inquiries.view_dashboard")

    def has_merge_permission(self, request):
        return people.can_merge(request.user)

    def has_review_permission(self, request):
        return people.can_review_spam(request.user)

    def get_ordering(self, request):
        if not workflow.can_assign_to_others(request.user):
            return [F("next_follow_up_at").asc(nulls_last=True), "submitted_at"]
        return ["-submitted_at"]

    def changelist_view(self, request, extra_context=None):
        if (
            request.method == "GET"
            and not request.GET
            and self.has_view_or_change_permission(request)
            and not workflow.can_assign_to_others(request.user)
        ):
            # A representative's default view: their open inquiries, oldest follow-up first.
            return HttpResponseRedirect(f"{request.path}?owner=mine&status=open")
        extra_context = {
            "title": "Inquiries",
            **(extra_context or {}),
            "has_export_permission": self.has_export_permission(request),
            "has_dashboard_permission": self.has_dashboard_permission(request),
        }
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            response.context_data["date_drilldown"] = dates.drilldown(changelist)
        return response

    def get_search_results(self, request, queryset, search_term):
        # Phones are stored as E.164 (+14075550123): a phone number matches by its digits,
        # whatever the spaces, dashes, dots or brackets typed around them.
        return selectors.search(queryset, search_term), False

    # The change form.

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request_user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            if workflow.can_assign_to_others(request.user):
                kwargs["queryset"] = selectors.assignable_staff()
            else:
                kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "owner":
            field.label_from_instance = selectors.staff_name
        return field

    def save_model(self, request, obj, form, change):
        # Adding is not offered (has_add_permission): inquiries come only from the form.
        data = form.cleaned_data
        may_add_entries = self._can_add_entries(request, obj)
        workflow.update_inquiry(
            inquiry_id=obj.pk,
            changes=form.workflow_changes(),
            by=request.user,
            entry_kind=data.get("entry_kind", "") if may_add_entries else "",
            entry_body=data.get("entry_body", "") if may_add_entries else "",
            outcome=data.get("outcome", "") if may_add_entries else "",
        )
        obj.refresh_from_db()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = filters.query_id(unquote(object_id))
        timeline = (
            Activity.objects.none()
            if pk is None
            else Activity.objects.filter(inquiry_id=pk).select_related("author")
        )
        extra_context = {
            **(extra_context or {}),
            "timeline": timeline,
            **people_admin.people_context(request, pk, model_admin=self),
        }
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
            changed = workflow.bulk_assign(inquiries=queryset, owner=request.user, by=request.user)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        self.message_user(request, f"{_inquiries(changed)} assigned to you.", messages.SUCCESS)

    @admin.action(description="Assign to a staff member…", permissions=["assign"])
    def assign_to_staff(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            owner = form.cleaned_data["owner"]
            changed = workflow.bulk_assign(inquiries=queryset, owner=owner, by=request.user)
            self.message_user(
                request,
                f"{_inquiries(changed)} assigned to {selectors.staff_name(owner)}.",
                messages.SUCCESS,
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
        queryset = access.workable(request.user, queryset)
        moved = workflow.bulk_mark_contacted(inquiries=queryset, by=request.user)
        self.message_user(
            request,
            f"{_inquiries(moved)} marked contacted (only new ones move; any others were already "
            "past that stage).",
            messages.SUCCESS,
        )

    @admin.action(description="Close as spam", permissions=["change"])
    def close_as_spam(self, request, queryset):
        queryset = access.workable(request.user, queryset)
        closed = workflow.bulk_close(inquiries=queryset, reason=ClosedReason.SPAM, by=request.user)
        self.message_user(request, f"{_inquiries(closed)} closed as spam.", messages.SUCCESS)

    @admin.action(
        description="Export as CSV (“select all” exports everything the filters show)",
        permissions=["export"],
    )
    def export_csv(self, request, queryset):
        return csv_response(queryset)

    # Extra pages: My day, the export of the current filters, the dashboard, merging and
    # splitting, taking an inquiry and correcting its contact details.

    def get_urls(self):
        pages = {
            "my-day/": ("my_day", my_day_view),
            "<path:object_id>/take/": ("take", contact.take_view),
            "<path:object_id>/correct-contact/": ("correct_contact", contact.correct_contact_view),
            "<path:object_id>/write/": ("write", write_view),
            "export/": ("export", export_view),
            "dashboard/": ("dashboard", dashboard_view),
            "merge/": ("merge", people_admin.merge_view),
            "<path:inquiry_id>/split/": ("split", people_admin.split_view),
        }
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            *(
                path(
                    route,
                    self.admin_site.admin_view(functools.partial(view, model_admin=self)),
                    name=f"{prefix}_{name}",
                )
                for route, (name, view) in pages.items()
            ),
            *super().get_urls(),
        ]
