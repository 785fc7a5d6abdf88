"""The inquiry table's indexes, and why each exists (Inquiry.Meta.indexes).

PostgreSQL also has trigram indexes for the list's search (names, email, phone), created by
migration 0014 on PostgreSQL only: SQLite, the development default, has no pg_trgm.
"""

from django.db import models
from django.db.models.functions import Upper

from inquiries.choices import OPEN_STATUSES, ActivityKind

INQUIRY_INDEXES = [
    # My day and the overdue filter: open inquiries by follow-up time.
    models.Index(fields=["status", "next_follow_up_at"], name="inquiries_i_status_76d7c1_idx"),
    # Every submission looks for the same person's open inquiry by email (any case) or phone
    # (services.capture.find_open_inquiry).
    models.Index(Upper("email"), name="inquiry_email_upper_idx"),
    models.Index(fields=["phone"], name="inquiry_phone_idx"),
    # The list's source-page filter walks it for its choices (selectors.source_pages).
    models.Index(fields=["source_page"], name="inquiry_source_page_idx"),
    # The open inquiries (a few thousand of a quarter of a million) in working order: a
    # representative's list, My day, the dashboard's overdue follow-ups, without reading the
    # closed ones.
    models.Index(
        fields=["next_follow_up_at", "submitted_at", "owner"],
        condition=models.Q(status__in=OPEN_STATUSES),
        name="inquiry_open_queue_idx",
    ),
    # One status by submission time: new ones waiting longest first, the closed ones newest
    # first, a status's count over the dashboard's weeks.
    models.Index(fields=["status", "submitted_at"], name="inquiry_status_submitted_idx"),
    # The dashboard's spam held in its range (few inquiries are ever held).
    models.Index(
        fields=["held_at"], condition=models.Q(held_at__isnull=False), name="inquiry_held_idx"
    ),
]

ACTIVITY_INDEXES = [
    # The funnel's "reached a stage": status changes over the dashboard's weeks, read from
    # the index alone (reports.reached).
    models.Index(
        fields=["created_at", "inquiry", "body"],
        condition=models.Q(kind=ActivityKind.STATUS_CHANGE),
        name="activity_status_moves_idx",
    ),
]
