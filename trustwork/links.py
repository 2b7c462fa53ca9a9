"""URLs reversed once per process.

Reversing a URL name walks the URL patterns; a page that links to the same
places many times over (the layout's menu on every page, a history's link
for each week) paid for that walk each time. A URL depends only on its name,
its arguments and the script prefix, so each is worked out once and kept, in
a bounded cache. Only use it for arguments that appear in the page anyway
(names, a couple's code, a week): the cache holds nothing a person may not
see, but it is shared by everyone this process serves."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=4096)
def _reverse(script_prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)


def link(name: str, *args) -> str:
    """reverse(name, args=args), remembered."""
    return _reverse(get_script_prefix(), name, tuple(str(arg) for arg in args))
