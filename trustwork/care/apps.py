from django.apps import AppConfig
from django.db.models.signals import post_save


class CareConfig(AppConfig):
    name = "trustwork.care"
    label = "care"
    verbose_name = "Therapist review"

    def ready(self):
        from trustwork.care import couple_cache

        # What couple_cache keeps of a couple is made again once what it shows is saved.
        for sender, receiver in (
            ("checkins.CheckIn", couple_cache.checkin_saved),
            ("exercises.Response", couple_cache.answer_saved),
            ("exercises.ContentRevision", couple_cache.content_changed),
            ("couples.Membership", couple_cache.membership_saved),
            ("accounts.User", couple_cache.person_saved),
            ("care.CareLink", couple_cache.link_saved),
            ("care.Consent", couple_cache.consent_saved),
            ("care.ExerciseSuggestion", couple_cache.suggestion_saved),
            ("care.TherapistProfile", couple_cache.therapist_profile_saved),
        ):
            post_save.connect(receiver, sender=sender, dispatch_uid=f"care_couple_cache_{sender}")
