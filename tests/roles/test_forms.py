import pytest

from roles.forms import ComparisonPickForm
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roles():
    return [RoleFactory(slug=slug) for slug in ("a", "b", "c", "d")]


def form_for(roles, chosen):
    return ComparisonPickForm({"careers": chosen}, roles=roles)


def test_two_careers_are_a_valid_choice_in_page_order(roles):
    form = form_for(roles, ["c", "a"])
    assert form.is_valid()
    assert form.chosen_roles() == [roles[0], roles[2]]


def test_three_careers_are_a_valid_choice(roles):
    assert form_for(roles, ["a", "b", "c"]).is_valid()


@pytest.mark.parametrize("chosen", [[], ["a"], ["a", "a"], ["a", "b", "c", "d"]])
def test_fewer_than_two_or_more_than_three_careers_are_refused(roles, chosen):
    form = form_for(roles, chosen)
    assert not form.is_valid()
    assert "Choose two or three careers" in form.errors["careers"][0]


def test_a_career_that_is_not_offered_is_refused(roles):
    form = form_for(roles[:2], ["a", "d"])
    assert not form.is_valid()
    assert "not available" in form.errors["careers"][0]
