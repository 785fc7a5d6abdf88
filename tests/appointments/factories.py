"""factory_boy factories for appointments (kept beside its tests while the app is new)."""

import datetime

import factory
from django.utils import timezone

from appointments.models import Booking, Mode, Slot
from tests.factories import UserFactory


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Slot
        skip_postgeneration_save = True

    representative = factory.SubFactory(UserFactory)
    mode = Mode.PHONE
    starts_at = factory.Sequence(
        lambda n: (
            timezone.now().replace(second=0, microsecond=0)
            + datetime.timedelta(days=2, minutes=30 * n)
        )
    )
    ends_at = factory.LazyAttribute(lambda slot: slot.starts_at + datetime.timedelta(minutes=30))

    @factory.post_generation
    def programs(self, create, extracted, **kwargs):
        if create and extracted:
            self.programs.set(extracted)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    first_name = factory.Sequence(lambda n: f"Booker{n}")
    last_name = "Prospect"
    email = factory.Sequence(lambda n: f"booker{n}@example.com")
