"""The check-in form's radio buttons and checkboxes, drawn in one pass
(checkins/templatetags/checkins.py), are the markup Django's own widget
templates give for the same field, in every state the page shows."""

import pytest
from django.template import engines
from pytest_django.asserts import assertHTMLEqual

from checkins.forms import CheckInForm
from checkins.templatetags.checkins import choice_options
from tests.checkins_helpers import form_data

pytestmark = pytest.mark.django_db

DJANGO_WAY = engines["django"].from_string(
    '{% for option in field %}<label class="choice" for="{{ option.id_for_label }}">'
    "{{ option.tag }} <span>{{ option.choice_label }}</span></label>{% endfor %}"
)
CHOICE_FIELDS = [
    "csi_happiness",
    "csi_warm",
    "csi_rewarding",
    "csi_satisfied",
    "trust_partner",
    "felt_heard",
    "actions_matched_words",
    "emotions",
    "went_well_visibility",
    "i_need_visibility",
    "to_discuss_visibility",
    "commitments_visibility",
]


def _forms(relationship):
    yield CheckInForm(initial={})
    yield CheckInForm(
        initial={"csi_warm": 3, "felt_heard": 4, "emotions": ["hope", "calm"], "i_need_visibility": "care"}
    )
    yield CheckInForm(form_data(relationship))
    yield CheckInForm(
        form_data(
            relationship,
            csi_happiness="7",
            trust_partner=None,
            felt_heard="seven",
            emotions=["hope", "smugness"],
            went_well_visibility="everyone",
        )
    )
    yield CheckInForm(form_data(relationship, csi_warm="9", to_discuss_visibility=None), draft=True)
    yield CheckInForm(form_data(relationship), auto_id="checkin_%s", prefix="again")


@pytest.mark.parametrize("name", CHOICE_FIELDS)
def test_it_draws_the_options_as_djangos_widgets_do(people, name):
    for form in _forms(people.relationship):
        form.is_bound and form.is_valid()
        field = form[name]
        assertHTMLEqual(str(choice_options(field)), DJANGO_WAY.render({"field": field}))


def test_it_escapes_the_labels_and_values(people):
    form = CheckInForm(initial={})
    field = form["emotions"]
    field.field.choices = [('"><script>', "<b>bold</b> & more")]
    html = str(choice_options(field))
    assert "<script>" not in html and "<b>" not in html
    assertHTMLEqual(html, DJANGO_WAY.render({"field": field}))
