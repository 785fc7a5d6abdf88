"""The project's admin site: Django's own, with every registered admin made safe against
query strings and posted ids that no row can have.

The apps register their admins as usual (`@admin.register`); this site, Django's default
one here (portal.apps.PortalAdminConfig), mixes `SafeQueryMixin` into each admin class as
it is registered, so no app needs to know about it.
"""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError


class SafeChangeList(ChangeList):
    """The admin's list, with date-hierarchy values too large for a date treated as any other
    wrong filter (Django catches only ValueError there; a huge year raises OverflowError)."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def is_possible_pk(model, value) -> bool:
    """Whether `value` could be a primary key of `model`: of the right type and within the
    column's range (an id no database integer holds makes SQLite raise OverflowError and
    PostgreSQL an out-of-range error)."""
    try:
        model._meta.pk.clean(value, None)
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class SafeQueryMixin:
    """No query-string or posted id makes a page fail: wrong ones select nothing."""

    def get_changelist(self, request, **kwargs):
        return SafeChangeList

    def response_action(self, request, queryset, *args, **kwargs):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        valid = [pk for pk in selected if is_possible_pk(self.model, pk)]
        if len(valid) != len(selected):
            # Django filters pk__in on these as they are; drop what no row can have.
            request.POST = request.POST.copy()
            request.POST.setlist(ACTION_CHECKBOX_NAME, valid)
        return super().response_action(request, queryset, *args, **kwargs)


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeQueryMixin):
            admin_class = type(
                admin_class.__name__,
                (SafeQueryMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)
