from django.core.management.base import BaseCommand, CommandError

from inquiries.models import Status
from inquiries.services import retention

# The option that overrides each status's age, and the setting it defaults to.
OPTIONS = {
    Status.CLOSED: ("--days", "INQUIRY_RETENTION_DAYS"),
    Status.APPLIED: ("--applied-days", "INQUIRY_RETENTION_DAYS_APPLIED"),
    Status.ENROLLED: ("--enrolled-days", "INQUIRY_RETENTION_DAYS_ENROLLED"),
    Status.HELD: ("--held-days", "INQUIRY_RETENTION_DAYS_HELD"),
}


def _dest(option: str) -> str:
    return option.lstrip("-").replace("-", "_")


class Command(BaseCommand):
    help = (
        "Remove the personal data (names, email, phone, ZIP code, message, referrer, later "
        "submissions and free-text timeline entries) of applied, enrolled, closed and held "
        "inquiries untouched for their status's number of days. Open inquiries (new, "
        "contacted, appointment) are never anonymised by age. Status, program, campus, dates "
        "and source page stay for reports."
    )

    def add_arguments(self, parser):
        for status, (option, setting) in OPTIONS.items():
            parser.add_argument(
                option,
                type=int,
                default=None,
                help=f"Days since a {status.label.lower()} inquiry last changed (default: the "
                f"{setting} setting).",
            )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only report how many inquiries and timeline entries would change.",
        )

    def handle(self, *args, dry_run, **options):
        ages = retention.retention_ages()
        for status, (option, _setting) in OPTIONS.items():
            if options[_dest(option)] is not None:
                ages[status] = options[_dest(option)]
            if ages[status] < 1:
                raise CommandError(f"{option} must be at least 1.")
        counts = retention.anonymise_inquiries(ages=ages, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for status in retention.RETAINED_STATUSES:
            self.stdout.write(
                f"{verb} {counts[status]['inquiries']} {status.value} inquiries untouched for "
                f"{ages[status]} days ({counts[status]['entries']} timeline entries with free "
                "text)."
            )
