import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from portal import ogimage, pagecache

register = template.Library()

# The characters that could end the <script> element or start a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data):
    """Render schema.org data as a JSON-LD block.

    A data block with a non-JavaScript type is never executed, so the 'self'-only
    Content Security Policy does not need a nonce for it. Every block says the language of
    the page it describes (`inLanguage`), as its names and addresses are in that language.
    """
    data = {**data, "inLanguage": get_language()} if isinstance(data, dict) else data
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
    items = [(gettext("Home"), reverse("home"))]
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


class CaptureNode(template.Node):
    # Listed so that {% block %} tags inside are still found and overridden by child templates.
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    """Render the enclosed template (a {% block %} too) once into a variable, already escaped:

    {% capture as og_title %}{% block og_title %}...{% endblock %}{% endcapture %}
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def og_image_meta(context, title):
    """The Open Graph and Twitter tags of the page's card (portal/ogimage.py).

    `title` is the page's Open Graph title as rendered (HTML-escaped). No query: the card's
    address is a signed token of the title.
    """
    text = ogimage.card_title(str(title))
    path = ogimage.card_path(text)
    request = context.get("request")
    url = request.build_absolute_uri(path) if request is not None else path
    institution_name = context.get("institution_name") or settings.INSTITUTION_NAME
    alt = text if text == institution_name else f"{text}, {institution_name}"
    return format_html(
        '<meta property="og:image" content="{}">\n'
        '  <meta property="og:image:type" content="image/png">\n'
        '  <meta property="og:image:width" content="{}">\n'
        '  <meta property="og:image:height" content="{}">\n'
        '  <meta property="og:image:alt" content="{}">\n'
        '  <meta name="twitter:card" content="summary_large_image">',
        url,
        ogimage.WIDTH,
        ogimage.HEIGHT,
        alt,
    )


# Pictures drawn for the site (static/img/careers/, static/img/areas/). A career or area
# without its own picture gets the neutral one, so a career added in the admin still has one.
CAREER_ICONS = frozenset({"medical-assistant", "laboratory-technician", "phlebotomist"})
AREA_ICONS = frozenset({"administrative", "clinical", "laboratory"})


def _icon(css_class: str, path: str, size: int):
    # Decorative: the career's or area's name is always written beside it.
    return format_html(
        '<img class="{}" src="{}" alt="" width="{}" height="{}">',
        css_class,
        static(path),
        size,
        size,
    )


@register.simple_tag
def career_icon(role, size=48):
    """The picture of a career (a Role or its English slug)."""
    slug = getattr(role, "slug_en", None) or getattr(role, "slug", role)
    name = slug if slug in CAREER_ICONS else "career"
    return _icon("career-icon", f"img/careers/{name}.svg", size)


@register.simple_tag
def area_icon(area, size=32):
    """The picture of an area of work: "administrative", "clinical" or "laboratory"."""
    name = area if area in AREA_ICONS else "area"
    return _icon("area-icon", f"img/areas/{name}.svg", size)


_NO_CAMPUS_GIVEN = object()


@register.simple_tag(takes_context=True)
def college_json_ld(context):
    """The college as a schema.org CollegeOrUniversity, with its address and phone.

    The campus is the page's `contact_campus` (the one the footer shows) when the context
    has it, so the page reads it once; otherwise the first active campus.
    """
    request = context["request"]
    campus = context.get("contact_campus", _NO_CAMPUS_GIVEN)
    if campus is _NO_CAMPUS_GIVEN:
        from programs.models import Campus

        campus = Campus.objects.filter(is_active=True).order_by("order", "name").first()
    data = {
        "@context": "https://schema.org",
        "@type": "CollegeOrUniversity",
        "name": settings.INSTITUTION_NAME,
        "url": request.build_absolute_uri(reverse("home")),
        "logo": request.build_absolute_uri(static("img/logo.svg")),
    }
    if campus:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": campus.street_address,
            "addressLocality": campus.city,
            "addressRegion": campus.region,
            "postalCode": campus.postal_code,
            "addressCountry": "US",
        }
        if campus.phone:
            data["telephone"] = campus.phone
    return json_ld(data)


# Rendered site-wide fragments of this process, by (name, language): (content version, HTML).
# A handful of entries; a content change makes every one of them stale at once.
_site_fragments: dict[tuple[str, str], tuple[int, str]] = {}


class SiteFragmentNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        try:
            version = pagecache.content_version()
        except Exception:  # e.g. Redis down: render it, as the page cache then does
            return self.nodelist.render(context)
        key = (self.name, get_language())
        stored = _site_fragments.get(key)
        if stored is not None and stored[0] == version:
            return stored[1]
        html = self.nodelist.render(context)
        _site_fragments[key] = (version, html)
        return html


@register.tag
def site_fragment(parser, token):
    """Render the enclosed template once per content version and language, for every page:

    {% site_fragment "footer" %}...{% endsite_fragment %}

    Only for markup that is the same on every page in a language (the footer's links):
    nothing of the page, the request or the visitor may be inside, nor anything read from
    the database (a read that failed would be kept). Any content change
    (portal/freshness.py) renders it afresh.
    """
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('Use {% site_fragment "name" %}...')
    nodelist = parser.parse(("endsite_fragment",))
    parser.delete_first_token()
    return SiteFragmentNode(nodelist, bits[1][1:-1])
