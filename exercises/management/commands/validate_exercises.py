from django.core.management.base import BaseCommand, CommandError

from exercises.loader import ContentError, content_files, parse_all


class Command(BaseCommand):
    help = "Check every exercise module file; exits non-zero on the first mistake."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="Check module files here instead of exercises/content/.")

    def handle(self, *args, directory=None, **options):
        try:
            modules = parse_all(directory)
        except ContentError as error:
            raise CommandError(str(error)) from None
        if not modules:
            raise CommandError(f"No module files found ({len(content_files(directory))} .toml files).")
        exercises = sum(len(module.exercises) for module in modules)
        steps = sum(len(exercise.steps) for module in modules for exercise in module.exercises)
        self.stdout.write(
            self.style.SUCCESS(f"{len(modules)} modules, {exercises} exercises and {steps} steps are valid.")
        )
