"""Demo visits: upcoming events at the demo campus and online, one nearly full and one full
with a waitlist. Idempotent: events are found by title and their start moved to the same
days from today; the demo registrations are kept at the numbers below.

Demo registrations are written directly (no inquiries, no email): they only fill seats.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from programs.models import Campus, Program
from visits.models import Event, EventKind, Registration, RegistrationStatus

DEMO_DOMAIN = "demo-visitor.example.com"

# title, kind, on campus, days from today, hour, length (hours), capacity, confirmed, waiting
EVENTS = [
    (
        "Evening information session",
        EventKind.INFO_SESSION,
        True,
        6,
        18,
        1.5,
        25,
        6,
        0,
        "Meet the admissions team and an instructor, hear how the program runs day to day "
        "and what it costs, and ask anything. Guests are welcome.",
    ),
    (
        "Campus tour: labs and classrooms",
        EventKind.CAMPUS_TOUR,
        True,
        9,
        10,
        1,
        12,
        11,
        0,
        "Walk through the clinical lab, the phlebotomy stations and the classrooms with an "
        "admissions representative. Comfortable shoes recommended.",
    ),
    (
        "Online information session",
        EventKind.INFO_SESSION,
        False,
        3,
        12,
        1,
        8,
        8,
        3,
        "A lunchtime session on video: the program, schedules, financial aid and how to "
        "apply, with time for questions. The link comes with your confirmation.",
    ),
]


# The Spanish of each demo event, by its English title.
SPANISH = {
    "Evening information session": (
        "Sesión informativa de noche",
        "Conoce al equipo de admisiones y a un instructor, entérate de cómo funciona el "
        "programa día a día y cuánto cuesta, y pregunta lo que quieras. Puedes traer "
        "invitados.",
    ),
    "Campus tour: labs and classrooms": (
        "Recorrido por el recinto: laboratorios y salones",
        "Recorre el laboratorio clínico, las estaciones de flebotomía y los salones con un "
        "representante de admisiones. Te recomendamos zapatos cómodos.",
    ),
    "Online information session": (
        "Sesión informativa en línea",
        "Una sesión por video a la hora del almuerzo: el programa, los horarios, la ayuda "
        "económica y cómo solicitar, con tiempo para preguntas. El enlace llega con tu "
        "confirmación.",
    ),
}


def load_demo_visits() -> list[Event]:
    campus = Campus.objects.filter(is_active=True).order_by("order", "name").first()
    programs = list(Program.objects.published())
    if campus is None:
        return []
    today = timezone.localdate()
    loaded = []
    with transaction.atomic():
        for number, row in enumerate(EVENTS):
            title, kind, on_campus, days, hour, hours, capacity, confirmed, waiting, text = row
            # On the clock of where it happens: the campus's, or the college's online.
            zone = Event(campus=campus if on_campus else None).time_zone
            starts_at = timezone.make_aware(
                datetime.datetime.combine(
                    today + datetime.timedelta(days=days), datetime.time(hour)
                ),
                zone,
            )
            event, _ = Event.objects.update_or_create(
                title=title,
                defaults={
                    "kind": kind,
                    "description": text,
                    "title_es": SPANISH[title][0],
                    "description_es": SPANISH[title][1],
                    "campus": campus if on_campus else None,
                    "online_url": "" if on_campus else "https://meet.example.com/ftc-info",
                    "starts_at": starts_at,
                    "ends_at": starts_at + datetime.timedelta(hours=hours),
                    "registration_closes_at": starts_at - datetime.timedelta(hours=2),
                    "capacity": capacity,
                    "is_published": True,
                    "cancelled_at": None,
                },
            )
            event.programs.set(programs)
            event.registrations.filter(email__endswith=f"@{DEMO_DOMAIN}").delete()
            statuses = [RegistrationStatus.CONFIRMED] * confirmed
            statuses += [RegistrationStatus.WAITLISTED] * waiting
            Registration.objects.bulk_create(
                Registration(
                    event=event,
                    first_name=f"Visitor{index + 1}",
                    last_name="Demo",
                    email=f"visitor{number}-{index + 1}@{DEMO_DOMAIN}",
                    status=status,
                )
                for index, status in enumerate(statuses)
            )
            loaded.append(event)
    return loaded
