"""The My day page: a representative's new leads, today's follow-ups and the overdue ones;
managers pick whose day (everyone's, the unassigned inquiries', or one person's)."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from inquiries import my_day, selectors
from inquiries.admin.filters import query_id
from inquiries.services import workflow

PARTS = [
    ("new", "New leads", "Nobody has tried to reach them yet; the longest-waiting first."),
    ("due_today", "Follow-ups due today", "Later today, earliest first."),
    ("overdue", "Overdue follow-ups", "Past their follow-up time, oldest first."),
]


def scope_for(request) -> tuple[my_day.Scope, str, list]:
    """Whose day the request asks for, the person chosen ("everyone", "unassigned" or an id)
    and the choices a manager has ([] for a representative, whose day is their own)."""
    user = request.user
    if not workflow.can_assign_to_others(user):
        return my_day.representative_scope(user), str(user.pk), []
    staff = list(selectors.assignable_staff())
    choices = [
        (my_day.EVERYONE, "Everyone (with the unassigned)"),
        (my_day.UNASSIGNED, "Unassigned"),
        *[(str(member.pk), selectors.staff_name(member)) for member in staff],
    ]
    chosen = request.GET.get("person", my_day.EVERYONE)
    if chosen == my_day.UNASSIGNED:
        return my_day.Scope(unassigned=True), chosen, choices
    pk = query_id(chosen)
    if pk is not None and any(member.pk == pk for member in staff):
        return my_day.Scope(owner_ids=(pk,)), chosen, choices
    return my_day.Scope(), my_day.EVERYONE, choices


def my_day_view(request, *, model_admin):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    scope, chosen, choices = scope_for(request)
    now = timezone.now()
    rows = my_day.parts(scope, now=now)
    counts = my_day.counts(scope, now=now)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "My day",
        "opts": model_admin.opts,
        "parts": [
            {
                "key": key,
                "heading": heading,
                "description": description,
                "rows": rows[key],
                "count": counts[key],
                "more": counts[key] - len(rows[key]),
            }
            for key, heading, description in PARTS
        ],
        "now": now,
        "person_choices": choices,
        "person": chosen,
        "show_owner": bool(choices),
    }
    return TemplateResponse(request, "admin/inquiries/inquiry/my_day.html", context)
