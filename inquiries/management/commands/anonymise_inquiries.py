from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries.services import retention


class Command(BaseCommand):
    help = (
        "Remove the personal data (names, email, phone, ZIP code, message, referrer and "
        "free-text timeline entries) of closed inquiries untouched for a number of days. "
        "Status, program, campus, dates and source page stay for reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Age in days since the inquiry last changed (default: the "
            f"INQUIRY_RETENTION_DAYS setting, {settings.INQUIRY_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report how many inquiries and timeline entries would change.",
        )

    def handle(self, *args, days, dry_run, **options):
        days = settings.INQUIRY_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        counts = retention.anonymise_closed_inquiries(older_than_days=days, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(
            f"{verb} {counts['inquiries']} closed inquiries untouched for {days} days "
            f"({counts['entries']} timeline entries with free text)."
        )
