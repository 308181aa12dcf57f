"""The trust center's emails: rendered from ``templates/trust/email/<name>_subject.txt``
and ``_message.txt``, sent once the write that caused them has committed."""

from __future__ import annotations

import logging
import smtplib
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

logger = logging.getLogger(__name__)


def absolute(base_url: str, path: str) -> str:
    """A link for an email, from the site's base URL (the request's, or ``SITE_URL``)."""
    return urljoin(base_url or settings.SITE_URL, path)


def subject_render(name: str, context: dict) -> str:
    """The subject of the message ``name``: plain text (never HTML-escaped: "O'Brien & Co"
    stays so) on one line (every run of white space, line breaks included, is one space,
    so a name cannot add a header)."""
    template = get_template(f"trust/email/{name}_subject.txt").template
    text = template.render(Context(context, autoescape=False))
    return settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(text.split())


def mail_on_commit(
    name: str, context: dict, to: str, *, headers: dict | None = None, about: str = ""
) -> None:
    """Email ``to`` the message ``name`` once the transaction commits (never for a write
    rolled back); a failure is logged by ``about`` (never the message: it may hold a link)."""
    subject = subject_render(name, context)
    body = render_to_string(f"trust/email/{name}_message.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers)

    def send() -> None:
        try:
            message.send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("Email %s (%s) could not be sent: %s", name, about, type(exc).__name__)

    transaction.on_commit(send)
