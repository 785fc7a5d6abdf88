"""Demo programs, campuses and institution pages from `demo_content.yaml`.

Each loader makes the database match the data file and can run any number of times. Careers
and certifications come from the roles loader, which runs first; a missing one is skipped.
"""

import datetime
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.utils import timezone

from programs.models import (
    AdmissionRequirement,
    Campus,
    CostItem,
    Course,
    CredentialRoute,
    Outcome,
    Pace,
    Program,
    Schedule,
    StartDate,
)
from roles.demo import set_translations
from roles.models import Certification, Role

DATA_FILE = Path(__file__).with_name("demo_content.yaml")


@cache
def demo_data() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def cycle_dates(
    *, anchor: datetime.date, every_weeks: int, count: int, after: datetime.date
) -> list[datetime.date]:
    """The next `count` dates after `after` on a cycle of `every_weeks` from `anchor`."""
    step = datetime.timedelta(weeks=every_weeks)
    cycles_passed = max(0, (after - anchor) // step + 1)
    first = anchor + cycles_passed * step
    return [first + index * step for index in range(count)]


@transaction.atomic
def load_programs(*, today: datetime.date | None = None) -> str:
    today = today or timezone.localdate()
    data = demo_data()
    for campus in data["campuses"]:
        Campus.objects.update_or_create(
            slug=campus["slug"], defaults={k: v for k, v in campus.items() if k != "slug"}
        )
    names = []
    for item in data["programs"]:
        program = _load_program(item, today=today)
        names.append(program.name)
    return f"programs: {', '.join(names)}"


def _load_program(item: dict, *, today: datetime.date) -> Program:
    fields = [
        "name",
        "credential",
        "summary",
        "description",
        "full_time_months",
        "part_time_months",
        "clinical_experience",
    ]
    optional = {
        "part_time_is_sample": False,
        "total_clock_hours": None,
        "clock_hours_are_sample": False,
        "curriculum_is_sample": False,
        "cost_as_of": None,
        "cost_source_url": "",
        "financial_aid_kinds": "",
        "financial_aid_eligibility": "",
        "financial_aid_how_to_apply": "",
        "net_price_calculator_url": "",
        "financial_aid_is_sample": False,
        "placement_services": "",
        "programmatic_accreditation": "",
        "programmatic_accreditation_checked_on": None,
    }
    program, _ = Program.objects.update_or_create(
        slug=item["slug"],
        defaults={
            **{field: item[field] for field in fields},
            **{field: item.get(field, default) for field, default in optional.items()},
        },
    )
    program.careers.set(Role.objects.filter(slug__in=item.get("careers", [])))
    program.certifications.set(
        Certification.objects.filter(abbreviation__in=item.get("certifications", []))
    )
    program.campuses.set(Campus.objects.filter(slug__in=item.get("campuses", [])))

    schedules = item.get("schedules", [])
    for order, schedule in enumerate(schedules):
        Schedule.objects.update_or_create(
            program=program,
            name=schedule["name"],
            defaults={
                "order": order,
                "pace": schedule["pace"],
                "description": schedule["description"],
                "class_times": schedule.get("class_times", ""),
                "class_times_are_sample": schedule.get("class_times_are_sample", False),
            },
        )
    program.schedules.exclude(name__in=[schedule["name"] for schedule in schedules]).delete()
    requirements = item.get("admission_requirements", [])
    for order, text in enumerate(requirements):
        AdmissionRequirement.objects.update_or_create(
            program=program, text=text, defaults={"order": order}
        )
    program.admission_requirements.exclude(text__in=requirements).delete()
    codes = []
    for order, course in enumerate(item.get("courses", [])):
        codes.append(course["code"])
        Course.objects.update_or_create(
            program=program,
            code=course["code"],
            defaults={
                "order": order,
                **{key: value for key, value in course.items() if key != "code"},
            },
        )
    program.courses.exclude(code__in=codes).delete()
    _sync_disclosures(program, item)

    starts = item.get("start_dates")
    if starts:
        for campus in Campus.objects.filter(slug__in=starts["campuses"]):
            for pace in Pace.values:
                if pace not in starts:
                    continue
                for starts_on in cycle_dates(anchor=starts["anchor"], after=today, **starts[pace]):
                    StartDate.objects.get_or_create(
                        program=program, campus=campus, starts_on=starts_on, pace=pace
                    )
    return program


def _sync_disclosures(program: Program, item: dict) -> None:
    """Cost lines, credential routes and outcomes: the file's list is the whole list."""
    kept = []
    for order, line in enumerate(item.get("cost_items", [])):
        row, _ = CostItem.objects.update_or_create(
            program=program,
            kind=line["kind"],
            label=line.get("label", ""),
            defaults={
                "amount": line["amount"],
                "is_sample": line.get("is_sample", False),
                "order": order,
            },
        )
        kept.append(row.pk)
    program.cost_items.exclude(pk__in=kept).delete()

    certifications = {
        certification.abbreviation: certification
        for certification in Certification.objects.filter(
            abbreviation__in=[route["abbreviation"] for route in item.get("credential_routes", [])]
        )
    }
    kept = []
    for order, route in enumerate(item.get("credential_routes", [])):
        certification = certifications.get(route["abbreviation"])
        if certification is None:
            continue  # the roles loader has not run: skipped like a missing career
        row, _ = CredentialRoute.objects.update_or_create(
            program=program,
            certification=certification,
            defaults={
                "status": route["status"],
                "explanation": route["explanation"],
                "order": order,
            },
        )
        kept.append(row.pk)
    program.credential_routes.exclude(pk__in=kept).delete()

    kept = []
    for order, outcome in enumerate(item.get("outcomes", [])):
        row, _ = Outcome.objects.update_or_create(
            program=program,
            kind=outcome["kind"],
            cohort=outcome["cohort"],
            defaults={
                "label": outcome.get("label", ""),
                "rate": outcome["rate"],
                "source_name": outcome["source_name"],
                "source_url": outcome.get("source_url", ""),
                "as_of": outcome["as_of"],
                "is_sample": outcome.get("is_sample", False),
                "order": order,
            },
        )
        kept.append(row.pk)
    program.outcomes.exclude(pk__in=kept).delete()


@transaction.atomic
def load_institution_pages() -> str:
    titles = []
    for page in demo_data()["pages"]:
        flatpage, _ = FlatPage.objects.update_or_create(
            url=page["url"], defaults={"title": page["title"], "content": page["content"]}
        )
        flatpage.sites.add(settings.SITE_ID)
        titles.append(flatpage.title)
    return f"institution pages: {', '.join(titles)}"


SPANISH_FILE = Path(__file__).resolve().parent / "demo_content_es.yaml"


@transaction.atomic
def load_demo_translations(*, path: Path = SPANISH_FILE, language: str = "es") -> str:
    """The Spanish of the demo campus, program (its disclosures, schedules, requirements and
    courses too) and institution pages (demo_content_es.yaml)."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    count = set_translations(Campus.objects, "slug", data.get("campuses"), language=language)
    for slug, fields in (data.get("programs") or {}).items():
        count += _translate_program(slug, fields, language)
    count += set_translations(FlatPage.objects, "url_en", data.get("pages"), language=language)
    return f"{count} rows translated into Spanish"


def _translate_program(slug: str, fields: dict, language: str) -> int:
    rows = {
        "cost_items": (CostItem, "label_en", None),
        "credential_routes": (CredentialRoute, "certification__abbreviation", "explanation"),
        "outcomes": (Outcome, "kind", None),
        "schedules": (Schedule, "name_en", None),
        "admission_requirements": (AdmissionRequirement, "text_en", "text"),
        "courses": (Course, "code", None),
    }
    own = {key: value for key, value in fields.items() if key not in rows}
    count = set_translations(Program.objects, "slug_en", {slug: own}, language=language)
    for key, (model, found_by, only_field) in rows.items():
        translations = {
            english: {only_field: text} if only_field else text
            for english, text in (fields.get(key) or {}).items()
        }
        count += set_translations(
            model.objects.filter(program__slug_en=slug), found_by, translations, language=language
        )
    return count
