"""`{% book_a_call program_name %}`: the next open admissions times and the way to book one,
for pages of other apps (the request-info thank-you page) that cannot import this one."""

from django import template

from appointments import selectors
from programs.models import Program

register = template.Library()

SHOWN = 4


@register.inclusion_tag("appointments/includes/book_a_call.html")
def book_a_call(program_name: str = ""):
    program = (
        Program.objects.published().filter(name=program_name).first() if program_name else None
    )
    return {"program": program, "slots": selectors.open_slots(program=program)[:SHOWN]}
