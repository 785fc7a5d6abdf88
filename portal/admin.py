from django.contrib import admin
from django.db import transaction

from portal.pagecache import invalidate_public_pages


class PublicContentAdmin(admin.ModelAdmin):
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
