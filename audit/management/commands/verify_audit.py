import argparse

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verify import verify_chain


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


class Command(BaseCommand):
    help = (
        "Verify the audit log: walk every record in order and check its hash (with "
        "AUDIT_HMAC_KEY), its link to the record before it, and that the chain head is at "
        "the last record. Exits with status 1 at the first record altered, removed or "
        "inserted outside the application."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=positive_int,
            default=5000,
            help="Records fetched per round trip (memory stays constant; default 5000).",
        )

    def handle(self, *args, chunk_size: int = 5000, **options) -> None:
        result = verify_chain(chunk_size=chunk_size)
        if not result.ok:
            raise CommandError(
                f"Audit chain broken ({result.kind} at #{result.seq}, after {result.checked} "
                f"records verified): {result.message}",
                returncode=1,
            )
        if not result.checked:
            self.stdout.write(self.style.SUCCESS("Audit chain intact: the log is empty."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {result.checked} records verified, "
                f"last #{result.last_seq} (hash {result.last_hash[:8]}…)"
            )
        )
