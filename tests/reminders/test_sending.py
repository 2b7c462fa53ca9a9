"""What a reminder looks like on the wire, and how a batch of them is sent.

Each reminder is Django's EmailMultiAlternatives, rendered in full from its
three templates through trustwork.mail.build_message, and built under the
backend's own policy with trustwork.mail's header factory (URL headers written
whole); these tests hold the bytes to that.
"""

import email
import email.policy
import re
import smtplib

import pytest
from django.core import mail, signing
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from bench.mail import SmtpSink
from tests.factories import UserFactory, make_couple
from tests.reminders.conftest import SUNDAY_9_LONDON, SUNDAY_WEEK, dispatch
from trustwork import mail as our_mail
from trustwork.accounts.models import User
from trustwork.reminders import services
from trustwork.reminders.models import Delivery, Kind
from trustwork.reminders.tasks import send_reminders

TRICKY_NAMES = ["Alex", "Zoë & <Sam>", "O\"Brien's", "", "Łukasz Żółć", "x" * 60]


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
    return delivery, services.build_reminder_message(delivery)


@pytest.mark.parametrize("kind", Kind.values)
@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_it_prints_the_name_as_it_is_in_the_text_and_escaped_in_the_html(db, kind, name):
    user = UserFactory(display_name=name)
    _, message = reminder_for(user, kind)
    html = message.alternatives[0].content
    assert f"Hello {name}," in message.body
    assert f"Hello {escape(name)}," in html
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(services.unsubscribe_url(user).rsplit(":", 2)[0])  # theirs (the rest is a timestamp)
    assert link in message.body
    assert escape(link) in html
    assert name == "" or name not in message.subject


def test_it_writes_the_unsubscribe_link_whole_in_the_list_unsubscribe_header(db):
    user = UserFactory()
    _, message = reminder_for(user)
    raw = wire(message)
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(services.unsubscribe_url(user).rsplit(":", 2)[0])  # theirs (the rest is a timestamp)
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
    raw.decode()  # UTF-8 throughout: an 8bit part is Django's choice for non-ASCII text with lines that fit
    assert raw.isascii() == name.isascii()
    text = next(parsed(message).iter_parts()).get_content()
    assert text.replace("\r\n", "\n") == message.body


def test_it_hands_the_smtp_server_the_unsubscribe_link_whole(couple, settings, monkeypatch):
    """Through Django's own SMTP backend to a real (local) SMTP server: the bytes it receives."""
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    with SmtpSink() as sink:
        smtp = {"host": "127.0.0.1", "port": sink.port, "timeout": 5}
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": smtp}}
        assert services.send_deliveries(enqueued) == []
    assert len(sink.messages) == 2
    for raw in sink.messages:
        received = email.message_from_bytes(raw, policy=email.policy.default)
        # Whole, on its line: "<", the link, ">", CRLF.
        (link,) = re.findall(rb"\r\nList-Unsubscribe: <(https?://[^>\s]+)>\r\n", raw)
        path, token = link.decode().rstrip("/").rsplit("/", 1)
        assert path == settings.SITE_URL + "/reminders/unsubscribe"
        assert services.unsubscribe_problem(token) is None
        assert signing.loads(token, salt=services.UNSUBSCRIBE_SALT) == str(User.objects.get(email=received["To"]).code)
        assert b"=?" not in raw  # no RFC 2047 encoded words anywhere
        assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_its_policy_changes_nothing_a_reader_sees(db, name):
    """Against Django's stock message under the stock SMTP policy: every header
    and part reads the same; only how a URL header is folded differs."""
    user = UserFactory(display_name=name)
    delivery, message = reminder_for(user)
    ours = parsed(message)
    stock = email.message_from_bytes(
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
    ):
        assert ours[header] == stock[header], header
    assert ours["Message-ID"] == f"<reminder-{delivery.code}@trustwork>"
    assert ours["Date"]
    assert ours.get_content_type() == "multipart/alternative"
    # Line ends come back as sent, CRLF.
    ours_parts = [(part.get_content_type(), part.get_content().replace("\r\n", "\n")) for part in ours.iter_parts()]
    stock_parts = [(part.get_content_type(), part.get_content().replace("\r\n", "\n")) for part in stock.iter_parts()]
    assert ours_parts == stock_parts
    assert ours_parts[0] == ("text/plain", message.body)
    assert ours_parts[1] == ("text/html", message.alternatives[0].content)


def test_it_keeps_djangos_checks_on_headers_and_addresses(db):
    _, message = reminder_for(UserFactory())
    message.extra_headers["X-Injected"] = "one\r\nBcc: someone@example.com"
    with pytest.raises(ValueError):
        message.message(policy=email.policy.SMTP)
    _, message = reminder_for(UserFactory(email="alex@exämple.com"))
    assert parsed(message)["To"] == "alex@xn--exmple-cua.com"


def test_its_header_factory_makes_each_header_class_once():
    assert our_mail.HEADERS["Subject"] is our_mail.HEADERS["subject"]
    assert our_mail.HEADERS["List-Unsubscribe"] is not our_mail.HEADERS["Subject"]


def test_it_sends_an_ascii_body_as_it_is_with_the_link_whole(db):
    user = UserFactory()
    _, message = reminder_for(user)
    raw = wire(message)
    assert raw.count(b"Content-Transfer-Encoding: 7bit") == 2
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert f"Stop them with one click: {link}\r\n".encode() in raw


def test_it_loads_a_batch_in_one_query_and_marks_each_reminder_in_its_own_transaction(db):
    def queries_to_send(count):
        ids = unsent_deliveries(count)
        with CaptureQueriesContext(connection) as captured:
            assert services.send_deliveries(ids) == []
        return len(captured)

    small, large = queries_to_send(2), queries_to_send(10)
    print(f"\nsend queries: 2 reminders {small}, 10 reminders {large}")
    # One query loads the batch; then for each reminder the one UPDATE that
    # marks it (on PostgreSQL also setting its commit mode), in a transaction
    # of its own (a savepoint here, inside the test's transaction, so
    # SAVEPOINT and RELEASE show too). The same on both databases.
    assert (small, large) == (1 + 3 * 2, 1 + 3 * 10)


def test_it_retries_the_whole_rest_of_the_batch_when_the_mail_server_cannot_be_reached(db, monkeypatch):
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


def test_it_retries_only_the_failures_of_a_batch_and_then_sends_them(db, monkeypatch):
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


def test_it_cancels_what_is_waiting_when_the_relationship_ends(couple, monkeypatch):
    from trustwork.couples.services import end_relationship

    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
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
