"""The layout's links are reversed once per process and script prefix
(trustwork/context_processors.py), and still point where `{% url %}` would."""

import pytest
from django.urls import reverse, set_script_prefix

from trustwork.context_processors import LAYOUT_LINKS, layout_links

pytestmark = pytest.mark.django_db


def test_every_layout_link_is_on_the_page_where_url_would_point(client_for, people):
    html = client_for(people.partner_a).get(reverse("accounts:data")).content.decode()
    for name in set(LAYOUT_LINKS) - {"account_login", "account_signup"}:
        assert f'"{reverse(name)}"' in html, name


def test_a_signed_out_visitor_gets_sign_in_and_sign_up(client):
    html = client.get(reverse("safety")).content.decode()
    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("account_signup")}"' in html


def test_links_follow_the_script_prefix_of_a_site_served_under_a_path(rf):
    try:
        set_script_prefix("/trustwork/")
        assert layout_links(rf.get("/"))["nav_urls"]["accounts_profile"] == "/trustwork/account/profile/"
    finally:
        set_script_prefix("/")
    assert layout_links(rf.get("/"))["nav_urls"]["accounts_profile"] == "/account/profile/"
