from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save


def load_content_after_migrate(sender, using="default", **kwargs):
    """Keep the database's exercise content in step with the files."""
    from exercises.loader import load_all
    from exercises.models import Step

    # After `migrate exercises zero` the tables are gone: nothing to load into.
    if Step._meta.db_table not in connections[using].introspection.table_names():
        return
    load_all()


def content_changed(sender, **kwargs):
    from exercises.models import ContentRevision

    ContentRevision.bump()


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercises"

    def ready(self):
        post_migrate.connect(load_content_after_migrate, sender=self, dispatch_uid="exercises_load_content")
        # Any other change to the content tells every process's outline
        # (exercises/outline.py) to read it again.
        for name in ("Module", "Exercise", "Step"):
            model = self.get_model(name)
            for event, signal in (("saved", post_save), ("deleted", post_delete)):
                signal.connect(content_changed, sender=model, dispatch_uid=f"exercises_outline_{name}_{event}")
