from trustwork.links import link

# The links of the layout (templates/base.html), on every page. Reversing a
# URL name walks the URL patterns; twelve of them cost about as much as the
# rest of the layout, so each is reversed once per process (trustwork.links).
LAYOUT_LINKS = (
    "home",
    "safety",
    "accounts:profile",
    "accounts:data",
    "reminders:settings",
    "usersessions_list",
    "account_change_password",
    "account_logout",
    "account_login",
    "account_signup",
)


def layout_links(request):
    """`nav_urls.home`, `nav_urls.accounts_profile`, ... for the layout."""
    return {"nav_urls": {name.replace(":", "_"): link(name) for name in LAYOUT_LINKS}}
