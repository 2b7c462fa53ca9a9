"""trustwork.mail builds Django's EmailMultiAlternatives under the backend's
policy, with a header factory that keeps plain values plain (PlainHeader):
the bytes it gives are the stock policy's, header for header."""

import email
import email.policy

import pytest

from trustwork.mail import LONGEST_LINE, Message, PlainHeader

LINK = "https://trustwork.example/reminders/unsubscribe/" + "x" * 150 + "/"


def _message(**overrides):
    fields = {
        "subject": "Your weekly check-in is open",
        "body": "Hello Alex,\n\nYour check-in is open.\n",
        "from_email": "trustwork <hello@trustwork.example>",
        "to": ["alex@example.com"],
        "headers": {
            "Message-ID": "<reminder-1@trustwork>",
            "Date": "Tue, 01 Dec 2026 09:00:00 +0000",
            "List-Unsubscribe": f"<{LINK}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    }
    fields.update(overrides)
    message = Message(**fields)
    message.attach_alternative("<p>Hello Alex,</p>", "text/html")
    return message


def _stock_bytes(message, policy):
    """What Django's own message() gives under the same line length, with the
    email package's own header factory."""
    stock = super(Message, message).message(policy=policy.clone(max_line_length=LONGEST_LINE))
    boundary = message.message(policy=policy).get_boundary()
    stock.set_boundary(boundary)
    return stock, boundary


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"subject": "Ton check-in de la semaine est ouvert, Zoé"},  # not ASCII: the stock way
        {"from_email": '"Dr. Rivera, trustwork" <hello@trustwork.example>'},  # needs quoting: the stock way
        {"to": ["alex@example.com", "sam@example.com"]},
        {"subject": "A gentle reminder " * 70},  # longer than a line: the stock way
    ],
)
@pytest.mark.parametrize("policy", [email.policy.SMTP, email.policy.default])
def test_it_gives_the_bytes_of_the_stock_policy(overrides, policy):
    message = _message(**overrides)
    ours = message.message(policy=policy)
    stock, boundary = _stock_bytes(message, policy)
    ours.set_boundary(boundary)
    assert ours.as_bytes() == stock.as_bytes()


def test_it_keeps_plain_values_plain_and_the_rest_parsed():
    ours = _message(subject="Ça va?").message(policy=email.policy.SMTP)
    assert isinstance(ours["List-Unsubscribe"], PlainHeader)
    assert isinstance(ours["To"], PlainHeader)
    assert not isinstance(ours["Subject"], PlainHeader)
    assert not isinstance(ours["Content-Type"], PlainHeader)
    assert ours["Subject"] == "Ça va?"


def test_it_writes_the_unsubscribe_link_whole():
    raw = _message().message(policy=email.policy.SMTP).as_bytes()
    assert f"List-Unsubscribe: <{LINK}>\r\n".encode() in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == f"<{LINK}>"


@pytest.mark.parametrize("value", ["hello\nBcc: someone@example.com", "hello\r\nBcc: someone@example.com"])
def test_it_lets_the_stock_factory_refuse_a_header_injection(value):
    with pytest.raises(ValueError):
        _message(subject=value).message(policy=email.policy.SMTP)
