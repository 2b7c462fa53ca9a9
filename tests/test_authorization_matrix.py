"""Every URL pattern, every role: the answer each must get (DESIGN section 2).

Outsiders get 404 for anything of a couple that is not theirs; signed-out
people are sent to sign in; nobody ever sees a 500.
"""

from dataclasses import dataclass
from importlib import import_module

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import InvitationFactory
from tests.matrix import LOGIN, MODULES, REDIRECT, ROLES


def _merged_routes():
    routes = {}
    for module in MODULES:
        for name, route in import_module(module).ROUTES.items():
            assert name not in routes, f"{name} is listed twice in the matrix"
            routes[name] = route
    return routes


ROUTES = _merged_routes()


def _url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif namespace == "admin" and not pattern.name:
            # The admin's unnamed legacy redirect to the named change view (listed).
            continue
        else:
            assert pattern.name, f"URL pattern {pattern.pattern} has no name, so the matrix can't list it"
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_it_lists_every_url_pattern():
    names = set(_url_names())
    missing = sorted(names - set(ROUTES))
    stale = sorted(set(ROUTES) - names)
    assert not missing, f"URL patterns missing from the authorization matrix: {missing}"
    assert not stale, f"matrix entries for URL patterns that no longer exist: {stale}"


@dataclass
class World:
    people: object
    invitation: object

    @property
    def relationship(self):
        return self.people.relationship


@pytest.fixture
def world(people, request):
    world = World(people=people, invitation=InvitationFactory())
    # App modules may add objects of their own (see tests/matrix/__init__.py).
    for module in MODULES:
        setup = getattr(import_module(module), "setup_world", None)
        if setup:
            setup(world)
    return world


def _assert_answer(response, expected, role, name):
    where = f"{name} as {role}"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}, expected a redirect to sign in"
        assert "/accounts/login/" in response["Location"], f"{where}: went to {response['Location']}"
    elif expected == REDIRECT:
        assert response.status_code == 302, f"{where}: {response.status_code}, expected a redirect"
        assert "/accounts/login/" not in response["Location"], f"{where}: sent to sign in instead"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_it_answers_each_role_as_expected(name, world, client_for):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world)) + route.query
    for role in ROLES:
        user = None if role == "anonymous" else getattr(world.people, role)
        response = client_for(user).get(url)
        _assert_answer(response, route.expected_for(role), role, name)
