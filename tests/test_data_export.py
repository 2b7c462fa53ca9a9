"""Export my data: one JSON file and one printable page with everything that
is the person's, and nothing private of their partner."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.helpers import page_text
from tests.privacy_world import add_more_writing, fill_everything
from trustwork.accounts.export import SECTIONS, export_user_data
from trustwork.reminders.models import ReminderPreference

DOCS = Path(__file__).resolve().parent.parent / "docs" / "data-export.md"


def user_fields_by_model():
    """{model label: {names of fields pointing at the user model}} over every installed model."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model is user_model:
                found.setdefault(model._meta.label, set()).add(field.name)
    return found


def test_it_exports_every_model_and_field_that_points_at_a_person():
    sections = {section.model: set(section.owner) for section in SECTIONS}
    for label, fields in user_fields_by_model().items():
        assert label in sections, f"{label} points at people but is missing from the export (accounts/export.py)"
        missing = fields - sections[label]
        assert not missing, f"{label}.{missing} point at people but the export does not select rows by them"


def test_its_documentation_names_every_section():
    text = DOCS.read_text()
    for section in SECTIONS:
        assert f"`{section.key}`" in text, f"docs/data-export.md does not describe the {section.key} section"


def test_the_test_world_has_a_row_in_every_model_that_points_at_a_person(db):
    fill_everything()
    for label in user_fields_by_model():
        assert apps.get_model(label)._default_manager.exists(), f"tests/privacy_world.py creates no {label}"


@pytest.fixture
def world(db):
    return fill_everything()


def _dump(data):
    return json.dumps(data, default=str)


def test_it_contains_everything_the_person_wrote_whatever_its_visibility(world):
    text = _dump(export_user_data(world.alex))
    for fragment in (
        "ALEX-WROTE-THIS shared",
        "ALEX-WROTE-THIS private",
        "ALEX-WROTE-THIS answer",
        "ALEX-WROTE-THIS commitment",
        "ALEX-WROTE-THIS agreement",
        "alex.privacy@example.com",
        "Alex Privacy",
    ):
        assert fragment in text


def test_every_section_has_the_persons_rows(world):
    sections = export_user_data(world.alex)["sections"]
    empty = [key for key, section in sections.items() if not section["items"]]
    # Alex is neither a therapist nor staff.
    assert sorted(empty) == ["admin_actions", "exercise_suggestions", "therapist_notes", "therapist_profile"]
    assert sections["safety_checks"]["items"][0]["afraid"] == "yes"
    assert sections["access_log"]["items"][0]["therapist_name"] == "Dr Privacy"
    assert sections["checkins"]["items"][0]["author"] == "you"
    assert {r["visibility"] for r in sections["checkins"]["items"][0]["reflections"]} == {"partner", "private"}


def test_it_contains_nothing_the_partner_wrote(world):
    text = _dump(export_user_data(world.alex))
    assert "SAM-WROTE-THIS" not in text
    assert "Sam Privacy" not in text


def test_it_never_puts_one_partners_safety_check_in_the_others_export(world):
    sections = export_user_data(world.sam)["sections"]
    assert len(sections["safety_checks"]["items"]) == 1  # sam's own, not alex's
    assert "ALEX-WROTE-THIS" not in _dump(sections)


def test_it_leaves_out_secrets(world):
    text = _dump(export_user_data(world.alex))
    assert world.alex.password not in text
    assert world.totp_secret not in text
    assert f"s-{world.alex.pk}" not in text  # the session key
    assert str(ReminderPreference.objects.get(user=world.alex).calendar_token) not in text


def test_it_gives_a_therapist_their_own_notes_and_no_partner_writing(world):
    text = _dump(export_user_data(world.therapist))
    assert "THERAPIST-NOTE" in text and "THERAPIST-SUGGESTION" in text
    assert "ALEX-WROTE-THIS" not in text and "SAM-WROTE-THIS" not in text


def test_it_downloads_as_a_json_file(world, client_for):
    response = client_for(world.alex).get(reverse("accounts:export_json"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="trustwork-export-')
    data = json.loads(response.content)
    assert data["format"] == "trustwork-export" and data["version"] == 1
    assert data["account"]["email"] == "alex.privacy@example.com"
    assert "no-store" in response["Cache-Control"]


def test_it_shows_a_printable_page(world, client_for):
    text = page_text(client_for(world.alex).get(reverse("accounts:export_page")))
    assert "Your data from trustwork" in text
    assert "ALEX-WROTE-THIS private" in text
    assert "SAM-WROTE-THIS" not in text


@pytest.mark.parametrize("url_name", ["accounts:export_json", "accounts:export_page", "accounts:data"])
def test_it_uses_the_same_number_of_queries_with_more_data(world, client_for, url_name):
    client = client_for(world.alex)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    small = count()
    add_more_writing(world)
    assert count() == small
