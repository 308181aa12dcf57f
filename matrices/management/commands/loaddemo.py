from django.core.management.base import BaseCommand, CommandParser

from matrices.demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo providers (SingleStore, ClickHouse Cloud, Astronomer Astro and a "
        "vendor-neutral template). Providers already present are left unchanged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo providers first and load them afresh (loses edits to them).",
        )

    def handle(self, *args, reset: bool = False, **options) -> None:
        for name, outcome in demo_load(reset=reset):
            self.stdout.write(f"{name}: {outcome}")
