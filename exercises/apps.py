from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def load_content_after_migrate(sender, using="default", **kwargs):
    """Keep the database's exercise content in step with the files, as
    Django's own apps create their permissions after a migration."""
    from exercises.loader import load_all
    from exercises.models import Step

    # After `migrate exercises zero` the tables are gone: nothing to load into.
    if Step._meta.db_table not in connections[using].introspection.table_names():
        return
    load_all()


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercises"

    def ready(self):
        from exercises.kinds import KINDS

        # StepKind value -> the class of that kind (Step.type).
        self.kinds = KINDS
        post_migrate.connect(load_content_after_migrate, sender=self, dispatch_uid="exercises_load_content")
