from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs import selectors
from roles.selectors import request_info_url


@require_safe
def program_list(request):
    return render(request, "programs/program_list.html", {"programs": selectors.program_list()})


@require_safe
def program_detail(request, slug):
    page = selectors.program_detail(slug)
    program = page.program
    if program.slug != slug:
        return redirect(program.get_absolute_url(), permanent=True)
    context = {
        "page": page,
        "program": program,
        "request_info_url": request_info_url(program=program, from_path=request.path),
        "structured": program_structured_data(request, page),
        "i18n_object": program,
        **selectors.institution_notes(),
    }
    return render(request, "programs/program_detail.html", context)


def program_structured_data(request, page) -> dict:
    """schema.org EducationalOccupationalProgram for search engines."""
    program, campuses = page.program, page.campuses
    next_start = min(
        (start.starts_on for campus in campuses for start in campus.upcoming_starts),
        default=None,
    )
    program_url = request.build_absolute_uri(program.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": program.name,
        "description": program.summary,
        "url": program_url,
        "educationalCredentialAwarded": program.get_credential_display(),
        "timeToComplete": f"P{program.full_time_months}M",
        "educationalProgramMode": "in-person",
        "provider": {
            "@type": "CollegeOrUniversity",
            "name": settings.INSTITUTION_NAME,
            "url": request.build_absolute_uri(reverse("home")),
            "location": [_place(campus) for campus in campuses],
        },
        "programPrerequisites": [req.text for req in page.admission_requirements],
        "occupationalCategory": [career.soc_code for career in page.careers if career.soc_code],
        "hasCourse": [
            {
                "@type": "Course",
                "courseCode": course.code,
                "name": course.title,
                **({"description": course.description} if course.description else {}),
            }
            for course in page.courses
        ],
    }
    if program.part_time_months:
        data["programType"] = _("Full time or part time")
    if next_start:
        data["startDate"] = next_start.isoformat()
    data.update(_disclosures(page, program_url))
    return {key: value for key, value in data.items() if value not in ([], None, "")}


def _sample(flag: bool) -> str:
    return _(" (sample value, not the college's published figure)") if flag else ""


def _disclosures(page, program_url: str) -> dict:
    """The disclosure table, in schema.org terms: the cost as an offer with its parts, aid
    eligibility, class times, and the other figures as a dataset about the program."""
    program = page.program
    data = {}
    total = page.total_cost
    if total is not None:
        data["offers"] = {
            "@type": "Offer",
            "category": _("Total program cost"),
            "price": float(total),
            "priceCurrency": "USD",
            "description": _("Tuition, fees, books and supplies, and uniform")
            + _sample(page.cost_has_sample),
            "priceSpecification": {
                "@type": "CompoundPriceSpecification",
                "price": float(total),
                "priceCurrency": "USD",
                "priceComponent": [
                    {
                        "@type": "UnitPriceSpecification",
                        "name": item.name + _sample(item.is_sample),
                        "price": float(item.amount),
                        "priceCurrency": "USD",
                    }
                    for item in page.cost_items
                ],
            },
        }
        if program.cost_as_of:
            data["offers"]["validFrom"] = program.cost_as_of.isoformat()
    if program.financial_aid_eligibility:
        data["financialAidEligible"] = program.financial_aid_eligibility + _sample(
            program.financial_aid_is_sample
        )
    times = [
        f"{schedule.name}: {schedule.class_times}{_sample(schedule.class_times_are_sample)}"
        for schedule in page.schedules
        if schedule.class_times
    ]
    if times:
        data["timeOfDay"] = times
    measured = []
    if program.total_clock_hours:
        measured.append(
            {
                "@type": "PropertyValue",
                "name": _("Total clock hours") + _sample(program.clock_hours_are_sample),
                "value": program.total_clock_hours,
                "unitText": _("hours"),
            }
        )
    if program.programmatic_accreditation:
        measured.append(
            {
                "@type": "PropertyValue",
                "name": _("Programmatic accreditation"),
                "value": program.programmatic_accreditation,
                **(
                    {"dateModified": program.programmatic_accreditation_checked_on.isoformat()}
                    if program.programmatic_accreditation_checked_on
                    else {}
                ),
            }
        )
    for route in page.credential_routes:
        measured.append(
            {
                "@type": "PropertyValue",
                "name": _("Route to %(credential)s")
                % {"credential": route.certification.abbreviation},
                "value": route.get_status_display(),
                "description": route.explanation,
            }
        )
    for outcome in page.outcomes:
        measured.append(
            {
                "@type": "PropertyValue",
                "name": outcome.name + _sample(outcome.is_sample),
                "value": float(outcome.rate),
                "unitText": _("percent"),
                "description": _("Cohort: %(cohort)s. Source: %(source)s, as of %(date)s.")
                % {
                    "cohort": outcome.cohort,
                    "source": outcome.source_name,
                    "date": outcome.as_of.isoformat(),
                },
            }
        )
    if measured:
        data["subjectOf"] = {
            "@type": "Dataset",
            "name": _("%(program)s: disclosures") % {"program": program.name},
            "url": f"{program_url}#disclosures",
            "variableMeasured": measured,
        }
    return data


def _place(campus) -> dict:
    place = {
        "@type": "Place",
        "name": campus.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": campus.street_address,
            "addressLocality": campus.city,
            "addressRegion": campus.region,
            "postalCode": campus.postal_code,
            "addressCountry": "US",
        },
    }
    if campus.phone:
        place["telephone"] = campus.phone
    return place
