"""The inquiry list's filters, and `query_id`, which keeps a hand-edited query string from
making any of them fail."""

import datetime
import re

from django.conf import settings
from django.contrib import admin
from django.utils import timezone

from inquiries import reports, selectors
from inquiries.models import ClosedReason, Inquiry, Status
from inquiries.services import workflow
from programs.models import Campus, Program

MAX_DATABASE_ID = 2**63 - 1
ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def query_id(value) -> int | None:
    """The id a query-string (or posted) value names, or None when it cannot be one.

    Only ASCII digits within the 64-bit signed range count: `str.isdigit()` accepts "²" (which
    int() refuses) and numbers no database integer holds (SQLite raises OverflowError,
    PostgreSQL an out-of-range error), and either would make the page fail.
    """
    if not isinstance(value, str) or not ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= MAX_DATABASE_ID else None


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
            return queryset.exclude(status=Status.CLOSED, closed_reason=ClosedReason.SPAM).exclude(
                status=Status.HELD
            )
        if value.startswith("closed:"):
            return queryset.filter(status=Status.CLOSED, closed_reason=value.split(":", 1)[1])
        return queryset.filter(status=value)


class ForeignKeyFilter(admin.SimpleListFilter):
    """One row of a foreign key, by name, or none chosen.

    The parameter is the foreign key's name; subclasses say which model it points to and what
    "none chosen" reads as.
    """

    related_model = None
    none_label = ""

    def lookups(self, request, model_admin):
        names = self.related_model.objects.values_list("pk", "name")
        return [*[(str(pk), name) for pk, name in names], ("none", self.none_label)]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value == "none":
            return queryset.filter(**{f"{self.parameter_name}__isnull": True})
        pk = query_id(value)
        if pk is None:
            return queryset.none()
        return queryset.filter(**{f"{self.parameter_name}_id": pk})


class ProgramFilter(ForeignKeyFilter):
    """The program the prospect asked about."""

    title = "program"
    parameter_name = "program"
    related_model = Program
    none_label = "No program chosen"


class CampusFilter(ForeignKeyFilter):
    """The campus the prospect would attend."""

    title = "campus"
    parameter_name = "campus"
    related_model = Campus
    none_label = "No campus chosen"


class OwnerFilter(admin.SimpleListFilter):
    """Mine, unassigned, or (for those who assign to others) any one staff member."""

    title = "owner"
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        choices = [("mine", "Mine"), ("unassigned", "Unassigned")]
        if workflow.can_assign_to_others(request.user):
            choices += [
                (str(user.pk), selectors.staff_name(user))
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
        return [(page, page) for page in selectors.source_pages(limit=50)]

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


class DuplicateFilter(admin.SimpleListFilter):
    """Inquiries that may be one person with another (the same phone under another email),
    and those merged into another."""

    title = "duplicates"
    parameter_name = "duplicates"

    def lookups(self, request, model_admin):
        return [("possible", "Possible duplicate"), ("merged", "Merged into another")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "possible":
            # Both ends of each link, as one list of ids (read from the link's index).
            linked = Inquiry.objects.filter(possible_duplicate_of__isnull=False).order_by()
            ends = linked.values("pk").union(linked.values("possible_duplicate_of"))
            return queryset.filter(pk__in=ends)
        if value == "merged":
            return queryset.filter(merged_into__isnull=False)
        return queryset


class SubmittedRangeFilter(admin.SimpleListFilter):
    """Submitted between two dates, both included ("2026-09-07..2026-11-30"): the dashboard's
    range, so that its links open a list of exactly the inquiries a figure counts."""

    title = "submitted between"
    parameter_name = "submitted_between"

    def lookups(self, request, model_admin):
        default = reports.DateRange.default()
        choices = [(str(default), "The dashboard’s 12 weeks")]
        chosen = reports.DateRange.parse(self.value())
        if chosen is not None and chosen != default:
            label = f"{chosen.first:%b} {chosen.first.day}, {chosen.first.year} – "
            label += f"{chosen.last:%b} {chosen.last.day}, {chosen.last.year}"
            choices.append((str(chosen), label))
        return choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        chosen = reports.DateRange.parse(self.value())
        return queryset.none() if chosen is None else chosen.filter(queryset)


class ReachedStageFilter(admin.SimpleListFilter):
    """Inquiries that reached a stage of the funnel, now or at some point of their timeline
    (a closed inquiry keeps the stages it went through): the dashboard's conversion."""

    title = "reached stage"
    parameter_name = "reached"

    def lookups(self, request, model_admin):
        return [(stage.value, stage.label) for stage in reports.STAGES[1:]]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in reports.STAGES:
            return queryset.none()
        return queryset.filter(reports.reached(value))


class FirstContactFilter(admin.SimpleListFilter):
    """Whether anyone has tried to reach them yet (a call, email or text, answered or not),
    and whether a two-way contact has been made."""

    title = "first contact"
    parameter_name = "contact"

    def lookups(self, request, model_admin):
        return [
            ("attempted", "Attempted"),
            ("not_attempted", "Not attempted yet"),
            ("contacted", "Two-way contact made"),
            ("not_contacted", "No two-way contact yet"),
        ]

    def queryset(self, request, queryset):
        fields = {"attempted": "first_attempted_at", "contacted": "first_contacted_at"}
        value = self.value()
        if value is None:
            return queryset
        missing = value.startswith("not_")
        field = fields.get(value.removeprefix("not_"))
        if field is None:
            return queryset.none()
        return queryset.filter(**{f"{field}__isnull": missing})


class LanguageFilter(admin.SimpleListFilter):
    """The language of the form the prospect sent (their emails go in it)."""

    title = "form language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, reports.language_name(code)) for code, _ in settings.LANGUAGES]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in dict(settings.LANGUAGES):
            return queryset.none()
        return queryset.filter(language=value)
