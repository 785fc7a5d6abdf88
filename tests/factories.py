"""factory_boy factories for the portal's models, shared by every test package.

Add a factory at the end of this file when a new model needs one.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from inquiries.choices import Status, funnel_stage
from inquiries.models import Inquiry
from programs.models import Campus, Course, Program, StartDate
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


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@ftc.example")
    first_name = factory.Sequence(lambda n: f"Staff{n}")
    last_name = "Member"
    is_staff = True
    password = factory.django.Password("correct horse battery staple")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Career {n}")
    slug = factory.Sequence(lambda n: f"career-{n}")
    tagline = factory.LazyAttribute(lambda r: f"What a {r.name.lower()} does, in a line.")
    summary = factory.LazyAttribute(lambda r: f"A paragraph introducing the {r.name.lower()}.")
    order = factory.Sequence(lambda n: n)


class DutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Duty

    name = factory.Sequence(lambda n: f"Duty {n}")
    area = Area.CLINICAL


class RoleDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleDuty

    role = factory.SubFactory(RoleFactory)
    duty = factory.SubFactory(DutyFactory)


class DimensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dimension

    name = factory.Sequence(lambda n: f"Dimension {n}")
    slug = factory.Sequence(lambda n: f"dimension-{n}")
    order = factory.Sequence(lambda n: n)


class RoleFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleFact

    role = factory.SubFactory(RoleFactory)
    dimension = factory.SubFactory(DimensionFactory)
    value = factory.Sequence(lambda n: f"Value {n}")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    abbreviation = factory.Sequence(lambda n: f"C{n}")
    name = factory.Sequence(lambda n: f"Certified Thing {n}")
    issuing_body = "National Credentialing Body"
    eligibility = "Completion of a training program and a passing exam score."


class RoleCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleCertification

    role = factory.SubFactory(RoleFactory)
    certification = factory.SubFactory(CertificationFactory)


class ComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comparison

    left = factory.SubFactory(RoleFactory)
    right = factory.SubFactory(RoleFactory)
    title = factory.LazyAttribute(lambda c: f"{c.left.name} vs {c.right.name}")
    lede = "How the two careers differ, and which might fit you."


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    name = factory.Sequence(lambda n: f"Campus {n}")
    slug = factory.Sequence(lambda n: f"campus-{n}")
    street_address = factory.Sequence(lambda n: f"{100 + n} Main Street")
    city = "Kissimmee"
    region = "FL"
    postal_code = "34741"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    summary = "A short summary of the program."
    description = "A longer description of the program."
    full_time_months = 9
    part_time_months = 14


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    program = factory.SubFactory(ProgramFactory)
    code = factory.Sequence(lambda n: f"MA{100 + n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    hours = 60


class StartDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StartDate

    program = factory.SubFactory(ProgramFactory)
    campus = factory.SubFactory(CampusFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = "Prospect"
    email = factory.Sequence(lambda n: f"prospect{n}@example.com")
    phone = factory.Sequence(lambda n: f"+1407555{n % 10000:04d}")
    postal_code = "34741"
    program = factory.SubFactory(ProgramFactory)
    status = Status.NEW
    # An inquiry made at a stage went through it (workflow.change_status keeps this).
    stage_reached = factory.LazyAttribute(lambda inquiry: funnel_stage(inquiry.status))
