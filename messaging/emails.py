"""E-mails built from templates: templates/digitaix/emails/<name>{_subject.txt,.txt,.html}."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link for an e-mail: the portal's public address (DIGITAIX_SITE_URL) and `path`."""
    return settings.DIGITAIX_SITE_URL + path


def email_build(name: str, context: dict, *, to: list[str]) -> EmailMultiAlternatives:
    """A text + HTML message, its subject on one line."""
    subject = render_to_string(f"digitaix/emails/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"digitaix/emails/{name}.txt", context),
        to=to,
    )
    message.attach_alternative(
        render_to_string(f"digitaix/emails/{name}.html", context), "text/html"
    )
    return message
