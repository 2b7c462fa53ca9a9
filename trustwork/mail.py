"""Every email we send has a subject, a plain-text body and an HTML body,
rendered from `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def build_message(template_prefix: str, to: str, context: dict, headers: dict | None = None):
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template_prefix}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"{template_prefix}.html", context), "text/html")
    return message


def send_templated_mail(template_prefix: str, to: str, context: dict, headers: dict | None = None) -> None:
    build_message(template_prefix, to, context, headers).send()
