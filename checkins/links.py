"""Links to a couple's check-in pages, each reversed once per process.

Reversing a URL name walks the URL patterns, and a page of this app links to
the same couple's pages many times over (the history one link per week, the
dashboard card four). A link depends only on the URL name, the couple's code,
the week and the script prefix, so each is worked out once and kept, in a
bounded cache. Codes are in every link the couple's pages show anyway: the
cache holds nothing a person may not see."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=4096)
def _reverse(script_prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)


def link(name: str, *args) -> str:
    """reverse(name, args=args), remembered."""
    return _reverse(get_script_prefix(), name, tuple(str(arg) for arg in args))


def couple_links(relationship) -> dict[str, str]:
    """The pages of the couple's check-ins, for templates: `links.history`, ..."""
    code = relationship.code
    return {page: link(f"checkins:{page}", code) for page in ("checkin", "draft", "history", "rhythm")}
