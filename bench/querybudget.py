"""SQL queries per public page at the demo size and at ten times as many careers, duties and
programs, in English and in Spanish: the two columns must be equal (a page's query count must
not grow with content), and a page costs the same in both languages.

Runs on a throwaway in-memory SQLite database made the way the test runner makes one, with
the page cache off so that every request renders. `python bench/querybudget.py` prints the
table; `--json` prints the counts for bench/run.py.
"""

import argparse
import datetime
import io
import json
import logging
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("home", "/"),
    ("careers", "/careers/"),
    ("career", "/careers/medical-assistant/"),
    ("comparisons", "/compare/"),
    ("curated comparison", "/compare/medical-assistant-vs-phlebotomist/"),
    ("computed pair", "/compare/laboratory-technician-vs-phlebotomist/"),
    (
        "computed trio",
        "/compare/medical-assistant-vs-laboratory-technician-vs-phlebotomist/",
    ),
    ("picker", "/compare/choose/?careers=medical-assistant"),
    ("programs", "/programs/"),
    ("program", "/programs/medical-assistant-technician/"),
    ("institution page", "/about/"),
    ("request-info form", "/request-info/?program=medical-assistant-technician"),
    ("thank-you", "/request-info/thanks/"),
    ("visits", "/visit/"),
    ("sitemap", "/sitemap.xml"),
]


def spanish_pages(pages: list[tuple[str, str]] = PAGES) -> list[tuple[str, str]]:
    """The Spanish twin of each page (its address words and slugs in Spanish), where it has one:
    the sitemap is one address for both languages."""
    from django.urls import translate_url

    twins = []
    for name, path in pages:
        twin = translate_url(path, "es")
        if twin != path:
            twins.append((f"{name} (es)", twin))
    return twins


def configure() -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            # DEBUG only so static files need no collectstatic; query counts do not depend on it.
            "DEBUG": "true",
            "PUBLIC_PAGE_CACHE_SECONDS": "0",
            "CACHE_URL": "locmemcache://querybudget",
            "EMAIL_URL": "memorymail://",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    for name in ("DATABASE_URL", "REDIS_URL", "TASKS_BACKEND"):
        os.environ.pop(name, None)
    import django

    django.setup()
    # Pages that are not there yet answer 404/500; their tracebacks would bury the table.
    logging.disable(logging.CRITICAL)


def count_queries(client, path: str) -> tuple[str, int | None, int]:
    """(final path, queries, status) for one page, following one redirect. The page is
    requested once before counting so that per-process caches (content types, the site)
    are filled as they would be on a running server."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    if response.status_code in (301, 302, 308):
        path = response["Location"]
        response = client.get(path)
    if response.status_code != 200:
        return path, None, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return path, len(queries), response.status_code


def grow_content(factor: int = 10) -> dict[str, tuple[int, int]]:
    """Multiply the careers, duties and programs (and what hangs off them) by `factor`.

    New duties are shared with the demo careers as well as the new ones, so the demo pages
    that are measured show ten times as many duties, programs and comparisons too. The new
    rows are written in English, whichever language the last page measured left active
    (model translation writes `name` into the active language's column); their Spanish is
    left empty, so Spanish pages show them through the English fallback.
    """
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _grow_content(factor)


def _grow_content(factor: int) -> dict[str, tuple[int, int]]:
    from programs.models import AdmissionRequirement, Campus, Course, Program, StartDate
    from roles.models import (
        Area,
        Certification,
        Comparison,
        Dimension,
        Duty,
        Role,
        RoleCertification,
        RoleDuty,
        RoleFact,
    )

    demo_roles = list(Role.objects.all())
    demo_duties = Duty.objects.count()
    demo_programs = list(Program.objects.all())
    before = {"careers": len(demo_roles), "duties": demo_duties, "programs": len(demo_programs)}
    extra = factor - 1
    areas = list(Area.values)
    dimensions = list(Dimension.objects.all())
    certifications = list(Certification.objects.all())
    campuses = list(Campus.objects.all())

    roles = Role.objects.bulk_create(
        Role(
            name=f"Generated career {i}",
            slug=f"generated-career-{i}",
            tagline=f"Generated career number {i}.",
            summary="A career generated to measure query counts.",
            order=100 + i,
        )
        for i in range(extra * max(len(demo_roles), 1))
    )
    roles = list(Role.objects.filter(slug__startswith="generated-career-"))
    demo_roles = demo_roles or roles[:1]
    duties = Duty.objects.bulk_create(
        Duty(name=f"Generated duty {i}", area=areas[i % len(areas)], order=100 + i)
        for i in range(extra * max(demo_duties, 1))
    )
    duties = list(Duty.objects.filter(name__startswith="Generated duty "))
    links = set()
    for i, duty in enumerate(duties):
        links.add((demo_roles[i % len(demo_roles)].pk, duty.pk))
        if i % 3 == 0:  # some shared by two demo careers: overlaps grow too
            links.add((demo_roles[(i + 1) % len(demo_roles)].pk, duty.pk))
        links.add((roles[i % len(roles)].pk, duty.pk))
    RoleDuty.objects.bulk_create(RoleDuty(role_id=r, duty_id=d) for r, d in sorted(links))
    RoleFact.objects.bulk_create(
        RoleFact(role=role, dimension=dimension, value=f"{dimension.name} of {role.name}")
        for role in roles
        for dimension in dimensions
    )
    RoleCertification.objects.bulk_create(
        RoleCertification(role=role, certification=certification)
        for role in roles
        for certification in certifications
    )
    pairs = [(roles[i], roles[i + 1]) for i in range(0, len(roles) - 1, 2)]
    demo_comparisons = max(Comparison.objects.count(), 1)
    Comparison.objects.bulk_create(
        Comparison(left=a, right=b, title=f"{a.name} vs {b.name}", lede="Generated.")
        for a, b in pairs[: extra * demo_comparisons]
    )

    programs = Program.objects.bulk_create(
        Program(
            name=f"Generated program {i}",
            slug=f"generated-program-{i}",
            summary="A program generated to measure query counts.",
            description="Generated.",
            full_time_months=9,
            part_time_months=14,
            order=100 + i,
        )
        for i in range(extra * max(len(demo_programs), 1))
    )
    programs = list(Program.objects.filter(slug__startswith="generated-program-"))
    today = datetime.date.today()
    for i, program in enumerate(programs):
        program.careers.add(*demo_roles, *roles[i :: len(programs)])
        program.certifications.add(*certifications)
        program.campuses.add(*campuses)
        Course.objects.bulk_create(
            Course(program=program, code=f"G{i}-{n}", title=f"Course {n}", hours=40, order=n)
            for n in range(10)
        )
        AdmissionRequirement.objects.bulk_create(
            AdmissionRequirement(program=program, text=f"Requirement {n}", order=n)
            for n in range(3)
        )
        StartDate.objects.bulk_create(
            StartDate(program=program, campus=campus, starts_on=today + datetime.timedelta(30 * n))
            for campus in campuses
            for n in range(1, 4)
        )
    for program in demo_programs:
        program.careers.add(*roles)
        # The demo program's own lists grow tenfold as well.
        existing = program.courses.count()
        Course.objects.bulk_create(
            Course(program=program, code=f"GX{n}", title=f"Extra course {n}", order=100 + n)
            for n in range(extra * max(existing, 1))
        )
    after = {
        "careers": Role.objects.count(),
        "duties": Duty.objects.count(),
        "programs": Program.objects.count(),
    }
    return {name: (before[name], after[name]) for name in before}


def measure() -> tuple[list[tuple], dict]:
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("load_demo_content", stdout=io.StringIO())
    # A page that is not built yet (or breaks) shows as n/a instead of stopping the run.
    client = Client(raise_request_exception=False)
    pages = PAGES + spanish_pages()
    demo = {}
    for name, path in pages:
        cache.clear()
        demo[name] = count_queries(client, path)
    sizes = grow_content()
    rows = []
    for name, _path in pages:
        cache.clear()
        final_path, demo_count, status = demo[name]
        _, large_count, large_status = count_queries(client, final_path)
        rows.append((name, final_path, demo_count, large_count, status, large_status))
    return rows, sizes


def table(rows: list[tuple], sizes: dict) -> str:
    size_text = ", ".join(f"{name} {a} -> {b}" for name, (a, b) in sizes.items())
    lines = [
        f"Queries per page, demo content vs ten times as much ({size_text})",
        f"{'page':27} {'path':70} {'demo':>5} {'x10':>5}  budget",
    ]
    for name, path, demo, large, status, large_status in rows:
        if demo is None or large is None:
            verdict = f"n/a (answered {status}/{large_status})"
            lines.append(f"{name:27} {path:70} {'-':>5} {'-':>5}  {verdict}")
            continue
        verdict = "PASS (equal)" if demo == large else "FAIL (grows with content)"
        lines.append(f"{name:27} {path:70} {demo:5d} {large:5d}  {verdict}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true", help="print JSON for bench/run.py")
    args = parser.parse_args()
    configure()
    rows, sizes = measure()
    if args.json:
        print(json.dumps({"rows": rows, "sizes": sizes}))
    else:
        print(table(rows, sizes))
    measured = [row for row in rows if row[2] is not None and row[3] is not None]
    return 0 if measured and all(row[2] == row[3] for row in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
