import pytest

from exercises import services
from exercises.forms import AnswerForm
from exercises.loader import load_all
from exercises.models import Step


@pytest.fixture(scope="session")
def _real_content(django_db_setup, django_db_blocker):
    """The seven real module files, loaded once into the test database."""
    with django_db_blocker.unblock():
        load_all()


@pytest.fixture
def content(_real_content, db):
    return Step.objects.current()


@pytest.fixture
def couple(people, content):
    return people


def step(module, exercise, key) -> Step:
    return (
        Step.objects.current()
        .select_related("exercise__module")
        .get(exercise__module__slug=module, exercise__slug=exercise, key=key)
    )


def answer(person, relationship, step_obj, value=None):
    return services.save_answer(person, relationship, step_obj, dict(value or {"read": True}))


def answer_through(person, relationship, module, exercise, last_key, values=None):
    """Answer every step of an exercise up to and including `last_key`."""
    values = values or {}
    steps = Step.objects.current().filter(exercise__module__slug=module, exercise__slug=exercise)
    for item in steps.order_by("position"):
        services.save_answer(person, relationship, item, dict(values.get(item.key) or sample_value(item)))
        if item.key == last_key:
            return


def form_data(item) -> dict:
    """What a person would send for a step of each kind, as a plain form post."""
    kind = item.kind
    if kind == "read":
        return {}
    if kind in ("text", "joint_reveal", "commitment"):
        return {"text": f"An answer to {item.key}"}
    if kind == "agreement":
        return {"text": f"A proposal for {item.key}", "agreement_kind": "expectation"}
    if kind == "scale":
        return {"number": str(item.config["min"])}
    if kind == "choice":
        options = item.config["options"]
        return {"choices": options[:2] if item.config["multiple"] else options[0]}
    if kind == "checklist":
        return {"items": item.config["items"][:2]}
    if kind == "schedule":
        return {"weekday": "6", "time": "19:00"}
    raise AssertionError(kind)


def sample_value(item) -> dict:
    """The value that answer is stored as, made by the step's kind."""
    form = AnswerForm(item, form_data(item))
    assert form.is_valid(), (item, form.errors)
    return form.to_value()
