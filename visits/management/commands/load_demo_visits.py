from django.core.management.base import BaseCommand

from visits.demo import load_demo_visits


class Command(BaseCommand):
    help = "Add upcoming demo visits: one nearly full, one full with a waitlist (idempotent)."

    def handle(self, *args, **options):
        events = load_demo_visits()
        if not events:
            self.stdout.write("No active campus yet: run load_demo_content first.")
            return
        for event in events:
            self.stdout.write(f"{event}: capacity {event.capacity}")
