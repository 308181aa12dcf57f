"""Email leaves through SMTP, configured from the environment; a real SMTP server process
receives it in the tests."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core import mail as django_mail

from tests.servers import ROOT, Mailbox

pytestmark = pytest.mark.django_db

SETTINGS = (
    "import django; from django.conf import settings; django.setup(); "
    "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, "
    "settings.EMAIL_USE_TLS, settings.EMAIL_USE_SSL, settings.DEFAULT_FROM_EMAIL)"
)


def settings_from(env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 (the test's own interpreter)
        [sys.executable, "-c", SETTINGS],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or result.stderr.strip().splitlines()[-1]


def test_development_prints_email_to_the_console_without_a_host():
    assert settings_from({}).startswith("django.core.mail.backends.console.EmailBackend")


def test_an_email_host_sends_through_smtp_with_starttls_on_port_587():
    out = settings_from({"EMAIL_HOST": "smtp.example.com", "EMAIL_FROM": "Portal <p@example.com>"})
    assert out == (
        "django.core.mail.backends.smtp.EmailBackend smtp.example.com 587 True False "
        "Portal <p@example.com>"
    )


def test_port_465_means_tls_from_the_start():
    out = settings_from({"EMAIL_HOST": "smtp.example.com", "EMAIL_PORT": "465"})
    assert " 465 False True " in out


def test_production_refuses_to_start_without_an_email_host():
    out = settings_from(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "x" * 50,
            "AUDIT_HMAC_KEY": "y" * 50,
            "ALLOWED_HOSTS": "portal.example.com",
            "DATABASE_URL": "postgres://u@localhost/db",
            "CELERY_BROKER_URL": "redis://localhost:6379/0",
        }
    )
    assert "EMAIL_HOST must be set in production" in out


def test_a_password_reset_email_arrives_through_the_smtp_server_with_a_working_link(
    client, mail: Mailbox
):
    get_user_model().objects.create_user("dana", "dana@example.com", "correct-Horse-42")
    response = client.post("/accounts/password/reset/", {"email": "dana@example.com"})
    assert response.status_code == 302
    assert django_mail.outbox == []  # not the in-memory outbox: the real server got it
    (message,) = mail.wait_for("dana@example.com")
    assert message["Subject"].startswith("[SRM Portal] ")
    (link,) = [url for url in Mailbox.links(message) if "/password/reset/key/" in url]
    page = client.get(link.removeprefix("http://testserver"), follow=True)
    assert page.status_code == 200
    assert b'name="password1"' in page.content
