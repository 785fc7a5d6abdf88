"""Demo appointment slots: the two demo representatives keep times free over the next two
working weeks, by phone, on video and at the demo campus. Idempotent: a slot is found by its
representative and start, so running it again adds only the days that have come into range.

The representatives are the demo logins of `load_demo_inquiries`; without them no slots are
opened. No bookings are made: booking a time goes through the service, with its emails.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appointments.models import Mode, Slot
from programs.models import Campus

WORKING_DAYS = 10
LENGTH = datetime.timedelta(minutes=30)
VIDEO_URL = "https://meet.example.com/ftc-admissions-demo"
# username, mode, local start times
OPENINGS = [
    ("rep", Mode.PHONE, [datetime.time(10, 0), datetime.time(10, 30), datetime.time(14, 0)]),
    ("rep2", Mode.VIDEO, [datetime.time(11, 0)]),
    ("rep2", Mode.CAMPUS, [datetime.time(15, 0), datetime.time(16, 0)]),
]


def _working_days(today: datetime.date, count: int) -> list[datetime.date]:
    days, day = [], today
    while len(days) < count:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days


@transaction.atomic
def load_demo_appointments(*, today: datetime.date | None = None) -> list[Slot]:
    """Open the demo slots; returns those created now."""
    staff = {
        user.username: user
        for user in get_user_model().objects.filter(username__in={o[0] for o in OPENINGS})
    }
    campus = Campus.objects.filter(is_active=True).order_by("order", "name").first()
    created = []
    for day in _working_days(today or timezone.localdate(), WORKING_DAYS):
        for username, mode, times in OPENINGS:
            representative = staff.get(username)
            if representative is None or (mode == Mode.CAMPUS and campus is None):
                continue
            zone = zoneinfo.ZoneInfo(
                campus.time_zone if mode == Mode.CAMPUS else settings.TIME_ZONE
            )
            for start in times:
                starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
                slot, was_created = Slot.objects.get_or_create(
                    representative=representative,
                    starts_at=starts_at,
                    defaults={
                        "ends_at": starts_at + LENGTH,
                        "mode": mode,
                        "campus": campus if mode == Mode.CAMPUS else None,
                        "video_url": VIDEO_URL if mode == Mode.VIDEO else "",
                    },
                )
                if was_created:
                    created.append(slot)
    return created
