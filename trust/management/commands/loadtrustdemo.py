from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from audit.context import acting_as
from matrices.demo.accounts import DEMO_PASSWORD
from trust.demo import trust_demo_accounts, trust_demo_load

DROP_EMAILS = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Load the trust-center demo (development only; run loaddemo first): ClickHouse Cloud "
        "private behind its trust center, with an NDA, readers, requests waiting and two "
        "months of reading; SingleStore's open trust center with two subscribers. Steps "
        "already done are skipped, so running it twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-emails",
            action="store_true",
            help="Send the emails the steps cause (to invented .example addresses); "
            "by default they are dropped.",
        )

    def handle(self, *args, send_emails: bool = False, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError("The trust-center demo is never loaded in production.")
        backend = settings.EMAIL_BACKEND if send_emails else DROP_EMAILS
        with override_settings(EMAIL_BACKEND=backend), acting_as("command:loadtrustdemo"):
            lines = trust_demo_load(production=settings.PRODUCTION)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Demo readers of ClickHouse Cloud (password: {DEMO_PASSWORD}):")
        for username, what in trust_demo_accounts():
            self.stdout.write(f"  {username:<16} {what}")
