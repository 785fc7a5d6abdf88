"""The project's admin site: Django's own, with every registered admin made safe against
query strings and posted ids that no row can have, and against deletions that protected rows
refuse.

The apps register their admins as usual (`@admin.register`); this site, Django's default
one here (portal.apps.PortalAdminConfig), mixes `SafeQueryMixin` and `ProtectedDeleteMixin`
into each admin class as it is registered, so no app needs to know about them.
"""

from collections import Counter

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import NestedObjects, quote
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import ProtectedError, RestrictedError
from django.db.models.base import ModelBase
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from portal import login_throttle
from portal.admin_translations import untranslated_counts, with_translations


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


class ProtectedDeleteMixin:
    """A deletion that rows elsewhere refuse (`on_delete=PROTECT`) says so plainly, and never
    fails.

    Django lists every protecting row by name, and asks for permission to delete their kind
    first: to a content editor deleting a program that inquiries name, that is a list of
    prospects they may not see, under a message about permissions. Here the protecting rows
    are counted per kind, and listed by name only to those who may view that kind; the page
    says the deletion is refused because of them. An app's `delete_confirmation.html` can
    say what to do instead. A row that starts protecting between the confirmation and the
    deletion gets a message, not a server error.
    """

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not protected:
            return deleted, counts, perms_needed, protected
        # Refused whatever the permissions: say why first (Django would show those first).
        return deleted, counts, set(), self._protected_summary(objs, request)

    def _protected_summary(self, objs, request) -> list[str]:
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        rows = sorted(collector.protected, key=lambda obj: (obj._meta.label, obj.pk))
        per_model = Counter(type(obj) for obj in rows)
        summary = []
        for model, count in per_model.items():
            opts = model._meta
            name = opts.verbose_name if count == 1 else opts.verbose_name_plural
            model_admin = self.admin_site._registry.get(model)
            if model_admin is None or not model_admin.has_view_permission(request):
                summary.append(f"{count} {name} (not listed: your account may not see them)")
                continue
            summary.append(f"{count} {name}:")
            summary.append([self._protected_link(obj) for obj in rows if type(obj) is model])
        return summary

    def _protected_link(self, obj) -> str:
        opts = obj._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[quote(obj.pk)],
            )
        except NoReverseMatch:
            return f"{capfirst(opts.verbose_name)}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ProtectedError, RestrictedError):
            self._refused(request)
            return HttpResponseRedirect(request.path)

    def response_action(self, request, queryset, *args, **kwargs):
        try:
            return super().response_action(request, queryset, *args, **kwargs)
        except (ProtectedError, RestrictedError):
            self._refused(request)
            return HttpResponseRedirect(request.get_full_path())

    def _refused(self, request):
        self.message_user(
            request,
            "Nothing was deleted: other records came to refer to it meanwhile.",
            messages.ERROR,
        )


class PortalAdminSite(admin.AdminSite):
    """Django's admin site, carrying the institution's name, with the safety mixins above."""

    index_title = "Home"

    @property
    def site_header(self):
        return f"{settings.INSTITUTION_NAME} admissions"

    @property
    def site_title(self):
        return f"{settings.INSTITUTION_NAME} admissions"

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeQueryMixin):
            admin_class = type(
                admin_class.__name__,
                (SafeQueryMixin, ProtectedDeleteMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        )
        for model in models:
            super().register(model, with_translations(model, admin_class), **options)

    def login(self, request, extra_context=None):
        """The admin's login, slowed down for an address that keeps failing
        (portal/login_throttle.py)."""
        posted = request.method == "POST"
        if posted and login_throttle.is_throttled(request):
            response = render(request, "admin/login_throttled.html", status=429)
            response["Retry-After"] = str(settings.ADMIN_LOGIN_THROTTLE_SECONDS)
            return response
        response = super().login(request, extra_context)
        if posted and not request.user.is_authenticated:
            login_throttle.count_failure(request)
        return response

    def index(self, request, extra_context=None):
        """The admin home, with how many rows of each content kind the user edits still miss
        a translation (portal/admin_translations.py)."""
        context = {"untranslated": untranslated_counts(self, request), **(extra_context or {})}
        return super().index(request, context)

    def get_urls(self):
        """Django's "view on site" shortcut redirects for any object id that exists, which
        would let staff find out which inquiries exist; here it answers only for models whose
        admin offers the link, and the same 404 for every other id."""
        urls = super().get_urls()
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site_shortcut),
                name="view_on_site",
            )
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in urls
        ]

    def view_on_site_shortcut(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
        except ContentType.DoesNotExist:
            raise Http404 from None
        model_admin = self._registry.get(model)
        if (
            model_admin is None
            or not model_admin.view_on_site
            or not model_admin.has_view_or_change_permission(request)
        ):
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
