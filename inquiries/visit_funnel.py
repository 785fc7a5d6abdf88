"""The dashboard's funnel with visits: inquiry, visit booked, attended, applied, enrolled.

A visit is an info session or campus tour registration (`visits`) or an admissions
appointment (`appointments`). This app is below both, so it counts them through their
reverse relations on Inquiry (`visit_registrations`, `appointments`), never by importing
them: one query for the whole funnel, however many inquiries, registrations or bookings.
"""

from django.db.models import Count, Q, QuerySet

from inquiries.models import Status

# The value both visits' and appointments' `attendance` take when the person came.
ATTENDED = "attended"


def _rate(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "–"


def visit_funnel(queryset: QuerySet, *, reached) -> list[dict]:
    """Each stage counts the inquiries of the stage before that went on to it: booked a visit
    or an appointment (whatever became of the booking), attended one, then of those how many
    reached applied and enrolled (`reached(stage)`, the dashboard's own rule). One query."""
    booked = Q(visit_registrations__isnull=False) | Q(appointments__isnull=False)
    attended = Q(visit_registrations__attendance=ATTENDED) | Q(appointments__attendance=ATTENDED)
    stages = [
        ("inquiries", "Inquiries", Q()),
        ("booked", "Booked a visit or appointment", booked),
        ("attended", "Attended", attended),
        ("applied", "Attended, then applied", attended & reached(Status.APPLIED)),
        ("enrolled", "Attended, then enrolled", attended & reached(Status.ENROLLED)),
    ]
    counts = queryset.aggregate(
        **{key: Count("id", distinct=True, filter=condition) for key, _, condition in stages}
    )
    total = counts["inquiries"]
    rows = []
    for key, label, _ in stages:
        rows.append({"key": key, "label": label, "count": counts[key]})
    for before, after in zip(rows, rows[1:], strict=False):
        after["of_before"] = _rate(after["count"], before["count"])
    largest = max(total, 1)
    for row in rows:
        row["of_all"] = _rate(row["count"], total)
        row["width"] = round(100 * row["count"] / largest)
    return rows
