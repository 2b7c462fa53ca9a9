import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from timezone_field import TimeZoneField

from trustwork.rhythm import Rhythm

INVITATION_LIFETIME = datetime.timedelta(days=7)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class RelationshipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def for_member(self, user):
        """Active relationships in which `user` is a current partner: the only
        way a view reaches a relationship."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=Membership.objects.current().filter(user=user).values("relationship"))


class Relationship(models.Model):
    """The shared record of one couple."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checkin_weekday = models.PositiveSmallIntegerField("check-in day", choices=Weekday.choices, default=Weekday.SUNDAY)
    checkin_time = models.TimeField("check-in time", default=datetime.time(19, 0))
    time_zone = TimeZoneField(default="UTC")
    # Goes up with every change to what the couple's pages show, in the same
    # transaction (couples.services.bump_version): cached fragments carry it
    # in their key, so a change makes new keys and nothing is invalidated.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = RelationshipQuerySet.as_manager()

    def __str__(self):
        return f"Relationship {self.code}"

    @property
    def is_active(self):
        return self.ended_at is None

    @property
    def rhythm(self) -> Rhythm:
        return Rhythm(self.checkin_weekday, self.checkin_time, self.time_zone)

    def active_members(self):
        """Current partners, by id: as the access helpers found them
        (couples.access.couple_from), or read now."""
        if "current_members" not in self.__dict__:
            self.current_members = [
                m.user for m in self.memberships.current().select_related("user").order_by("user_id")
            ]
        return self.current_members

    def partner_of(self, user):
        return next((member for member in self.active_members() if member.pk != user.pk), None)


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """A current member of an active couple: still a partner, in a record
        that has not ended."""
        return self.filter(is_active=True, relationship__ended_at__isnull=True)


class Membership(models.Model):
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_active=True), name="one_active_relationship_per_person"
            ),
            models.UniqueConstraint(fields=["relationship", "user"], name="one_membership_per_person"),
        ]

    def __str__(self):
        return f"{self.user} in {self.relationship}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time link that lets the second partner join a relationship."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    def __str__(self):
        return f"Invitation to {self.email}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            self.expires_at = self.created_at + INVITATION_LIFETIME
        super().save(*args, **kwargs)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_pending(self):
        return not (self.accepted_at or self.cancelled_at or self.is_expired)
