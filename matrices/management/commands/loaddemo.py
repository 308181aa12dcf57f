from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from audit.context import acting_as
from matrices.demo.accounts import DEMO_PASSWORD, demo_accounts_create, demo_approver
from matrices.demo.loader import demo_load, demo_publish


class Command(BaseCommand):
    help = (
        "Load the demo providers (SingleStore, ClickHouse Cloud, Astronomer Astro and a "
        "vendor-neutral template). Providers already present are left unchanged. In "
        "development it also creates one demo account per role on SingleStore."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo providers first and load them afresh (loses edits to them).",
        )
        parser.add_argument(
            "--no-accounts", action="store_true", help="Do not create the demo accounts."
        )

    def handle(self, *args, reset: bool = False, no_accounts: bool = False, **options) -> None:
        accounts = []
        with acting_as("command:loaddemo"):
            for name, outcome in demo_load(reset=reset):
                self.stdout.write(f"{name}: {outcome}")
            if not (settings.PRODUCTION or no_accounts):
                accounts = demo_accounts_create()
            for name, outcome in demo_publish(approver=demo_approver()):
                self.stdout.write(f"{name}: {outcome}")
        if accounts:
            self.stdout.write("")
            self.stdout.write(f"Demo accounts on SingleStore (password for all: {DEMO_PASSWORD}):")
            for username, role in accounts:
                self.stdout.write(f"  {username:<16} {role}")
