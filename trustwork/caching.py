"""Key-based caching: a kept fragment's key names everything it was made
from, so nothing is ever invalidated (STYLE.md, "Caching is key-based").

A write makes a new key and the old entry simply expires. For a couple's
pages the key holds the reader, their role, the couple and its version
(`Relationship.version`, bumped by the services in the same transaction as
any write that changes what the couple's pages show), and where exercise
content is shown its revision. Every key also holds the code's own
revision (the templates and Python that drew it), so a deploy never serves
what an older release drew.

Who may see a couple is never kept here: the access helpers decide it on
every request, and only then is a key made for what they allowed.
"""

import hashlib
from collections.abc import Callable, Hashable, Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache

KEPT_FOR = 7 * 24 * 3600  # seconds; an entry is never stale, only unused


@cache
def code_revision() -> str:
    """A digest of the templates and our Python source, as deployed: what
    draws every fragment. Read once per process (it changes only with a
    deploy, which starts new processes)."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "trustwork", "checkins", "exercises"):
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in (".html", ".txt", ".py") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def make_key(*parts) -> str:
    """A cache key from its parts, short whatever they are."""
    text = ":".join(str(part) for part in (code_revision(), *parts))
    return "fragment:" + hashlib.sha256(text.encode()).hexdigest()


def couple_parts(reader, relationship) -> tuple:
    """What a couple's fragment depends on for this reader."""
    return (reader.user.pk, reader.role, relationship.pk, relationship.version)


def kept(key: str, make: Callable[[], object], timeout: int = KEPT_FOR):
    """The value under `key`, made and kept if it is not there."""
    value = django_cache.get(key)
    if value is None:
        value = make()
        django_cache.set(key, value, timeout)
    return value


def kept_many(
    keys: dict[Hashable, str], make_missing: Callable[[Iterable[Hashable]], dict], timeout: int = KEPT_FOR
) -> dict:
    """{name: value} for every name of `keys`, the missing ones made together
    by `make_missing(names)` (one batch of queries, not one per name)."""
    found = django_cache.get_many(list(keys.values()))
    values = {name: found[key] for name, key in keys.items() if key in found}
    missing = [name for name in keys if name not in values]
    if missing:
        made = make_missing(missing)
        django_cache.set_many({keys[name]: made[name] for name in missing}, timeout)
        values.update(made)
    return values
