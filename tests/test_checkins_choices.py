"""The check-in form's radio buttons and checkboxes, drawn by one loop in
checkins/_choice_field.html from the plain values of the choice_options filter
(checkins/templatetags/checkins.py), are the markup Django's own widget
templates give for the same field, in every state the page shows."""

import pytest
from django.template import engines
from django.template.loader import get_template
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from checkins.forms import CheckInForm
from tests.checkins_helpers import form_data

pytestmark = pytest.mark.django_db

DJANGO_WAY = engines["django"].from_string(
    '{% for option in field %}<label class="choice" for="{{ option.id_for_label }}">'
    "{{ option.tag }} <span>{{ option.choice_label }}</span></label>{% endfor %}"
)
OUR_WAY = get_template("checkins/_choice_field.html#choice-options")
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
    # Attributes set on a widget reach every option, escaped; False ones are left out.
    described = CheckInForm(form_data(relationship, felt_heard="seven"))
    for name in CHOICE_FIELDS:
        described.fields[name].widget.attrs.update(
            {"aria-describedby": "checkin-problems", "data-note": 'a "quoted" <note> & more', "hidden": False}
        )
    yield described


def _checked_forms(relationship):
    for form in _forms(relationship):
        form.is_bound and form.is_valid()
        yield form


@pytest.mark.parametrize("name", CHOICE_FIELDS)
def test_it_draws_the_options_as_djangos_widgets_do(people, name):
    for form in _checked_forms(people.relationship):
        field = form[name]
        assertHTMLEqual(OUR_WAY.render({"field": field}), DJANGO_WAY.render({"field": field}))


def test_it_compares_them_in_every_state_the_page_shows(people):
    djangos = "".join(
        DJANGO_WAY.render({"field": form[name]})
        for form in _checked_forms(people.relationship)
        for name in CHOICE_FIELDS
    )
    for state in (
        'type="radio"',
        'type="checkbox"',
        " required",  # a blank form
        'aria-invalid="true"',  # after a bad submission
        " checked",  # a draft's answers, or what was sent shown again
        'aria-describedby="checkin-problems"',
        'data-note="a &quot;quoted&quot; &lt;note&gt; &amp; more"',
        'id="checkin_again-csi_warm_0"',
    ):
        assert state in djangos, state
    assert " hidden" not in djangos


def test_it_marks_a_field_with_a_problem_and_keeps_what_was_chosen(people):
    form = CheckInForm(form_data(people.relationship, felt_heard="seven", emotions=["hope", "smugness"]))
    form.is_valid()
    html = get_template("checkins/_choice_field.html").render({"field": form["felt_heard"]})
    assertInHTML(
        '<ul class="errorlist" id="id_felt_heard_errors"><li>'
        "That answer isn&#x27;t on this scale. Please choose one of the options shown.</li></ul>",
        html,
    )
    assert 'aria-describedby="id_felt_heard_errors"' in html
    assert html.count('aria-invalid="true"') == 10
    emotions = get_template("checkins/_choice_field.html").render({"field": form["emotions"]})
    assertInHTML(
        '<input type="checkbox" name="emotions" value="hope" id="id_emotions_11" aria-invalid="true" checked>', emotions
    )


def test_it_escapes_the_labels_and_values(people):
    form = CheckInForm(initial={})
    field = form["emotions"]
    field.field.choices = [('"><script>', "<b>bold</b> & more")]
    html = OUR_WAY.render({"field": field})
    assert "<script>" not in html and "<b>" not in html
    assertHTMLEqual(html, DJANGO_WAY.render({"field": field}))
