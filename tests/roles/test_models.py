import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from roles.models import (
    Certification,
    ComparisonAdvice,
    Education,
    comparison_url,
    validate_comparable_slug,
)
from tests.factories import (
    ComparisonFactory,
    DimensionFactory,
    RoleDutyFactory,
    RoleFactFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


def test_a_pair_of_careers_has_at_most_one_comparison_whatever_the_order():
    first, second = RoleFactory(), RoleFactory()
    ComparisonFactory(left=first, right=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        ComparisonFactory(left=second, right=first)


def test_a_comparison_of_a_career_with_itself_is_refused():
    role = RoleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ComparisonFactory(left=role, right=role)


def test_comparison_validation_reports_the_reversed_duplicate_pair():
    first, second = RoleFactory(), RoleFactory()
    ComparisonFactory(left=first, right=second)
    duplicate = ComparisonFactory.build(left=second, right=first)
    with pytest.raises(ValidationError):
        duplicate.full_clean()


def test_a_career_performs_a_duty_once():
    link = RoleDutyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleDutyFactory(role=link.role, duty=link.duty)


def test_a_career_has_one_fact_per_dimension():
    fact = RoleFactFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactFactory(role=fact.role, dimension=fact.dimension)


@pytest.mark.parametrize("slug", ["a-vs-b", "vs-a", "a-vs"])
def test_a_career_slug_cannot_contain_the_comparison_separator(slug):
    with pytest.raises(ValidationError):
        validate_comparable_slug(slug)


@pytest.mark.parametrize("slug", ["medical-assistant", "versus", "canvas-maker", "vsx"])
def test_ordinary_slugs_are_accepted(slug):
    validate_comparable_slug(slug)


def test_comparison_url_puts_careers_in_order_then_slug_order():
    first = RoleFactory(slug="zeta", order=1)
    second = RoleFactory(slug="alpha", order=2)
    third = RoleFactory(slug="beta", order=2)
    assert comparison_url([third, second, first]) == "/compare/zeta-vs-alpha-vs-beta/"


def test_a_curated_comparison_lives_at_the_canonical_address_of_its_pair():
    first = RoleFactory(slug="first", order=1)
    second = RoleFactory(slug="second", order=2)
    comparison = ComparisonFactory(left=second, right=first)
    assert comparison.get_absolute_url() == "/compare/first-vs-second/"
    assert comparison.roles == [first, second]


def test_career_url_is_under_careers():
    assert RoleFactory(slug="phlebotomist").get_absolute_url() == "/careers/phlebotomist/"


def test_a_degree_credential_says_a_diploma_is_not_enough():
    credential = Certification(
        abbreviation="MLT",
        minimum_education=Education.ASSOCIATE,
        requires_accredited_program=True,
        requires_exam=True,
    )
    assert credential.needs_degree
    assert credential.pathway == [
        "an associate degree",
        "graduation from an accredited program",
        "a passing score on the certification exam",
    ]


def test_a_diploma_credential_does_not_claim_a_degree():
    credential = Certification(
        abbreviation="NCMA",
        minimum_education=Education.POSTSECONDARY_PROGRAM,
        requires_accredited_program=False,
        requires_exam=True,
    )
    assert not credential.needs_degree
    assert credential.pathway[0] == "a postsecondary diploma or certificate program"
    assert "graduation from an accredited program" not in credential.pathway


def test_advice_must_be_for_one_of_the_compared_careers():
    comparison = ComparisonFactory()
    outsider = RoleFactory()
    advice = ComparisonAdvice(comparison=comparison, role=outsider, text="Pick me")
    with pytest.raises(ValidationError):
        advice.clean()
    ComparisonAdvice(comparison=comparison, role=comparison.left, text="Fine").clean()


def test_dimensions_are_ordered_by_their_order_field():
    later = DimensionFactory(order=5)
    earlier = DimensionFactory(order=1)
    assert list(type(later).objects.all()) == [earlier, later]
