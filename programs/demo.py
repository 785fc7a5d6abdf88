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
    Course,
    Pace,
    Program,
    Schedule,
    StartDate,
)
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
    program, _ = Program.objects.update_or_create(
        slug=item["slug"], defaults={field: item[field] for field in fields}
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
