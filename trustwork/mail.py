"""Every email we send has a subject, a plain-text body and an HTML body,
rendered from `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`.

They are Django's EmailMultiAlternatives, built with the email package's
modern API as Django does, with one change to the policy each backend passes
to `message(policy=...)`: its header factory (see `Message`).
"""

import email.policy
from email.headerregistry import HeaderRegistry, UnstructuredHeader

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

# RFC 5322 2.1.1: a line of a message must not pass 998 characters (78 is only
# what it should keep to).
LONGEST_LINE = 998
# RFC 2369: headers whose value is a list of <URL>s.
URL_LIST_HEADERS = ("list-help", "list-unsubscribe", "list-subscribe", "list-post", "list-owner", "list-archive")


class UrlListHeader(UnstructuredHeader):
    """A header of <URL>s written whole. The default folding breaks a value
    longer than 78 characters that has no space to fold at (a signed
    unsubscribe link) into RFC 2047 encoded words, `=?utf-8?q?=3Chttps...?=`,
    which mail clients do not read as a link; a URL has no place to fold, so
    it gets the whole line the RFC allows."""

    max_count = 1

    def fold(self, *, policy):
        return super().fold(policy=policy.clone(max_line_length=LONGEST_LINE))


class Headers(HeaderRegistry):
    """The email package's header registry, with the URL-list headers, and
    keeping the class it makes for each header name: the stock registry makes
    a new class with type() for every header of every message, about a third
    of the time it takes to build one."""

    def __init__(self):
        super().__init__()
        self._classes = {}
        for name in URL_LIST_HEADERS:
            self.map_to_type(name, UrlListHeader)

    def map_to_type(self, name, cls):
        super().map_to_type(name, cls)
        self._classes.pop(name.lower(), None)

    def __getitem__(self, name):
        key = name.lower()
        if key not in self._classes:
            self._classes[key] = super().__getitem__(name)
        return self._classes[key]


HEADERS = Headers()


class Message(EmailMultiAlternatives):
    """EmailMultiAlternatives, built under the backend's policy (SMTP's CRLF
    line ends, the console's LF, ...) with our header factory."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(header_factory=HEADERS))


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
