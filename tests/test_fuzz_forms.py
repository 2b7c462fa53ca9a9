"""Property-based fuzzing of every form (hypothesis).

Every URL of the authorization matrix (the admin aside) is posted to, as each
role that can reach it: values for the fields of the real form, read from the
page that shows it, mixed with junk (empty, huge, NUL bytes, numbers out of
range, impossible dates, markup). Two properties must hold for every example:

- no response is a server error;
- a rejected post (anything but the success answer) leaves every row of our
  apps as it was.

Each example runs in a savepoint that is rolled back, so every example starts
from the same world. FUZZ_EXAMPLES sets the examples per form and role (20 by
default; pages without a form get a few). The counts of the last run are
written to var/fuzz-examples.json, or to FUZZ_REPORT.
"""

import json
import os
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD
from tests.helpers import OUR_APPS, snapshot
from tests.matrix import LOGIN
from tests.test_authorization_matrix import ROUTES, world  # noqa: F401  (world is a fixture)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
EXAMPLES_WITHOUT_A_FORM = max(2, EXAMPLES // 5)
REPORT = Path(os.environ.get("FUZZ_REPORT", Path(__file__).resolve().parent.parent / "var" / "fuzz-examples.json"))

# One persona per kind of person: the other partner, outsiders and the other
# therapist states are the same code paths with other data.
FUZZ_ROLES = ("anonymous", "partner_a", "therapist_active", "staff")

# Forms posted to one URL but shown on another page.
SHOWN_ON = {
    "couples:invite": "couples:detail",
    "couples:start": "home",
    "checkins:draft": "checkins:checkin",
    "checkins:share": "checkins:week",
    "exercises:complete": "exercises:exercise",
    "exercises:log_commitment": "exercises:commitments",
    "exercises:end_commitment": "exercises:commitments",
    "care:invite": "care:couple",
    "care:note": "care:review",
    "care:suggest": "care:review",
    "reminders:calendar_reset": "reminders:settings",
    "safety:delete": "safety:result",
}
# Forms a complete couple never sees (the invitation form shows only while a
# partner is missing): their fields, so they are fuzzed all the same.
KNOWN_FIELDS = {
    "couples:invite": {"email": {"type": "email", "values": []}},
}


def _redirected(response):
    return response.status_code in (301, 302, 303)


# How to tell a post that did its work, when it is not a redirect.
SUCCESS = {
    "reminders:unsubscribe": lambda response: response.status_code == 200,
    # A draft keeps the answers that are fine and shows the others again.
    "checkins:draft": lambda response: (
        _redirected(response) or (response.status_code == 400 and b"We kept your draft" in response.content)
    ),
}
# Not fuzzed here: Django's own admin, behind staff sign-in with two-factor.
NOT_FUZZED_PREFIXES = ("admin:",)


class FormFinder(HTMLParser):
    """The fields of every form on a page: {target path: {name: {"type", "values"}}}."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url = page_url
        self.forms = {}
        self.current = None
        self.select = None

    def _path(self, value):
        return urlparse(urljoin(self.page_url, value or self.page_url)).path

    def _field(self, name, kind):
        return self.current.setdefault(name, {"type": kind, "values": []})

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() != "post":
                self.current = None
                return
            self.current = {}
            for key in ("action", "hx-post"):
                if key in attrs or key == "action":
                    self.forms.setdefault(self._path(attrs.get(key)), self.current)
            return
        if self.current is None:
            return
        name = attrs.get("name")
        if tag in ("button", "input") and attrs.get("formaction"):
            self.forms.setdefault(self._path(attrs["formaction"]), self.current)
        if tag == "option" and self.select is not None:
            self.select["values"].append(attrs.get("value", ""))
            return
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            field = self._field(name, kind)
            if attrs.get("value") is not None:
                field["values"].append(attrs["value"])
        elif tag == "button" and attrs.get("value") is not None:
            self._field(name, "choice")["values"].append(attrs["value"])
        elif tag == "textarea":
            self._field(name, "textarea")
        elif tag == "select":
            self.select = self._field(name, "select-multiple" if "multiple" in attrs else "select")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


JUNK = st.one_of(
    st.just(""),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "2026-02-30",
            "24:61",
            "0001-01-01",
            "9999-12-31",
            "<script>alert(1)</script>",
            "' OR '1'='1",
            "../../etc/passwd",
            "🙂" * 30,
            "x" * 6000,
            str(uuid.UUID(int=0)),
        ]
    ),
)


def _valid(name, field):
    kind, values = field["type"], [v for v in field["values"] if v is not None]
    choices = st.sampled_from(values) if values else st.nothing()
    if kind in ("select-multiple",) or (kind == "checkbox" and len(values) > 1):
        return st.lists(st.sampled_from(values), max_size=len(values), unique=True) if values else st.just([])
    if kind in ("select", "radio", "checkbox", "choice", "hidden", "submit"):
        return choices if values else st.text(max_size=20)
    if "password" in name:
        return st.sampled_from([PASSWORD, "a-long-new-password-42", "short"])
    if kind == "email" or "email" in name:
        return st.one_of(st.sampled_from(["new.person@example.com", "sam@example.com"]), st.emails())
    if kind == "number":
        return st.integers(min_value=-5, max_value=30).map(str)
    if kind == "date":
        return st.dates().map(lambda d: d.isoformat())
    if kind == "time":
        return st.times().map(lambda t: t.strftime("%H:%M"))
    return st.one_of(choices, st.text(max_size=300)) if values else st.text(max_size=300)


def payloads(fields):
    """A dict of form data: each field valid, junk or missing, plus now and then a stray one."""
    parts = {
        name: st.one_of(_valid(name, field), _valid(name, field), JUNK, st.none()) for name, field in fields.items()
    }
    extra = st.dictionaries(st.sampled_from(["stray", "id", "author", "person", "visibility"]), JUNK, max_size=2)
    return st.tuples(st.fixed_dictionaries(parts), extra).map(
        lambda both: {k: v for k, v in {**both[1], **both[0]}.items() if v is not None}
    )


class _RollBack(Exception):
    pass


# Rows written on purpose by every request of a therapist, whatever it asks
# (DESIGN section 2, rule 4): not an effect of the post.
AUDIT_TRAIL = {"care.AccessLog"}


def fingerprint():
    """One digest per table of our apps: on PostgreSQL computed by the database
    in one query (helpers.snapshot() reads every row, too slow for thousands
    of examples); elsewhere snapshot() itself."""
    models = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and m._meta.label not in AUDIT_TRAIL]
    if connection.vendor != "postgresql":
        state = snapshot()
        return {label: rows for label, rows in state.items() if label not in AUDIT_TRAIL}
    quote = connection.ops.quote_name
    parts = [
        f"SELECT '{m._meta.label}', count(*), md5(coalesce(string_agg((to_jsonb(t) - 'last_login')::text, ',' "
        f"ORDER BY t.{quote(m._meta.pk.column)}), '')) FROM {quote(m._meta.db_table)} t"
        for m in models
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {label: (count, digest) for label, count, digest in cursor.fetchall()}


def _changed(before, after):
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


def _fields_for(client, name, objects):
    if name in KNOWN_FIELDS:
        return KNOWN_FIELDS[name]
    source = SHOWN_ON.get(name, name)
    source_url = reverse(source, kwargs=ROUTES[source].kwargs(objects)) + ROUTES[source].query
    target = reverse(name, kwargs=ROUTES[name].kwargs(objects))
    response = client.get(source_url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    finder = FormFinder(source_url)
    finder.feed(response.content.decode())
    return finder.forms.get(target, {})


def _roles_for(name):
    """The fuzzed roles that can reach the URL; a page nobody can open here
    (recovery codes nobody generated) is still posted to by a partner."""
    reach = [role for role in FUZZ_ROLES if ROUTES[name].expected_for(role) not in (LOGIN, 403, 404)]
    return reach or ["partner_a"]


def _record(name, role, fields, examples):
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    try:
        report = json.loads(REPORT.read_text())
    except (FileNotFoundError, ValueError):
        report = {}
    report[f"{name} as {role}"] = {"fields": sorted(fields), "examples": examples}
    REPORT.write_text(json.dumps(report, indent=1, sort_keys=True))


FUZZED = sorted(name for name in ROUTES if not name.startswith(NOT_FUZZED_PREFIXES))


def test_it_fuzzes_every_url_but_the_admin():
    assert set(FUZZED) | {n for n in ROUTES if n.startswith(NOT_FUZZED_PREFIXES)} == set(ROUTES)
    assert set(SHOWN_ON) <= set(ROUTES) and set(SHOWN_ON.values()) <= set(ROUTES)


def _fuzz(client, url, name, role, fields, succeeded) -> int:
    """Post generated data until hypothesis is done; the number of examples run."""
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    examples = []

    @settings(
        max_examples=EXAMPLES if fields else EXAMPLES_WITHOUT_A_FORM,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(payloads(fields))
    def post_and_check(data):
        examples.append(data)
        cache.clear()  # rate limits and cached sessions start afresh
        client.cookies.clear()  # signed in again, even after a sign-out example
        for key, value in cookies.items():
            client.cookies[key] = value
        try:
            with transaction.atomic():
                before = fingerprint()
                response = client.post(url, data)
                assert response.status_code < 500, f"{name} as {role}: {response.status_code} for {data!r}"
                if not succeeded(response):
                    changed = _changed(before, fingerprint())
                    assert not changed, (
                        f"{name} as {role}: a rejected post ({response.status_code}) changed {changed} with {data!r}"
                    )
                raise _RollBack
        except _RollBack:
            pass

    post_and_check()
    return len(examples)


@pytest.mark.parametrize("name", FUZZED)
def test_no_post_is_a_server_error_and_a_rejected_one_changes_nothing(name, world, client_for):  # noqa: F811
    url = reverse(name, kwargs=ROUTES[name].kwargs(world)) + ROUTES[name].query
    succeeded = SUCCESS.get(name, _redirected)
    for role in _roles_for(name):
        client = client_for(None if role == "anonymous" else getattr(world.people, role))
        fields = _fields_for(client, name, world)
        examples = _fuzz(client, url, name, role, fields, succeeded)
        _record(name, role, fields, examples)
        assert examples


def test_the_finder_reads_a_form():
    finder = FormFinder("/page/")
    finder.feed(
        '<form method="post" action="/go/"><input type="hidden" name="csrfmiddlewaretoken" value="t">'
        '<input name="email" type="email"><select name="zone"><option value="UTC">UTC</option></select>'
        '<textarea name="note"></textarea><button name="action" value="logout">Out</button></form>'
        '<form method="get" action="/search/"><input name="q"></form>'
    )
    assert finder.forms == {
        "/go/": {
            "email": {"type": "email", "values": []},
            "zone": {"type": "select", "values": ["UTC"]},
            "note": {"type": "textarea", "values": []},
            "action": {"type": "choice", "values": ["logout"]},
        }
    }
