from django.core.management.base import BaseCommand, CommandError

from exercises.loader import ContentError, load_all


class Command(BaseCommand):
    help = "Load the exercise modules from exercises/content/ (also runs after migrate)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Read module files from here instead of exercises/content/.")

    def handle(self, *args, directory=None, **options):
        try:
            modules = load_all(directory)
        except ContentError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Loaded {len(modules)} exercise modules."))
