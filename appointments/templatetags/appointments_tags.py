"""`{% book_a_call program_name %}`: the next open admissions times and the way to book one,
for pages of other apps (the request-info thank-you page) that cannot import this one."""

from django import template

from appointments import links, selectors
from programs.models import Program

register = template.Library()

SHOWN = 4


@register.inclusion_tag("appointments/includes/book_a_call.html")
def book_a_call(program_name: str = ""):
    program = (
        Program.objects.published().filter(name=program_name).first() if program_name else None
    )
    return {"program": program, "slots": selectors.open_slots(program=program)[:SHOWN]}


@register.simple_tag
def booking_link(inquiry) -> str:
    """The signed link an email gives a prospect to book a call as themselves (their
    inquiry), or "" when their inquiry is no longer open or no time is open to book."""
    if not inquiry.is_open or not selectors.open_slots(program=inquiry.program):
        return ""
    return links.booking_url(inquiry)
