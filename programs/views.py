from django.conf import settings
from django.shortcuts import render
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
    context = {
        "page": page,
        "program": program,
        "request_info_url": request_info_url(program=program, from_path=request.path),
        "structured": program_structured_data(request, page),
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
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": program.name,
        "description": program.summary,
        "url": request.build_absolute_uri(program.get_absolute_url()),
        "educationalCredentialAwarded": program.get_credential_display(),
        "timeToComplete": f"P{program.full_time_months}M",
        "educationalProgramMode": "in-person",
        "provider": {
            "@type": "CollegeOrUniversity",
            "name": settings.INSTITUTION_NAME,
            "url": request.build_absolute_uri("/"),
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
        data["programType"] = "Full time or part time"
    if next_start:
        data["startDate"] = next_start.isoformat()
    return {key: value for key, value in data.items() if value not in ([], None, "")}


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
