"""The inquiry table's indexes, and why each exists (Inquiry.Meta.indexes).

PostgreSQL also has trigram indexes for the list's search (names, email, phone), created by
migration 0014 on PostgreSQL only: SQLite, the development default, has no pg_trgm.

Several indexes carry extra key columns so that PostgreSQL answers from the index alone
(an index-only scan) instead of reading each row from the table.
"""

from django.db import models
from django.db.models.functions import Upper

from inquiries.choices import OPEN_STATUSES, Status

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
    # The desk right now (the dashboard's first figures): the open and held inquiries with
    # what it counts them by, read from the index alone.
    models.Index(
        fields=["status", "next_follow_up_at", "submitted_at", "owner", "id"],
        condition=models.Q(status__in=[*OPEN_STATUSES, Status.HELD]),
        name="inquiry_desk_now_idx",
    ),
    # The open inquiries newest first (the manager's list filtered to overdue follow-ups).
    models.Index(
        fields=["submitted_at", "next_follow_up_at"],
        condition=models.Q(status__in=OPEN_STATUSES),
        name="inquiry_open_submitted_idx",
    ),
    # One status by submission time: new ones waiting longest first, the closed ones newest
    # first, a status's count over the dashboard's weeks.
    models.Index(fields=["status", "submitted_at"], name="inquiry_status_submitted_idx"),
    # The closed ones for one reason (spam: the list's filter counts and pages them).
    models.Index(
        fields=["closed_reason", "submitted_at"],
        condition=models.Q(status=Status.CLOSED),
        name="inquiry_closed_reason_idx",
    ),
    # Nobody has tried to reach them yet (the list's "first contact: not attempted").
    models.Index(
        fields=["submitted_at"],
        condition=models.Q(first_attempted_at__isnull=True),
        name="inquiry_not_attempted_idx",
    ),
    # The dashboard's weeks: every figure it groups or counts, read from the index alone.
    models.Index(
        fields=[
            "submitted_at",
            "status",
            "closed_reason",
            "first_attempted_at",
            "first_contacted_at",
            "stage_reached",
            "program",
            "owner",
            "language",
            "source_page",
            "id",
        ],
        name="inquiry_window_idx",
    ),
    # One owner's inquiries by submission date (a representative's list by year, month or
    # day), with what their list sorts and filters on: the page's rows are picked from the
    # index alone (admin.paging), then read.
    models.Index(
        fields=["owner", "submitted_at", "next_follow_up_at", "status", "program", "id"],
        name="inquiry_owner_submitted_idx",
    ),
    # How far they got, newest first (the list's "reached stage": its count and its pages).
    models.Index(fields=["stage_reached", "submitted_at"], name="inquiry_stage_submitted_idx"),
    # The dashboard's spam held in its range (few inquiries are ever held).
    models.Index(
        fields=["held_at"], condition=models.Q(held_at__isnull=False), name="inquiry_held_idx"
    ),
]
