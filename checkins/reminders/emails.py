"""Reminder emails, made cheaply enough for 100,000 in a couple of minutes.

A fan-out sends the same few words to many people; only the name and the
signed unsubscribe link differ. Two things made each email cost ~6 ms of CPU,
far more than the database work around it:

- rendering three templates per person. `KindTemplates` renders them once per
  kind with markers in place of the personal values, then puts each person's
  values in, escaped wherever the template escaped the marker. It checks that
  the markers came through whole, and falls back to a full render if they did
  not (say, a filter applied to the name);
- building the MIME message. Django 6 builds it with the email package's
  modern API, whose header objects cost ~5 ms per message, and which folds a
  long header into RFC 2047 encoded words: a `List-Unsubscribe: <https://...>`
  longer than a line came out as `=?utf-8?q?=3Chttps...?=`, which mail clients
  do not read as a link. `ReminderEmail.message()` builds the same two-part
  message with the standard library's email.mime classes (~1 ms), which leave
  a long URL whole; anything unusual (a non-ASCII or multi-line header, an
  attachment, a copy) goes through Django's own message() instead.
"""

import datetime
import email.policy
import re
import uuid
from email.charset import QP, Charset
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.timezone import get_current_timezone

# What differs from one person to the next; everything else in the context is
# the same for everyone who gets a reminder of a kind.
PERSONAL_FIELDS = ("display_name", "unsubscribe_url")
# Where a marker comes out as it went in, the template printed the value as it
# is; where its "&" comes out as "&amp;", the template escaped it. Any other
# form (a filter changed it) and the markers are not used at all.
_MARKER_START = "TwReminderField"
_MARKERS = {field: f"{_MARKER_START}{i}Xq&" for i, field in enumerate(PERSONAL_FIELDS)}
_MARKER_PATTERN = re.compile(_MARKER_START + r"(\d)Xq(&amp;|&)(?!amp;)")

# RFC 5322: a line is at most 998 characters; RFC 2045: 7bit means ASCII.
MAX_LINE = 998
_UTF8_7BIT = Charset("utf-8")
_UTF8_7BIT.body_encoding = None  # sent as it is: 7bit for ASCII
_UTF8_QP = Charset("utf-8")
_UTF8_QP.body_encoding = QP
# Headers message() writes itself: an extra header of one of these names goes
# through Django's message(), which knows what to do with it.
_HEADERS_OF_OUR_OWN = {
    "subject",
    "from",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
}


def render_email(template_prefix: str, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML, by the convention of trustwork.mail.build_message."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    text = render_to_string(f"{template_prefix}.txt", context)
    return subject, text, render_to_string(f"{template_prefix}.html", context)


def _markers_whole(rendered: str) -> bool:
    """Every personal value reached this rendering, and every marker in it came out whole."""
    whole = _MARKER_PATTERN.findall(rendered)
    return {int(field) for field, _ in whole} == set(range(len(PERSONAL_FIELDS))) and len(whole) == rendered.count(
        _MARKER_START
    )


class KindTemplates:
    """The three templates of one kind of reminder, rendered once."""

    def __init__(self, template_prefix: str, shared_context: dict):
        self.template_prefix = template_prefix
        self.shared_context = shared_context
        self.subject, self.text, self.html = render_email(template_prefix, {**shared_context, **_MARKERS})
        # Each personal value must reach the text and the HTML whole, printed or
        # escaped, and the subject must not depend on it; otherwise each person
        # is rendered in full.
        self.fill_in_place = _MARKER_START not in self.subject and all(
            _markers_whole(part) for part in (self.text, self.html)
        )

    def render(self, personal: dict) -> tuple[str, str, str]:
        if not self.fill_in_place:
            return render_email(self.template_prefix, {**self.shared_context, **personal})

        def fill(match):
            value = str(personal[PERSONAL_FIELDS[int(match[1])]])
            return escape(value) if match[2] == "&amp;" else value

        return self.subject, _MARKER_PATTERN.sub(fill, self.text), _MARKER_PATTERN.sub(fill, self.html)


class _Compat32(email.policy.Compat32):
    """compat32, minus the cost of a Header object for a header that already
    fits on its line: compat32 writes such a header as it is, and so does
    this, in a tenth of the time (the same bytes; a test compares them)."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and len(name) + 2 + len(value) <= self.max_line_length
            and value.isascii()
            and "\r" not in value
            and "\n" not in value
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


def _plain_header(value) -> bool:
    """ASCII on one line: written as it is, no encoding needed and no way to inject a header."""
    return isinstance(value, str) and value.isascii() and "\r" not in value and "\n" not in value


def _text_part(content: str, subtype: str, policy) -> MIMEText:
    lines_fit = all(len(line) <= MAX_LINE for line in content.splitlines())
    charset = _UTF8_7BIT if content.isascii() and lines_fit else _UTF8_QP
    return MIMEText(content, subtype, charset, policy=policy)


class ReminderEmail(EmailMultiAlternatives):
    """A reminder: a text part, an HTML alternative and our headers."""

    def message(self, *, policy=email.policy.default):
        headers = {
            "Subject": str(self.subject),
            "From": str(self.from_email),
            "To": ", ".join(self.to),
            **self.extra_headers,
        }
        usual = (
            (self.encoding or settings.DEFAULT_CHARSET).lower() in ("utf-8", "utf8")
            and len(self.to) == 1
            and not (self.cc or self.bcc or self.reply_to or self.attachments)
            and len(self.alternatives) == 1
            and self.alternatives[0].mimetype == "text/html"
            and {name.lower() for name in self.extra_headers}.isdisjoint(_HEADERS_OF_OUR_OWN)
            and all(_plain_header(value) for value in headers.values())
        )
        if not usual:
            return super().message(policy=policy)
        # The email.mime classes work with the compat32 policy; keep the line
        # ending the caller asked for (CRLF for SMTP).
        legacy = _Compat32(linesep=policy.linesep)
        parts = [
            _text_part(self.body, self.content_subtype, legacy),
            _text_part(self.alternatives[0].content, "html", legacy),
        ]
        # Left to itself the generator searches the parts for its random
        # boundary with a regular expression compiled afresh for each message.
        # "=_" never occurs in quoted-printable; 7bit text is checked.
        boundary = f"=_{uuid.uuid4().hex}"
        if any(boundary in part.get_payload() for part in parts):
            boundary = None
        msg = MIMEMultipart("alternative", boundary=boundary, policy=legacy)
        for name, value in headers.items():
            msg[name] = value
        lowered = {name.lower() for name in headers}
        if "date" not in lowered:
            zone = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else datetime.UTC
            msg["Date"] = format_datetime(datetime.datetime.now(zone))
        if "message-id" not in lowered:
            msg["Message-ID"] = make_msgid(domain=DNS_NAME)
        for part in parts:
            msg.attach(part)
        return msg
