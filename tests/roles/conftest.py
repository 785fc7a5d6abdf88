import datetime
import random

import pytest

from roles.demo import load_demo_roles
from roles.models import Area, Emphasis, Requirement, Role
from tests.factories import (
    CertificationFactory,
    ComparisonFactory,
    DimensionFactory,
    DutyFactory,
    ProgramFactory,
    RoleCertificationFactory,
    RoleDutyFactory,
    RoleFactFactory,
    RoleFactory,
)

DEMO_SLUGS = ["medical-assistant", "laboratory-technician", "phlebotomist"]


@pytest.fixture
def demo_roles(db):
    """The shipped demo careers, plus the demo program that prepares medical assistants."""
    load_demo_roles()
    program = ProgramFactory(
        slug="medical-assistant-technician",
        name="Medical Assistant Technician Diploma Program",
    )
    program.careers.add(Role.objects.get(slug="medical-assistant"))
    return {role.slug: role for role in Role.objects.all()}


@pytest.fixture
def no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def build_catalog(*, duties: int, dimensions: int, credentials: int, extra_roles: int = 0):
    """Three published careers with a curated pair, sized by the arguments."""
    rng = random.Random(7)
    roles = [RoleFactory(slug=f"career-{name}", order=i) for i, name in enumerate("abc")]
    for _ in range(extra_roles):
        RoleFactory()
    areas = list(Area)
    emphases = list(Emphasis)
    for n in range(duties):
        duty = DutyFactory(area=areas[n % 3], order=n)
        for role in rng.sample(roles, rng.randint(1, 3)):
            RoleDutyFactory(role=role, duty=duty, emphasis=rng.choice(emphases), note=f"note {n}")
    for n in range(dimensions):
        dimension = DimensionFactory(order=n)
        for role in roles:
            sourced = n % 2 == 0
            RoleFactFactory(
                role=role,
                dimension=dimension,
                source_name="Bureau" if sourced else "",
                source_url="https://example.org/" if sourced else "",
                as_of=datetime.date(2025, 1, 1) if sourced else None,
            )
    for _ in range(credentials):
        credential = CertificationFactory()
        for role in roles:
            RoleCertificationFactory(
                role=role, certification=credential, requirement=Requirement.SOME_STATES
            )
    for n in range(max(1, credentials // 3)):
        program = ProgramFactory(order=n)
        program.careers.add(*roles)
    comparison = ComparisonFactory(left=roles[0], right=roles[1], is_featured=True)
    for n in range(dimensions // 2 + 1):
        comparison.sections.create(heading=f"Section {n}", body="Body", order=n)
        comparison.advice.create(role=roles[n % 2], text=f"Advice {n}", order=n)
    ComparisonFactory(left=roles[1], right=roles[2], is_featured=True)
    return roles


@pytest.fixture
def small_catalog(db):
    return build_catalog(duties=3, dimensions=2, credentials=1)


@pytest.fixture
def large_catalog(db):
    return build_catalog(duties=120, dimensions=30, credentials=12, extra_roles=20)
