from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from roles import selectors
from roles.forms import ComparisonPickForm
from roles.models import Role, comparison_url
from roles.slugs import by_any_slug


@require_safe
def career_list(request):
    return render(request, "roles/role_list.html", {"roles": selectors.career_cards()})


@require_safe
def career_detail(request, slug):
    role = by_any_slug(Role.objects.published(), slug)
    if role is None:
        raise Http404("No such career.")
    if role.slug != slug:
        return _lasting_redirect(role.get_absolute_url())
    page = selectors.career_page(role)
    program = page.programs[0] if page.programs else None
    related_program = None if program else next(iter(page.related_programs), None)
    context = {
        "page": page,
        "role": role,
        "cta_program": program,
        "related_program": related_program,
        "request_info_url": selectors.request_info_url(
            program=program or related_program, from_path=request.path
        ),
        "structured": occupation_structured_data(request, page),
        "i18n_object": role,
    }
    return render(request, "roles/role_detail.html", context)


@require_safe
def comparison_index(request):
    roles = list(selectors.career_cards())
    return render(request, "roles/comparison_index.html", _index_context(roles))


@never_cache
@require_safe
def comparison_pick(request):
    """Target of the picker form: off to the canonical comparison, or back with a message."""
    roles = list(selectors.career_cards())
    form = ComparisonPickForm(request.GET, roles=roles)
    if form.is_valid():
        return redirect(comparison_url(form.chosen_roles()))
    return render(request, "roles/comparison_index.html", _index_context(roles, form=form))


def _index_context(roles, form=None):
    return {
        "form": form or ComparisonPickForm(roles=roles),
        "roles": roles,
        "comparisons": selectors.curated_comparisons(),
    }


@require_safe
def comparison_detail(request, slugs):
    requested = selectors.parse_comparison_slugs(slugs)
    if not all(requested) or len(set(requested)) > selectors.MAX_COMPARED:
        raise Http404("A comparison covers two or three careers.")
    roles = selectors.published_roles(requested)
    if len(roles) != len(set(requested)) or any(role is None for role in roles):
        raise Http404("No such career.")
    if len(roles) == 1:
        return _lasting_redirect(roles[0].get_absolute_url())
    canonical = comparison_url(roles)
    if request.path != canonical:
        return _lasting_redirect(canonical)
    page = selectors.comparison_page(roles)
    fit = page.program_fits[0] if page.program_fits else None
    program = fit.program if fit else None
    context = {
        "page": page,
        "cta_fit": fit,
        "request_info_url": selectors.request_info_url(program=program, from_path=request.path),
        # The same careers' comparison in another language: their slugs there.
        "i18n_object": SimpleNamespace(get_absolute_url=lambda: comparison_url(roles)),
    }
    return render(request, "roles/comparison_detail.html", context)


def _lasting_redirect(url):
    """A 301, kept an hour rather than forever: the canonical order follows Role.order,
    which editors may change, and a forever-cached old redirect could then loop."""
    response = redirect(url, permanent=True)
    patch_cache_control(response, public=True, max_age=3600)
    return response


def occupation_structured_data(request, page) -> dict:
    """schema.org Occupation for search engines."""
    role = page.role
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": role.name,
        "description": role.summary,
        "url": request.build_absolute_uri(role.get_absolute_url()),
        "responsibilities": [link.duty.name for _, links in page.duty_areas for link in links],
        "qualifications": [
            {
                "@type": "EducationalOccupationalCredential",
                "name": link.certification.name,
                "credentialCategory": "certification",
                "recognizedBy": {"@type": "Organization", "name": link.certification.issuing_body},
            }
            for link in page.credentials
        ],
    }
    pay = page.pay_fact
    if pay is not None:
        data["estimatedSalary"] = {
            "@type": "MonetaryAmountDistribution",
            "name": _("Median annual wage, %(period)s") % {"period": pay.period}
            if pay.period
            else _("Median annual wage"),
            "currency": "USD",
            "duration": "P1Y",
            "median": float(pay.amount),
        }
        if pay.as_of:
            data["estimatedSalary"]["validFrom"] = pay.as_of.isoformat()
    if role.soc_code:
        data["occupationalCategory"] = {
            "@type": "CategoryCode",
            "codeValue": role.soc_code,
            "inCodeSet": {
                "@type": "CategoryCodeSet",
                "name": "Standard Occupational Classification",
            },
        }
    return data
