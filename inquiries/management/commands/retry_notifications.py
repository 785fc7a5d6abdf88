from django.core.management.base import BaseCommand

from inquiries.services import notifications


class Command(BaseCommand):
    help = (
        "Queue again every notification email not yet sent: pending ones (a lost task, a "
        "development backend that does not retry) and, unless --pending-only, failed ones, "
        "which get a fresh set of attempts. Run it after a mail outage. Sent emails are "
        "never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending-only",
            action="store_true",
            help="leave notifications marked failed alone",
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=0,
            metavar="SECONDS",
            help="only notifications created at least this many seconds ago (default 0)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count them, change and queue nothing"
        )

    def handle(self, *args, pending_only, older_than, dry_run, **options):
        count = notifications.requeue_notifications(
            include_failed=not pending_only, older_than_seconds=older_than, dry_run=dry_run
        )
        verb = "would be queued" if dry_run else "queued"
        self.stdout.write(f"{count} notification(s) {verb} again.")
