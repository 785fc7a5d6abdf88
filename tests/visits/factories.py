"""factory_boy factories for visits (kept beside its tests while the app is new)."""

import datetime

import factory
from django.utils import timezone

from tests.factories import CampusFactory
from visits.models import Event, EventKind, Registration, RegistrationStatus


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = EventKind.INFO_SESSION
    title = factory.Sequence(lambda n: f"Information session {n}")
    description = "Meet admissions, see the labs and ask your questions."
    campus = factory.SubFactory(CampusFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=1))
    capacity = 20
    is_published = True

    @factory.post_generation
    def programs(self, create, extracted, **kwargs):
        if create and extracted:
            self.programs.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    first_name = factory.Sequence(lambda n: f"Guest{n}")
    last_name = "Visitor"
    email = factory.Sequence(lambda n: f"visitor{n}@example.com")
    status = RegistrationStatus.CONFIRMED
