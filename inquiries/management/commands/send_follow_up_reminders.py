from django.core.management.base import BaseCommand

from inquiries.services import reminders


class Command(BaseCommand):
    help = (
        "Email each representative their new leads and today's follow-ups, once a day: run it "
        "every morning from cron or a systemd timer. Running it again the same day sends "
        "nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get a reminder; send nothing."
        )

    def handle(self, *args, dry_run, **options):
        summary = reminders.send_follow_up_reminders(dry_run=dry_run)
        self.stdout.write(f"{summary}{' (dry run)' if dry_run else ''}")
