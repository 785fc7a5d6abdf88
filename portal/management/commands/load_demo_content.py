from django.core.management.base import BaseCommand

from portal.demo import load_demo_content


class Command(BaseCommand):
    help = "Load (or refresh) the demo content shipped in the repository. Safe to run twice."

    def handle(self, *args, **options):
        for line in load_demo_content():
            self.stdout.write(line)
