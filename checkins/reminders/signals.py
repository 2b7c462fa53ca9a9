"""Recompute next reminder times when what they depend on changes."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_init, post_save

from trustwork.couples.models import Membership, Relationship


def _relationship_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from checkins.reminders.services import cancel_unsent_for_relationship, reschedule_for_relationship

    reschedule_for_relationship(instance)
    if instance.ended_at is not None:
        # In the transaction that ends it: a send waiting on a delivery's row
        # lock then finds it cancelled.
        cancel_unsent_for_relationship(instance)


def _membership_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from checkins.reminders.services import reschedule_for_relationship

    # A partner joined or left: both partners' reminders may start or stop.
    reschedule_for_relationship(instance.relationship)


def _remember_time_zone(sender, instance, **kwargs):
    # Read from __dict__ so a deferred time_zone is never fetched just for this.
    instance._reminders_time_zone = instance.__dict__.get("time_zone")


def _user_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created:
        return
    if update_fields is not None and "time_zone" not in update_fields:
        return
    before = getattr(instance, "_reminders_time_zone", None)
    after = instance.__dict__.get("time_zone")
    if before is None or after is None or before == after:
        return
    instance._reminders_time_zone = after
    from checkins.reminders.services import reschedule_for_user

    reschedule_for_user(instance)


def connect():
    user_model = get_user_model()
    post_save.connect(_relationship_saved, sender=Relationship, dispatch_uid="reminders_relationship_saved")
    post_save.connect(_membership_saved, sender=Membership, dispatch_uid="reminders_membership_saved")
    post_init.connect(_remember_time_zone, sender=user_model, dispatch_uid="reminders_remember_time_zone")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="reminders_user_saved")
