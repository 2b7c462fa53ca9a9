"""A cache of HTML made from a couple's data, one entry per reader and couple:
the rows of the therapist dashboard (ROWS), so that a dashboard of 30 couples
neither reads every shared check-in again nor renders 30 rows on every
request, and the care card on the couple's own home page (CARD).

What is kept: HTML made from what the models' own `visible_to(reader)` gave,
or for the card from the couple's own links and suggestions. What is never
kept: who may see which couple. The pages decide that on every request
(`relationships_in_care_of`, `current_relationship`) and look up only the
couples it gives, so a revoked or ended link hides a couple at once, cache or
not.

When an entry is made again:
- each couple has a version of each kind, a random token in the cache.
  Saving what the kind shows (a check-in, an exercise answer, a partner's
  name or membership, a link, a consent, a suggestion, a therapist's profile:
  the receivers at the end of this module) drops it, at once and again after the transaction commits, so
  that HTML made from what was read before the commit is not kept; the next
  request makes the entry afresh under a new token;
- each kind has a generation, a random token too, which a change of the
  exercise content drops (the bars count its steps, the card names exercises);
- an entry carries a stamp of what else it shows, read live on every request
  (for a dashboard row: the current week, for the "no check-in for N weeks"
  flag);
- an entry lives at most MAX_AGE seconds, for the changes that send no signal:
  a check-in shared early (a queryset update, which only adds to what the
  therapist may see), rows deleted with a couple's record (which ends the link
  or the relationship, so the couple is gone from the page already) or
  deleted by staff.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

ROWS = "rows"  # the therapist dashboard's rows: check-ins with their reflections, exercise answers
CARD = "card"  # the couple's care card: links, consents, suggestions, therapists' names
MAX_AGE = 60  # seconds
VERSION_AGE = 24 * 3600  # a lost version only means making the entry again
SHAPE = 2  # of what is kept: change it when that changes, so no process reads another's


def _version_key(kind, relationship_id) -> str:
    return f"care:{kind}-version:{relationship_id}"


def _generation_key(kind) -> str:
    return f"care:{kind}-generation"


def _entry_key(kind, reader, relationship) -> str:
    # Codes, not ids: an id comes back after a database is recreated, a code never.
    return f"care:{kind}:{SHAPE}:{reader.code.hex}:{relationship.code.hex}"


def _token(key, stored) -> str | None:
    """The token under `key`, a new one if there is none; None when another
    request put one there first (make the entry then, but keep nothing). A new
    token is taken before the database is read: a save after that drops it."""
    token = stored.get(key)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(key, token, VERSION_AGE):
            return None
    return token


def cached_per_couple(kind, reader, relationships, stamps: dict, make) -> dict:
    """relationship pk -> its entry, from the cache where it is current, made
    by `make(missing relationships)` (all at once) where not. `stamps`:
    relationship pk -> what the entry shows besides the data this module is
    told about (a string), checked on every request."""
    version_keys = {r.pk: _version_key(kind, r.pk) for r in relationships}
    entry_keys = {r.pk: _entry_key(kind, reader, r) for r in relationships}
    stored = cache.get_many([_generation_key(kind), *version_keys.values(), *entry_keys.values()])
    generation = stored.get(_generation_key(kind))
    found, missing, keep = {}, [], {}
    for relationship in relationships:
        pk = relationship.pk
        entry = stored.get(entry_keys[pk])
        current = (stored.get(version_keys[pk]), generation, stamps[pk])
        if entry is not None and None not in current[:2] and entry[:3] == current:
            found[pk] = entry[3]
        else:
            missing.append(relationship)
    if missing:
        generation = _token(_generation_key(kind), stored)
        for relationship in missing:
            version = _token(version_keys[relationship.pk], stored)
            if generation is not None and version is not None:
                keep[relationship.pk] = version
        made = make(missing)
        found.update(made)
        cache.set_many(
            {entry_keys[pk]: (version, generation, stamps[pk], made[pk]) for pk, version in keep.items()},
            MAX_AGE,
        )
    return found


def forget(kind, relationship_id) -> None:
    """The couple's data of this kind changed: drop its version now and after
    the commit."""
    _drop(_version_key(kind, relationship_id))


def forget_all(kind) -> None:
    """Something every entry of this kind shows changed (the exercise content)."""
    _drop(_generation_key(kind))


def _drop(key) -> None:
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


# --- Receivers (connected in apps.py) ----------------------------------------


def checkin_saved(sender, instance, **kwargs):
    # Reflections too: checkins.services writes them with their check-in, in
    # the same transaction, and a sent check-in is final.
    forget(ROWS, instance.relationship_id)


def answer_saved(sender, instance, **kwargs):
    forget(ROWS, instance.relationship_id)


def membership_saved(sender, instance, **kwargs):
    forget(ROWS, instance.relationship_id)


def person_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A partner's name shows in the dashboard's row of their couple."""
    from trustwork.couples.models import Membership

    if created or (update_fields is not None and "display_name" not in update_fields):
        return  # nobody's partner yet; or signing in, which saves last_login alone
    for relationship_id in Membership.objects.filter(user_id=instance.pk).values_list("relationship_id", flat=True):
        forget(ROWS, relationship_id)


def content_changed(sender, **kwargs):
    """The bars count the exercise steps, the card names suggested exercises."""
    forget_all(ROWS)
    forget_all(CARD)


def link_saved(sender, instance, **kwargs):
    forget(CARD, instance.relationship_id)


def consent_saved(sender, instance, **kwargs):
    from trustwork.care.models import CareLink

    if sender.link.is_cached(instance):
        forget(CARD, instance.link.relationship_id)
    else:
        forget(CARD, CareLink.objects.filter(pk=instance.link_id).values_list("relationship_id", flat=True).first())


def suggestion_saved(sender, instance, **kwargs):
    forget(CARD, instance.relationship_id)


def therapist_profile_saved(sender, instance, **kwargs):
    """Their name and badge show on the card of every couple that invited them."""
    from trustwork.care.models import CareLink

    for relationship_id in CareLink.objects.filter(therapist_id=instance.user_id).values_list(
        "relationship_id", flat=True
    ):
        forget(CARD, relationship_id)
