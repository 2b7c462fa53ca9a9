"""Every email we send has a subject, a plain-text body and an HTML body,
rendered from `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`.

They are Django's EmailMultiAlternatives, built with the email package's
modern API as Django does, under the policy each backend passes to
`message(policy=...)` (SMTP's CRLF line ends, the console's LF), with two
changes to it (see `Message`).
"""

import email.policy
from email.headerregistry import HeaderRegistry

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

# RFC 5322 2.1.1: a line of a message must not pass 998 characters; 78 is
# only what it should keep to.
LONGEST_LINE = 998


# Headers whose value, when it is printable ASCII on one line that fits,
# the modern policy would write back exactly as it was given.
PLAIN_HEADERS = frozenset(
    {
        "subject",
        "from",
        "to",
        "message-id",
        "mime-version",
        "content-transfer-encoding",
        "list-unsubscribe",
        "list-unsubscribe-post",
        "auto-submitted",
    }
)


class PlainHeader(str):
    """A header value kept and written as it is. The email package parses
    every header into a tree on the way in and folds that tree again on the
    way out, about half of the time it takes to build a message; for a value
    that is printable ASCII, on one line, that fits, both give back the value
    itself (tests/test_mail.py compares the bytes with the stock policy's)."""

    __slots__ = ("name",)
    defects = ()
    max_count = None

    def __new__(cls, name, value):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def fold(self, *, policy):
        return f"{self.name}: {self}{policy.linesep}"


class Headers(HeaderRegistry):
    """The email package's header registry, keeping the class it makes for
    each header name (the stock one makes a new class with type() for every
    header of every message), and keeping plain values plain (PlainHeader).
    Anything else (a non-ASCII subject, an address with a display name that
    needs quoting, a long or multi-line value) goes the stock way."""

    def __init__(self):
        super().__init__()
        self._classes = {}

    def map_to_type(self, name, cls):
        super().map_to_type(name, cls)
        self._classes.pop(name.lower(), None)

    def __getitem__(self, name):
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]

    def __call__(self, name, value):
        if (
            name.lower() in PLAIN_HEADERS
            and isinstance(value, str)
            and value.isascii()
            and value.isprintable()
            and len(name) + 2 + len(value) <= LONGEST_LINE
            and not (name.lower() in ("from", "to") and _needs_quoting(value))
        ):
            return PlainHeader(name, value)
        return super().__call__(name, value)


def _needs_quoting(addresses: str) -> bool:
    """An address the stock parser would rewrite: a display name with
    characters that need quoting, or anything but name <addr> and addr."""
    return any(char in addresses for char in '"(),:;[]\\')


HEADERS = Headers()


class Message(EmailMultiAlternatives):
    """EmailMultiAlternatives under the backend's policy, with
    - lines up to the 998 characters RFC 5322 allows, not 78: the stock
      policy turns a header with no space to fold at (the signed link of
      `List-Unsubscribe: <https://...>`) into RFC 2047 encoded words,
      `=?utf-8?q?=3Chttps...?=`, which mail clients do not read as a link, and
      sends a body with a longer line (that same link in the text) as
      quoted-printable, breaking the link across lines; now both go whole,
      the bodies as 7bit when they are ASCII;
    - our header factory (`Headers`)."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=LONGEST_LINE, header_factory=HEADERS))


def render(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """Subject (on one line), text and HTML."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    return (
        subject,
        render_to_string(f"{template_prefix}.txt", context),
        render_to_string(f"{template_prefix}.html", context),
    )


def build_message(template_prefix: str, to: str, context: dict, headers: dict | None = None) -> Message:
    subject, text, html = render(template_prefix, context)
    message = Message(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers or {}
    )
    message.attach_alternative(html, "text/html")
    return message


def send_templated_mail(template_prefix: str, to: str, context: dict, headers: dict | None = None) -> None:
    build_message(template_prefix, to, context, headers).send()
