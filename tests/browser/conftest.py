"""Browser journeys in a real Chromium (Debian's, at /usr/bin/chromium).

Every test here is marked `browser`. The `page` fixture fails the test when a
page breaks its Content Security Policy, logs a JavaScript error, or asks for
anything from another host. `assert_accessible(page)` runs axe-core.
"""

import os
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import CHROMIUM
from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


class PageProblems(list):
    pass


@pytest.fixture
def page(context, live_server):
    """A page that records what must never happen on trustwork."""
    problems = PageProblems()
    own_host = urlparse(live_server.url).netloc
    page = context.new_page()

    def on_request(request):
        host = urlparse(request.url).netloc
        if request.url.startswith(("data:", "blob:", "about:")) or host == own_host:
            return
        problems.append(f"third-party request: {request.url}")

    def on_console(message):
        # A browser asks for /favicon.ico by itself on pages that are not ours
        # (a plain response, the neutral site of the quick exit); that 404 is not a page's fault.
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            problems.append(f"console error: {message.text} at {where}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.problems = problems
    page.set_default_timeout(10_000)
    yield page
    page.close()
    assert not problems, "\n".join(problems)


_axe = Axe()


def assert_accessible(page):
    """axe-core over the current page: no serious or critical violations."""
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"axe-core found problems on {page.url}:\n{details}"


def sign_in(page, email, heading=None):
    """Sign in through the real form as `email` (password tests.factories.PASSWORD),
    then wait for the page it lands on: a heading of it when given, else home."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if heading:
        page.get_by_role("heading", name=heading).wait_for()
    else:
        page.wait_for_url("**/")


@pytest.fixture
def second_page(browser, browser_type_launch_args, live_server):
    """A separate browser context: the other partner, with their own cookies."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _links_in_emails_point_at_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url
