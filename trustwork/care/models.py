"""Therapist review (DESIGN sections 1 and 2).

A couple invites a therapist through a CareLink. The link is active only while
both partners have consented, the therapist has accepted, nobody has revoked it
and the couple's record has not ended. Who may reach a couple as a therapist is
decided in one place, `CareLink.objects.active()`, used by access.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from trustwork.couples.models import Relationship
from trustwork.privacy import require_reader

NOTE_MAX_LENGTH = 5000
SUGGESTION_MAX_LENGTH = 1000


class TherapistProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist_profile")
    name = models.CharField("professional name", max_length=120)
    practice = models.CharField(max_length=200)
    licence_number = models.CharField("licence or registration number", max_length=60, blank=True)
    # Set by staff in the admin once they have checked the licence.
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} ({self.practice})"


class CareLinkQuerySet(models.QuerySet):
    def active(self):
        """Links a therapist may see a couple through, right now (no caching:
        a revocation counts from the next request)."""
        return self.alias(consent_count=Count("consents", distinct=True)).filter(
            consent_count__gte=2,
            therapist__isnull=False,
            accepted_at__isnull=False,
            revoked_at__isnull=True,
            relationship__ended_at__isnull=True,
        )

    def open(self):
        """Not revoked: active, or still waiting for someone."""
        return self.filter(revoked_at__isnull=True, relationship__ended_at__isnull=True)

    def for_partner(self, user):
        """Links of the couple `user` is a current partner of."""
        return self.filter(relationship__in=Relationship.objects.for_member(user).values("pk"))

    def with_consents_counted(self, reader):
        """Each link with `consents_given` (how many partners agreed) and
        `reader_consented` (whether `reader` did), in the same query: a list
        of links then needs no second one for its consents."""
        return self.annotate(
            consents_given=Count("consents", distinct=True),
            reader_consented=Exists(Consent.objects.filter(link=OuterRef("pk"), person=reader)),
        )


class CareLink(models.Model):
    """A couple's invitation to one therapist, and the consent that keeps it alive."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="care_links")
    email = models.EmailField("therapist's email address")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="care_links"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "email"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_care_link_per_address",
            )
        ]

    def __str__(self):
        return f"Care link to {self.email}"

    # These read prefetched consents, so a list of links costs no extra queries.
    def consent_of(self, user):
        return next((c for c in self.consents.all() if c.person_id == user.pk), None)

    @property
    def consent_count(self) -> int:
        counted = self.__dict__.get("consents_given")  # by with_consents_counted()
        return counted if counted is not None else len(self.consents.all())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_active(self) -> bool:
        return (
            not self.is_revoked
            and self.accepted_at is not None
            and self.consent_count >= 2
            and self.relationship.is_active
        )

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "Ended"
        if self.is_active:
            return "Active"
        partners_waiting = "one of you to agree" if self.consent_count == 1 else "both of you to agree"
        if self.accepted_at is None and self.consent_count < 2:
            return f"Waiting for the therapist to accept and for {partners_waiting}"
        if self.accepted_at is None:
            return "Waiting for the therapist to accept"
        return f"Waiting for {partners_waiting}"


class Consent(models.Model):
    """One partner's yes to one care link, with when it was given."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["given_at"]
        constraints = [models.UniqueConstraint(fields=["link", "person"], name="one_consent_per_partner")]

    def __str__(self):
        return f"Consent of {self.person_id} to {self.link_id}"


class AccessLogQuerySet(models.QuerySet):
    def visible_to(self, reader):
        """Both partners of a couple read its whole log; a therapist reads none of it."""
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        if reader.is_therapist:
            return self.none()
        return self.filter(relationship_id__in=reader.relationship_ids)


class AccessLog(models.Model):
    """Every time a therapist opens (or fails to open) a couple's data."""

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="care_access_logs"
    )
    # Kept so the couple's log still reads well if the account is deleted.
    therapist_name = models.CharField(max_length=120)
    # None when the address named no couple at all.
    relationship = models.ForeignKey(
        Relationship, null=True, blank=True, on_delete=models.CASCADE, related_name="care_access_logs"
    )
    page = models.CharField(max_length=60)
    at = models.DateTimeField(default=timezone.now)  # stored in UTC, shown in the reader's zone
    succeeded = models.BooleanField()

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["relationship", "-at"])]

    def __str__(self):
        return f"{self.therapist_name} {self.page} {self.at:%Y-%m-%d %H:%M}"


class TherapistNoteQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A note is its author's alone: not the couple, not staff pages."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(therapist=user)


class TherapistNote(models.Model):
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    objects = TherapistNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Note {self.pk}"


class ExerciseSuggestionQuerySet(models.QuerySet):
    def visible_to(self, reader):
        """The couple it was made for, and the therapist who made it."""
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        in_couples = self.filter(relationship_id__in=reader.relationship_ids)
        return in_couples.filter(therapist=reader.user) if reader.is_therapist else in_couples


class ExerciseSuggestion(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="exercise_suggestions")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    therapist_name = models.CharField(max_length=120)
    exercise = models.ForeignKey("exercises.Exercise", on_delete=models.CASCADE, related_name="+")
    message = models.TextField(max_length=SUGGESTION_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ExerciseSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Suggestion of {self.exercise_id}"
