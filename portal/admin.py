import re

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.db import transaction

from portal.pagecache import invalidate_public_pages

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


class SafeChangeList(ChangeList):
    """The admin's list, with date-hierarchy values too large for a date treated as any other
    wrong filter (Django catches only ValueError there; a huge year raises OverflowError)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class SafeQueryAdmin(admin.ModelAdmin):
    """No query-string or posted id makes a page fail: wrong ones select nothing."""

    def get_changelist(self, request, **kwargs):
        return SafeChangeList

    def response_action(self, request, queryset, *args, **kwargs):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        valid = [pk for pk in selected if query_id(pk) is not None]
        if len(valid) != len(selected):
            # Django filters pk__in on these as they are; drop what no row can have.
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, valid)
        return super().response_action(request, queryset, *args, **kwargs)


class PublicContentAdmin(SafeQueryAdmin):
    """Admin for anything a public page shows: every change makes the cached pages stale.

    Invalidation waits for the commit, so no visitor can cache the page between the cache
    bump and the new content becoming visible.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(invalidate_public_pages)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        transaction.on_commit(invalidate_public_pages)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(invalidate_public_pages)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(invalidate_public_pages)
