"""Commitments: each person's own small promises, logged kept or missed,
with a calm history and no streaks."""

import datetime

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exercises import services
from exercises.models import Commitment, CommitmentLog
from tests.helpers import count_queries, page_text, snapshot


def url(couple, *parts):
    return "/".join([f"/exercises/{couple.relationship.code}/commitments", *parts]) + "/"


def make(couple, person=None, text="I will text if I am running late"):
    return services.add_commitment(person or couple.partner_a, couple.relationship, text)


def test_a_partner_adds_a_commitment(couple, client_for):
    response = client_for(couple.partner_a).post(url(couple), {"text": "  I will   do the dishes on weekdays "})
    assert response.status_code == 302
    assert Commitment.objects.get().text == "I will do the dishes on weekdays"


def test_an_empty_or_over_long_commitment_is_refused_with_a_message(couple, client_for):
    client = client_for(couple.partner_a)
    before = snapshot()
    response = client.post(url(couple), {"text": ""})
    assert response.status_code == 400 and "Write your commitment as one plain sentence." in page_text(response)
    response = client.post(url(couple), {"text": "x" * 201})
    assert "Please keep this to 200 characters or fewer (you wrote 201)." in page_text(response)
    assert snapshot() == before


def test_it_logs_a_kept_day_and_a_missed_one_with_a_setback_note(couple, client_for):
    commitment = make(couple)
    today = timezone.localdate()
    prefix = str(commitment.code)
    client = client_for(couple.partner_a)
    client.post(url(couple, prefix, "log"), {f"{prefix}-day": today, f"{prefix}-status": "kept"})
    client.post(
        url(couple, prefix, "log"),
        {
            f"{prefix}-day": today - datetime.timedelta(days=1),
            f"{prefix}-status": "missed",
            f"{prefix}-note": "A long day at work",
        },
    )
    assert list(CommitmentLog.objects.order_by("day").values_list("status", "note")) == [
        ("missed", "A long day at work"),
        ("kept", ""),
    ]
    text = page_text(client.get(url(couple)))
    assert "A long day at work" in text
    assert "missed 1." in text  # a calm count per week, no run of days


def test_logging_the_same_day_again_corrects_it(couple):
    commitment = make(couple)
    today = timezone.localdate()
    services.log_commitment(couple.partner_a, commitment, today, "missed", "")
    services.log_commitment(couple.partner_a, commitment, today, "kept", "")
    assert list(CommitmentLog.objects.values_list("status", flat=True)) == ["kept"]


def test_the_partner_can_read_but_not_log_someone_elses_commitment(couple, client_for):
    commitment = make(couple)
    prefix = str(commitment.code)
    sam = client_for(couple.partner_b)
    assert "I will text if I am running late" in page_text(sam.get(url(couple)))
    before = snapshot()
    response = sam.post(
        url(couple, prefix, "log"), {f"{prefix}-day": timezone.localdate(), f"{prefix}-status": "missed"}
    )
    assert response.status_code == 400
    assert "Only the person who made a commitment can log it." in page_text(response)
    assert snapshot() == before


def test_a_future_day_or_a_bad_status_is_refused(couple, client_for):
    commitment = make(couple)
    prefix = str(commitment.code)
    client = client_for(couple.partner_a)
    before = snapshot()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url(couple, prefix, "log"), {f"{prefix}-day": tomorrow, f"{prefix}-status": "kept"})
    assert "That day hasn&#x27;t come yet." in page_text(response)
    response = client.post(url(couple, prefix, "log"), {f"{prefix}-day": "soon", f"{prefix}-status": "perfect"})
    text = page_text(response)
    assert "Enter a date such as 2026-03-14." in text and "Choose kept or missed." in text
    assert snapshot() == before


def test_an_outsider_cannot_log_or_see_a_commitment(couple, client_for):
    commitment = make(couple)
    prefix = str(commitment.code)
    before = snapshot()
    response = client_for(couple.outsider).post(
        url(couple, prefix, "log"), {f"{prefix}-day": timezone.localdate(), f"{prefix}-status": "kept"}
    )
    assert response.status_code == 404
    assert snapshot() == before


def test_ending_a_commitment_keeps_its_history(couple, client_for):
    commitment = make(couple)
    services.log_commitment(couple.partner_a, commitment, timezone.localdate(), "kept", "")
    client_for(couple.partner_a).post(url(couple, str(commitment.code), "end"))
    commitment.refresh_from_db()
    assert commitment.ended_at is not None and commitment.logs.count() == 1


def test_commitments_for_week_gives_the_weeks_logs_in_two_queries(couple):
    week_start = datetime.date(2026, 3, 2)
    mine, theirs = make(couple), make(couple, couple.partner_b, "I will ask about your day first")
    for commitment in (mine, theirs):
        for offset in (-1, 0, 3, 7):
            CommitmentLog.objects.create(
                commitment=commitment, day=week_start + datetime.timedelta(days=offset), status="kept"
            )
    ended = make(couple, text="An old one")
    ended.ended_at = timezone.now()
    ended.save()
    relationship = couple.relationship
    with CaptureQueriesContext(connection) as context:
        commitments = services.commitments_for_week(relationship, week_start)
        days = {c.text: [log.day.day for log in c.week_logs] for c in commitments}
        names = [c.author.display_name for c in commitments]
    assert len(context.captured_queries) == 2
    assert days == {"I will text if I am running late": [2, 5], "I will ask about your day first": [2, 5]}
    assert names == ["Alex", "Sam"]


def test_the_week_partial_renders_the_commitments_for_the_check_in(couple):
    make(couple)
    make(couple, couple.partner_b, "I will ask about your day <first>")
    week_start = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    CommitmentLog.objects.create(commitment=Commitment.objects.first(), day=week_start, status="missed", note="Tired")
    html = render_to_string(
        "exercises/_week_commitments.html",
        {"commitments": services.commitments_for_week(couple.relationship, week_start), "user": couple.partner_a},
    )
    assert "<strong>You:</strong> I will text if I am running late" in html
    assert "Monday: missed (Tired)" in html
    assert "<strong>Sam:</strong> I will ask about your day &lt;first&gt;" in html


def test_the_commitments_page_costs_the_same_with_one_and_with_many(couple, client_for):
    client = client_for(couple.partner_a)
    today = timezone.localdate()

    def add(person, count):
        for number in range(count):
            commitment = services.add_commitment(person, couple.relationship, f"Commitment {number}")
            for days_ago in range(6):
                services.log_commitment(person, commitment, today - datetime.timedelta(days=days_ago), "kept", "x")

    add(couple.partner_a, 1)
    small = count_queries(client, url(couple))
    add(couple.partner_a, 4)
    add(couple.partner_b, 5)
    assert count_queries(client, url(couple)) == small
    print("commitments page queries:", small)
