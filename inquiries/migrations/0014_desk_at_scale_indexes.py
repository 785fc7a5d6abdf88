"""Indexes for the admissions desk at a college's size (a quarter of a million inquiries).

The list's search looks for a word anywhere in a name or an email, and for digits anywhere in
a phone number (`UPPER(col) LIKE UPPER('%word%')`, `phone LIKE '%digits%'`): only trigram
indexes answer those without reading every row. They need PostgreSQL's pg_trgm extension, so
they are made on PostgreSQL only (SQLite, the development default, searches its few rows as
before) and stay out of the models' state; where the extension cannot be created (a role
without the right to), the migration leaves them out and search still works, slower.
"""

from django.db import migrations, models, transaction

TRIGRAM_INDEXES = {
    "inquiry_first_name_trgm": 'UPPER("first_name"::text) gin_trgm_ops',
    "inquiry_last_name_trgm": 'UPPER("last_name"::text) gin_trgm_ops',
    "inquiry_email_trgm": 'UPPER("email"::text) gin_trgm_ops',
    "inquiry_phone_trgm": '"phone" gin_trgm_ops',
}


def _has_trigrams(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            return True
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 (no right to create it: search works without)
            return False
    return True


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql" or not _has_trigrams(schema_editor):
        return
    for name, expression in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "inquiries_inquiry" USING gin ({expression})'
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0013_reply_template_translations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(fields=["source_page"], name="inquiry_source_page_idx"),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(
                condition=models.Q(status__in=["new", "contacted", "appointment", "applied"]),
                fields=["next_follow_up_at", "submitted_at", "owner"],
                name="inquiry_open_queue_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(fields=["status", "submitted_at"], name="inquiry_status_submitted_idx"),
        ),
        migrations.AddIndex(
            model_name="inquiry",
            index=models.Index(
                condition=models.Q(held_at__isnull=False), fields=["held_at"], name="inquiry_held_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(
                condition=models.Q(kind="status"),
                fields=["created_at", "inquiry", "body"],
                name="activity_status_moves_idx",
            ),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
