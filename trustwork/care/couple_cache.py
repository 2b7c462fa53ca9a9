"""A cache of the therapist dashboard's rows, one per therapist and couple, so
that a dashboard of 30 couples neither reads every shared check-in again nor
renders 30 rows on every request.

What is kept: the rendered row, made from what the models' own
`visible_to(therapist)` gave when it was made (the last shared CSI-4 totals,
the week of the last shared check-in, the count of answers in the progress
bars), with the partners' names. What is never kept: who may see which couple.
The dashboard asks `relationships_in_care_of` on every request and looks up
only the couples it returns, so a revoked or ended link hides a couple at once,
cache or not.

When a row is made again:
- each couple has a version, a random token in the cache; saving a check-in, a
  reflection or an exercise answer of the couple drops it, at once and again
  after the transaction commits (so that a row made from what was read before
  the commit is not kept), and the next dashboard makes the row afresh under a
  new token;
- each row carries a stamp of what it shows besides the couple's data, read
  live on every request: the partners and their names, the current week (the
  "no check-in for N weeks" flag) and the exercise content counted in the bars;
- a row lives at most MAX_AGE seconds, for the changes that send no signal: a
  check-in shared early (a queryset update, which only adds to what the
  therapist may see), rows deleted with a couple's record (which ends the link,
  so the couple is gone from the dashboard already) or by staff.
"""

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction

MAX_AGE = 60  # seconds
VERSION_AGE = 24 * 3600  # a lost version only means making the row again
SHAPE = 1  # of what is kept: change it when that changes, so no process reads another's


def _version_key(relationship_id) -> str:
    return f"care:couple-version:{relationship_id}"


def _row_key(therapist, relationship) -> str:
    # Codes, not ids: an id comes back after a database is recreated, a code never.
    return f"care:couple-row:{SHAPE}:{therapist.code}:{relationship.code}"


def digest(values) -> str:
    return hashlib.blake2b(repr(list(values)).encode(), digest_size=8).hexdigest()


def cached_per_couple(therapist, relationships, stamps: dict, make) -> dict:
    """relationship pk -> its row, from the cache where it is current, made by
    `make(missing relationships)` (all at once) where not. `stamps`:
    relationship pk -> a digest of what the row shows besides the couple's data."""
    version_keys = {r.pk: _version_key(r.pk) for r in relationships}
    row_keys = {r.pk: _row_key(therapist, r) for r in relationships}
    stored = cache.get_many([*version_keys.values(), *row_keys.values()])
    found, missing, keep = {}, [], {}
    for relationship in relationships:
        version = stored.get(version_keys[relationship.pk])
        entry = stored.get(row_keys[relationship.pk])
        if version is not None and entry is not None and entry[:2] == (version, stamps[relationship.pk]):
            found[relationship.pk] = entry[2]
            continue
        missing.append(relationship)
        if version is None:
            # Taken before reading the database: a save after this point drops it.
            version = uuid.uuid4().hex
            if not cache.add(version_keys[relationship.pk], version, VERSION_AGE):
                continue  # another request made one first: make the row, but keep nothing
        keep[relationship.pk] = version
    if missing:
        made = make(missing)
        found.update(made)
        cache.set_many(
            {row_keys[pk]: (version, stamps[pk], made[pk]) for pk, version in keep.items()},
            MAX_AGE,
        )
    return found


def forget(relationship_id) -> None:
    """The couple's data changed: drop its version now and after the commit."""
    key = _version_key(relationship_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def checkin_saved(sender, instance, **kwargs):
    forget(instance.relationship_id)


def reflection_saved(sender, instance, **kwargs):
    from checkins.models import CheckIn

    if sender.checkin.is_cached(instance):
        forget(instance.checkin.relationship_id)
    else:
        relationship_id = CheckIn.objects.filter(pk=instance.checkin_id).values_list("relationship_id", flat=True)
        forget(relationship_id.first())


def answer_saved(sender, instance, **kwargs):
    forget(instance.relationship_id)
