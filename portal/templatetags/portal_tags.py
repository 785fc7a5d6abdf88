import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# The characters that could end the <script> element or start a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Render schema.org data as a JSON-LD block.

    A data block with a non-JavaScript type is never executed, so the 'self'-only
    Content Security Policy does not need a nonce for it.
    """
    payload = json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def nav_current(context, section_path):
    """The aria-current attribute of a main navigation link to `section_path`.

    "page" on the section's own page, "true" anywhere below it, nothing elsewhere.
    """
    request = context.get("request")
    if request is None or not section_path:
        return ""
    if request.path == section_path:
        return format_html(' aria-current="{}"', "page")
    if request.path.startswith(section_path):
        return format_html(' aria-current="{}"', "true")
    return ""


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *trail):
    """Visible breadcrumbs plus their BreadcrumbList JSON-LD.

    Call with alternating names and paths, the last name without a path:
    {% breadcrumbs "Careers" careers_url role.name %}
    """
    request = context["request"]
    items = [("Home", reverse("home"))]
    names_and_paths = list(trail)
    while len(names_and_paths) >= 2:
        name, path = names_and_paths[:2]
        items.append((name, path))
        names_and_paths = names_and_paths[2:]
    current = names_and_paths[0] if names_and_paths else None
    structured = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(items, start=1)
        ]
        + ([{"@type": "ListItem", "position": len(items) + 1, "name": current}] if current else []),
    }
    return {"links": items, "current": current, "structured": structured}
