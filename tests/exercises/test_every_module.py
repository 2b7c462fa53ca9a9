"""Every exercise of the seven modules can be completed by both partners
through the pages, with the plain form posts a browser without JavaScript
sends."""

from exercises.models import Completion, Exercise, Step
from tests.exercises.conftest import form_data
from tests.helpers import page_text


def test_both_partners_can_complete_every_exercise_of_every_module(couple, client_for):
    clients = [client_for(couple.partner_a), client_for(couple.partner_b)]
    base = f"/exercises/{couple.relationship.code}/m"
    exercises = list(Exercise.objects.current().select_related("module"))
    assert len(exercises) == 21
    for exercise in exercises:
        path = f"{base}/{exercise.module.slug}/{exercise.slug}"
        for step in Step.objects.current().filter(exercise=exercise).order_by("position"):
            for client in clients:
                response = client.post(f"{path}/step/{step.key}/", form_data(step))
                assert response.status_code == 302, f"{step}: {page_text(response)[:300]}"
        for client in clients:
            assert "Complete this exercise" in page_text(client.get(f"{path}/"))
            assert client.post(f"{path}/complete/").status_code == 302
    assert Completion.objects.filter(relationship=couple.relationship).count() == 42
    # The module 3 and 5 steps fed the trackers.
    assert couple.relationship.commitments.count() == 2
    assert couple.relationship.agreements.count() == 2 * 3
