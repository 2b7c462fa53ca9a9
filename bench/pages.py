"""Which pages there are, and what each costs in SQL queries.

The list is not kept here: it comes from the authorization matrix
(tests/matrix), which must name every URL pattern of the project. Every route
whose expected answer to a partner or a therapist is 200 is a page that person
can open; each is also asked for as htmx asks (HX-Request: true), and when the
answer is a fragment rather than the whole page it is counted as one more
entry. A new page is therefore measured without touching the harness.
"""

import statistics
import time
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# Not pages: the health probe answers monitors, not people.
NOT_PAGES = {"healthz"}
# Who opens a page, in the order we look: the first role the matrix lets in.
PARTNER_ROLES = ("partner_a", "partner_b")
THERAPIST_ROLE = "therapist_active"  # the matrix's therapist with a consented link


@dataclass(frozen=True)
class Page:
    name: str  # the URL name, e.g. "checkins:history"
    role: str  # the persona who opens it
    htmx: bool = False
    html: bool = True  # False for a feed or a download: no first load to weigh

    @property
    def key(self) -> str:
        reader = "therapist" if self.role == THERAPIST_ROLE else "partner"
        return f"{self.name} ({reader}{', htmx' if self.htmx else ''})"


def matrix_modules() -> list[str]:
    from tests.matrix import MODULES

    return list(MODULES)


def matrix_routes() -> dict:
    routes = {}
    for module in matrix_modules():
        routes.update(import_module(module).ROUTES)
    return routes


def pages_in_matrix() -> list[Page]:
    pages = []
    for name, route in sorted(matrix_routes().items()):
        if name in NOT_PAGES:
            continue
        partner = next((role for role in PARTNER_ROLES if route.expected_for(role) == 200), None)
        if partner:
            pages.append(Page(name, partner))
        if route.expected_for(THERAPIST_ROLE) == 200:
            pages.append(Page(name, THERAPIST_ROLE))
    return pages


def url_for(page: Page, world) -> str:
    route = matrix_routes()[page.name]
    return reverse(page.name, kwargs=route.kwargs(world)) + route.query


def signed_in_client(user) -> Client:
    client = Client(headers={"host": "127.0.0.1"})
    client.force_login(user)
    return client


def session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def is_fragment(response) -> bool:
    return is_html(response) and b"<html" not in response.content[:2000].lower()


def get(client: Client, url: str, htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(url, headers=headers)


def count_queries(client: Client, url: str, htmx: bool = False) -> tuple[int, int, list[str]]:
    """(status, number of queries, the queries) of one GET, after a warm-up
    request so that one-off work (template loading, first session read) is not
    counted against the page."""
    get(client, url, htmx)
    with CaptureQueriesContext(connection) as context:
        response = get(client, url, htmx)
    return response.status_code, len(context.captured_queries), [q["sql"] for q in context.captured_queries]


def server_time(client: Client, url: str, htmx: bool = False, repeat: int = 5) -> float:
    """The median time in ms this process takes to answer, middleware to
    rendered HTML, without a network or a server in between."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        get(client, url, htmx)
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def discover(world, clients: dict) -> list[Page]:
    """Every page of the matrix, plus the htmx fragments that differ from their page."""
    found = []
    for page in pages_in_matrix():
        client = clients.get(page.role)
        if client is None:
            continue
        url = url_for(page, world)
        found.append(Page(page.name, page.role, html=is_html(get(client, url))))
        response = get(client, url, htmx=True)
        if response.status_code == 200 and is_fragment(response):
            found.append(Page(page.name, page.role, htmx=True))
    return found


def measure_queries(pages: list[Page], world, clients: dict, repeat: int = 5) -> dict[str, dict]:
    measured = {}
    for page in pages:
        client, url = clients[page.role], url_for(page, world)
        status, count, queries = count_queries(client, url, page.htmx)
        measured[page.key] = {
            "status": status,
            "count": count,
            "queries": queries,
            "ms": server_time(client, url, page.htmx, repeat),
        }
    return measured
