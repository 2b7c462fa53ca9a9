from django.apps import AppConfig
from django.db.models.signals import post_save


class CareConfig(AppConfig):
    name = "trustwork.care"
    label = "care"
    verbose_name = "Therapist review"

    def ready(self):
        from trustwork.care import couple_cache

        # What the therapist dashboard keeps of a couple is read again once they write.
        for sender, receiver in (
            ("checkins.CheckIn", couple_cache.checkin_saved),
            ("checkins.Reflection", couple_cache.reflection_saved),
            ("exercises.Response", couple_cache.answer_saved),
        ):
            post_save.connect(receiver, sender=sender, dispatch_uid=f"care_couple_cache_{sender}")
