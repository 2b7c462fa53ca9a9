"""Agreements: one partner proposes, the other accepts or asks for a change;
an accepted agreement has a revisit date; renegotiation keeps the history."""

import datetime

from django.utils import timezone

from exercises import services
from exercises.models import Agreement, RevisionStatus
from tests.exercises.conftest import answer_through
from tests.helpers import count_queries, page_text, snapshot


def url(couple, agreement=None):
    base = f"/exercises/{couple.relationship.code}/agreements/"
    return f"{base}{agreement.code}/" if agreement else base


def propose(couple, text="We talk about what happened at the check-in, not late at night"):
    return services.propose_agreement(couple.partner_a, couple.relationship, text, "expectation")


def test_a_partner_proposes_an_agreement(couple, client_for):
    response = client_for(couple.partner_a).post(
        url(couple), {"text": "We eat together on Sundays", "kind": "expectation"}
    )
    assert response.status_code == 302
    revision = Agreement.objects.get().revisions.get()
    assert revision.text == "We eat together on Sundays" and revision.status == RevisionStatus.PROPOSED


def test_the_other_partner_accepts_with_a_revisit_date(couple, client_for):
    agreement = propose(couple)
    revisit = timezone.localdate() + datetime.timedelta(weeks=2)
    response = client_for(couple.partner_b).post(
        url(couple, agreement), {"action": "respond", "answer": "accept", "revisit_on": revisit}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.revisit_on == revisit
    assert agreement.revisions.get().status == RevisionStatus.ACCEPTED


def test_the_proposer_cannot_accept_their_own_proposal(couple, client_for):
    agreement = propose(couple)
    before = snapshot()
    response = client_for(couple.partner_a).post(
        url(couple, agreement),
        {"action": "respond", "answer": "accept", "revisit_on": timezone.localdate() + datetime.timedelta(days=9)},
    )
    assert response.status_code == 400
    assert "This is your own proposal, so it is your partner&#x27;s turn to answer it." in page_text(response)
    assert snapshot() == before


def test_accepting_needs_a_date_in_the_future_and_asking_for_a_change_needs_a_word(couple, client_for):
    agreement = propose(couple)
    client = client_for(couple.partner_b)
    before = snapshot()
    response = client.post(url(couple, agreement), {"action": "respond", "answer": "accept", "revisit_on": ""})
    assert "Choose a date to look at this agreement again." in page_text(response)
    response = client.post(
        url(couple, agreement), {"action": "respond", "answer": "accept", "revisit_on": timezone.localdate()}
    )
    assert "Choose a date after today." in page_text(response)
    response = client.post(url(couple, agreement), {"action": "respond", "answer": "change", "change_note": ""})
    assert "Say in a few words what would work better for you." in page_text(response)
    assert snapshot() == before


def test_renegotiation_keeps_the_history_and_the_old_wording_stands_until_the_new_one_is_accepted(couple):
    agreement = propose(couple)
    later = timezone.localdate() + datetime.timedelta(weeks=4)
    services.respond_to_agreement(couple.partner_b, agreement, accept=False, change_note="Not on weeknights")
    services.propose_change(couple.partner_b, agreement, "We talk about it at the Sunday check-in")
    services.respond_to_agreement(couple.partner_a, agreement, accept=True, revisit_on=later)
    services.propose_change(couple.partner_a, agreement, "We talk about it every other Sunday")
    statuses = list(agreement.revisions.order_by("proposed_at", "pk").values_list("status", flat=True))
    assert statuses == [RevisionStatus.CHANGE_ASKED, RevisionStatus.ACCEPTED, RevisionStatus.PROPOSED]
    services.respond_to_agreement(couple.partner_b, agreement, accept=True, revisit_on=later)
    statuses = list(agreement.revisions.order_by("proposed_at", "pk").values_list("status", flat=True))
    assert statuses == [RevisionStatus.CHANGE_ASKED, RevisionStatus.REPLACED, RevisionStatus.ACCEPTED]


def test_the_agreement_page_shows_what_is_in_force_and_the_history(couple, client_for):
    agreement = propose(couple)
    services.respond_to_agreement(couple.partner_b, agreement, accept=False, change_note="Not on weeknights")
    services.propose_change(couple.partner_b, agreement, "We talk about it at the Sunday check-in")
    text = page_text(client_for(couple.partner_a).get(url(couple, agreement)))
    assert "Not on weeknights" in text
    assert "We talk about it at the Sunday check-in" in text
    assert "Send my answer" in text


def test_an_agreement_step_becomes_a_proposal_for_the_partner(couple):
    values = {"propose-expectation": {"text": "We spend one evening a week together", "agreement_kind": "expectation"}}
    answer_through(
        couple.partner_a,
        couple.relationship,
        "realistic-expectations",
        "first-agreements",
        "propose-expectation",
        values,
    )
    agreement = Agreement.objects.get()
    assert agreement.revisions.get().text == "We spend one evening a week together"


def test_the_revisit_date_follows_the_couples_choice(couple):
    relationship = couple.relationship
    values = {"revisit-when": {"choices": ["In six weeks"]}}
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, "realistic-expectations", "first-agreements", "propose-boundary")
    for person in (couple.partner_a, couple.partner_b):
        answer_through(person, relationship, "realistic-expectations", "first-agreements", "revisit-when", values)
    today = datetime.date(2026, 5, 1)
    assert services.suggested_revisit(relationship, today) == datetime.date(2026, 6, 12)


def test_an_outsider_gets_a_404_for_a_couples_agreement(couple, client_for):
    agreement = propose(couple)
    before = snapshot()
    response = client_for(couple.outsider).post(url(couple, agreement), {"action": "change", "text": "Mine now"})
    assert response.status_code == 404
    assert snapshot() == before


def test_the_agreement_pages_cost_the_same_with_one_and_with_many(couple, client_for):
    client = client_for(couple.partner_a)
    first = propose(couple)
    small = (count_queries(client, url(couple)), count_queries(client, url(couple, first)))
    for number in range(5):
        agreement = propose(couple, f"Agreement {number}")
        services.respond_to_agreement(couple.partner_b, agreement, accept=False, change_note="Softer, please")
        services.propose_change(couple.partner_b, agreement, f"Agreement {number}, softer")
    for number in range(4):
        services.propose_change(couple.partner_b, first, f"Wording {number}")
    assert (count_queries(client, url(couple)), count_queries(client, url(couple, first))) == small
    print("agreements list and detail queries:", small)
