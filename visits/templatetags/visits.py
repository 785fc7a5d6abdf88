"""`{% load visits %}` for the pages of other apps: their templates show the next visits
without their code importing this app (the layers run visits -> inquiries -> programs -> roles).
"""

from django import template

from visits import selectors

register = template.Library()


def _as_list(value):
    if value is None or isinstance(value, (list, tuple)):
        return value
    return [value]


@register.inclusion_tag("visits/_next_events.html")
def next_visits(program=None, roles=None):
    """The "Visit us" block: the next events for a program, or for careers (a role or a
    list of them: the programs that prepare for them); with neither, the next events."""
    return {"events": selectors.next_events(programs=_as_list(program), roles=_as_list(roles))}
