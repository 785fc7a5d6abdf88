from django.core.management.base import BaseCommand

from appointments.demo import load_demo_appointments


class Command(BaseCommand):
    help = "Open demo admissions appointment slots for the demo representatives (idempotent)."

    def handle(self, *args, **options):
        created = load_demo_appointments()
        self.stdout.write(f"Opened {len(created)} appointment slot(s).")
