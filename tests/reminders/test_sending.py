"""What a reminder looks like on the wire, and how a batch of them is sent.

The send renders each kind's templates once per batch and builds the MIME
message with the standard library's email.mime classes (see
checkins/reminders/emails.py); these tests hold both to what a full render and
Django's own message() would give.
"""

import datetime
import email
import email.policy
import smtplib

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkins.reminders import emails, services
from checkins.reminders.models import Delivery, Kind
from checkins.reminders.tasks import send_reminders
from tests.factories import UserFactory, make_couple
from tests.reminders.conftest import SUNDAY_WEEK

UTC = datetime.UTC
SUNDAY_9_LONDON = datetime.datetime(2026, 7, 5, 8, 0, tzinfo=UTC)
TRICKY_NAMES = ["Alex", "Zoë & <Sam>", "O\"Brien's", "", "Łukasz Żółć", "TwReminderField0Xq", "x" * 60]


@pytest.fixture
def nobody_has_steps_waiting(monkeypatch):
    monkeypatch.setattr("exercises.services.users_with_steps_waiting", lambda user_ids: set())


def unsent_deliveries(people_count, kind=Kind.CHECKIN_OPEN) -> list[int]:
    """`people_count` people (in couples) with a delivery of `kind` written and not sent; their ids."""
    people = [UserFactory() for _ in range(people_count)]
    for first, second in zip(people[::2], people[1::2], strict=True):
        make_couple(first, second)
    deliveries = Delivery.objects.bulk_create(Delivery(recipient=p, kind=kind, period=SUNDAY_WEEK) for p in people)
    return [d.pk for d in deliveries]


def wire(message) -> bytes:
    """The bytes the SMTP backend would write for this message."""
    return message.message(policy=email.policy.SMTP).as_bytes()


def parsed(message):
    return email.message_from_bytes(wire(message), policy=email.policy.default)


def reminder_for(user, kind=Kind.CHECKIN_OPEN):
    delivery = Delivery(recipient=user, kind=kind, period=SUNDAY_WEEK)
    return delivery, services.build_reminder_message(delivery, services.templates_for(kind))


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_it_renders_each_person_as_a_full_render_would(db, kind, name):
    user = UserFactory(display_name=name)
    link = services.unsubscribe_url(user)
    context = {"kind": kind, "settings_path": "/reminders/", "display_name": name, "unsubscribe_url": link}
    templates = services.templates_for(kind)
    assert templates.fill_in_place
    assert templates.render({"display_name": name, "unsubscribe_url": link}) == emails.render_email(
        f"reminders/email/{kind}", context
    )


def kind_templates_from(tmp_path, settings, subject, text, html) -> emails.KindTemplates:
    for name, content in (("odd_subject.txt", subject), ("odd.txt", text), ("odd.html", html)):
        (tmp_path / name).write_text(content)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return emails.KindTemplates("odd", {})


@pytest.mark.parametrize(
    "text",
    [
        "{{ display_name }} {{ unsubscribe_url }}",  # escaped, like the HTML
        "{% autoescape off %}{{ display_name }} {{ unsubscribe_url }}{% endautoescape %}",
        "{{ display_name|safe }} and {{ display_name }} {{ unsubscribe_url }}",
    ],
)
def test_it_escapes_each_value_where_the_template_escapes_it(db, settings, tmp_path, text):
    templates = kind_templates_from(tmp_path, settings, "Hi", text, "<p>{{ display_name }}</p> {{ unsubscribe_url }}")
    personal = {"display_name": "Zoë & <Sam>", "unsubscribe_url": "https://x.example/u?a=1&b=2"}
    assert templates.fill_in_place
    assert templates.render(personal) == emails.render_email("odd", personal)


@pytest.mark.parametrize(
    "text",
    [
        "{{ display_name|upper }} {{ unsubscribe_url }}",
        "{{ display_name|force_escape|force_escape }} {{ unsubscribe_url }}",  # escaped twice
        "{% if display_name %}{{ display_name }}{% endif %} {{ unsubscribe_url|urlencode }}",
        "{{ unsubscribe_url }}",  # no name at all
    ],
)
def test_it_renders_in_full_when_a_template_does_more_than_print_a_personal_value(db, settings, tmp_path, text):
    templates = kind_templates_from(tmp_path, settings, "Hi", text, "{{ display_name }} {{ unsubscribe_url }}")
    assert not templates.fill_in_place
    personal = {"display_name": "Zoë & Sam", "unsubscribe_url": "https://x.example/u?a=1&b=2"}
    assert templates.render(personal) == emails.render_email("odd", personal)


def test_it_renders_in_full_when_the_subject_names_the_person(db, settings, tmp_path):
    templates = kind_templates_from(
        tmp_path,
        settings,
        "For {{ display_name }}",
        "{{ display_name }} {{ unsubscribe_url }}",
        "{{ display_name }} {{ unsubscribe_url }}",
    )
    assert not templates.fill_in_place


def test_it_writes_the_unsubscribe_link_whole_in_the_list_unsubscribe_header(db):
    user = UserFactory()
    _, message = reminder_for(user)
    raw = wire(message)
    link = services.unsubscribe_url(user)
    assert len(link) > 78  # longer than a header line should be: the case the email package mangles
    assert f" <{link}>\r\n".encode() in raw  # whole, on a (folded) line of its own
    assert b"=?" not in raw  # no RFC 2047 encoded words, which a mail client would not read as a link
    assert parsed(message)["List-Unsubscribe"].strip() == f"<{link}>"
    assert parsed(message)["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("name", ["Alex", "Łukasz Żółć"])
def test_it_writes_crlf_lines_no_longer_than_smtp_allows(db, name):
    _, message = reminder_for(UserFactory(display_name=name))
    message.body += "A line longer than SMTP allows: " + "word " * 300 + "\n"
    raw = wire(message)
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert raw.isascii()
    text = next(parsed(message).iter_parts()).get_content()
    assert text.replace("\r\n", "\n") == message.body


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_it_says_on_the_wire_what_django_would_have_said(db, name):
    user = UserFactory(display_name=name)
    delivery, message = reminder_for(user)
    ours = parsed(message)
    django = email.message_from_bytes(
        EmailMultiAlternatives.message(message, policy=email.policy.SMTP).as_bytes(), policy=email.policy.default
    )
    for header in (
        "Subject",
        "From",
        "To",
        "Message-ID",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "Auto-Submitted",
        "MIME-Version",
    ):
        assert ours[header].strip() == django[header].strip(), header
    assert ours["Message-ID"] == f"<reminder-{delivery.code}@trustwork>"
    assert ours["Date"]
    assert ours.get_content_type() == "multipart/alternative"
    # Line ends come back as sent: CRLF from a 7bit part, LF from a quoted-printable one.
    ours_parts = [(part.get_content_type(), part.get_content().replace("\r\n", "\n")) for part in ours.iter_parts()]
    django_parts = [(part.get_content_type(), part.get_content().replace("\r\n", "\n")) for part in django.iter_parts()]
    assert ours_parts == django_parts
    assert ours_parts[0] == ("text/plain", message.body)
    assert ours_parts[1] == ("text/html", message.alternatives[0].content)


def test_it_leaves_anything_unusual_to_djangos_own_message(db):
    _, message = reminder_for(UserFactory())
    message.extra_headers["X-Injected"] = "one\r\nBcc: someone@example.com"
    with pytest.raises(ValueError):
        message.message(policy=email.policy.SMTP)
    _, message = reminder_for(UserFactory(email="alex@exämple.com"))
    assert parsed(message)["To"] == "alex@xn--exmple-cua.com"


@pytest.mark.parametrize(
    "value",
    [
        "Your weekly check-in is open",
        "trustwork <hello@trustwork.example>",
        "a  b\tc",
        " lead",
        "x" * 60,
        "y " * 40,
        "z" * 200,
        'multipart/alternative; boundary="=_780f949733124a8faf17800d2325e7f9"',
    ],
)
def test_its_header_shortcut_writes_the_same_bytes_as_compat32(value):
    ours = emails._Compat32(linesep="\r\n")
    stock = email.policy.compat32.clone(linesep="\r\n")
    for name in ("Subject", "Content-Type", "List-Unsubscribe"):
        assert ours.fold_binary(name, value) == stock.fold_binary(name, value)


def test_it_loads_a_batch_in_one_query_and_marks_each_reminder_in_its_own_transaction(db, nobody_has_steps_waiting):
    def queries_to_send(count):
        ids = unsent_deliveries(count)
        with CaptureQueriesContext(connection) as captured:
            assert services.send_deliveries(ids) == []
        return len(captured)

    small, large = queries_to_send(2), queries_to_send(10)
    print(f"\nsend queries: 2 reminders {small}, 10 reminders {large}")
    # One query loads the batch; then for each reminder SET LOCAL and the
    # UPDATE that marks it, in a transaction of its own (a savepoint here,
    # inside the test's transaction, so SAVEPOINT and RELEASE show too).
    assert (small, large) == (1 + 4 * 2, 1 + 4 * 10)


def test_it_retries_the_whole_rest_of_the_batch_when_the_mail_server_cannot_be_reached(
    db, monkeypatch, nobody_has_steps_waiting
):
    from django.core.mail.backends.locmem import EmailBackend

    ids = unsent_deliveries(4)
    attempts = []

    def unreachable(self):
        attempts.append(1)
        raise ConnectionRefusedError()

    monkeypatch.setattr(EmailBackend, "open", unreachable)
    assert services.send_deliveries(ids) == ids
    assert len(attempts) == 1  # not one connection timeout per reminder
    assert mail.outbox == []
    assert Delivery.objects.filter(pk__in=ids, sent_at__isnull=True, failed_at__isnull=True).count() == 4


def test_it_retries_only_the_failures_of_a_batch_and_then_sends_them(db, monkeypatch, nobody_has_steps_waiting):
    from celery.exceptions import Retry
    from django.core.mail.backends.locmem import EmailBackend

    ids = unsent_deliveries(6)
    refused = set(Delivery.objects.filter(pk__in=ids[1::2]).values_list("recipient__email", flat=True))
    deliver = EmailBackend.send_messages

    def refusing(self, messages):
        if refused & set(messages[0].recipients()):
            raise smtplib.SMTPServerDisconnected("busy")
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    retried = {}
    monkeypatch.setattr(send_reminders, "retry", lambda args, countdown: retried.update(args=args) or Retry())
    with pytest.raises(Retry):
        send_reminders.apply(args=[ids], throw=True)
    assert retried["args"] == [ids[1::2]]
    assert len(mail.outbox) == 3

    refused.clear()  # the server takes them now: the retry sends those three, and nothing twice
    send_reminders.apply(args=retried["args"], throw=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Delivery.objects.filter(pk__in=ids).values_list("recipient__email", flat=True)
    )
    assert Delivery.objects.filter(pk__in=ids, sent_at__isnull=False).count() == 6


def test_it_cancels_what_is_waiting_when_the_relationship_ends(couple, monkeypatch, nobody_has_steps_waiting):
    from trustwork.couples.services import end_relationship

    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    services.dispatch_due_reminders(now=SUNDAY_9_LONDON)
    assert Delivery.objects.unsent().count() == 2
    end_relationship(couple.relationship, couple.partner_b)
    # In the same transaction as the end: a send holding a delivery's row lock
    # would make it wait, and then find it cancelled.
    assert Delivery.objects.unsent().count() == 0
    assert services.send_deliveries(enqueued) == []
    assert mail.outbox == []


def test_it_cancels_a_waiting_nudge_when_nudges_are_turned_off(people):
    alex = people.partner_a
    nudge = Delivery.objects.create(recipient=alex, kind=Kind.EXERCISE_WAITING, period=SUNDAY_WEEK)
    check_in = Delivery.objects.create(recipient=alex, kind=Kind.CHECKIN_OPEN, period=SUNDAY_WEEK)
    preference = services.preference_for(alex)
    preference.exercise_nudges = False
    services.save_preferences(alex, preference, alex.time_zone)
    nudge.refresh_from_db()
    check_in.refresh_from_db()
    assert nudge.cancelled_at is not None
    assert check_in.cancelled_at is None
