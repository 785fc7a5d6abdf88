"""Template helpers of the admissions desk: phones as staff dial them, My day's counts."""

from django import template
from django.utils import timezone

from inquiries import my_day, phones, selectors
from inquiries.services import workflow

register = template.Library()


@register.filter
def phone_link(e164: str) -> str:
    """A tel: link reading "(407) 555-0123"."""
    return phones.phone_link(e164)


@register.filter
def email_link(address: str) -> str:
    return phones.email_link(address)


@register.filter
def waited(since) -> str:
    """How long ago, compactly: "12 min", "3 h", "2 d"."""
    return selectors.short_duration(timezone.now() - since) if since else ""


@register.filter
def staff_name(user) -> str:
    return selectors.staff_name(user)


@register.simple_tag
def my_day_counts(user) -> dict[str, int] | None:
    """The counts of the user's My day (everyone's for a manager): one query; None for those
    who do not work inquiries."""
    if not user.has_perm("inquiries.change_inquiry"):
        return None
    if workflow.can_assign_to_others(user):
        return my_day.counts(my_day.Scope())
    return my_day.counts(my_day.representative_scope(user))
