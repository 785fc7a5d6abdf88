import pytest

from appointments.demo import WORKING_DAYS, load_demo_appointments
from appointments.models import Mode, Slot
from inquiries.management.commands.load_demo_inquiries import create_demo_staff
from tests.factories import CampusFactory

pytestmark = pytest.mark.django_db


def test_the_demo_opens_slots_for_the_demo_representatives_once():
    CampusFactory()
    staff = create_demo_staff()
    created = load_demo_appointments()
    assert len(created) == WORKING_DAYS * 6
    assert {slot.representative.username for slot in created} == {"rep", "rep2"}
    assert Slot.objects.filter(mode=Mode.CAMPUS, campus__isnull=False).count() == WORKING_DAYS * 2
    assert all(slot.starts_at.weekday() < 5 for slot in created)
    assert load_demo_appointments() == []
    assert Slot.objects.bookable().count() == WORKING_DAYS * 6
    assert staff["rep"].appointment_slots.count() == WORKING_DAYS * 3
