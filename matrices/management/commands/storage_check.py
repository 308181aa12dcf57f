"""Check that the file storage (PDFs, imported files) takes a file and gives it back."""

from __future__ import annotations

import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Write a small file to the configured storage (the MEDIA_ROOT folder, or the "
        "STORAGE_BUCKET bucket), read it back and delete it. --create-bucket creates a "
        "missing bucket (private); --wait retries while the storage does not answer yet, "
        "as when it starts beside the portal. Exits with status 1 when storage fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--create-bucket", action="store_true", help="Create STORAGE_BUCKET if it is missing."
        )
        parser.add_argument(
            "--wait",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep trying for this long while the storage does not answer (default 0).",
        )

    def handle(self, *args, create_bucket: bool = False, wait: int = 0, **options) -> None:
        deadline = time.monotonic() + max(wait, 0)
        while True:
            try:
                where = self.check(create_bucket=create_bucket)
            except Exception as exc:
                if time.monotonic() >= deadline:
                    raise CommandError(f"Storage failed: {exc}", returncode=1) from exc
                time.sleep(2)
            else:
                self.stdout.write(self.style.SUCCESS(f"Storage works: {where}."))
                return

    def check(self, *, create_bucket: bool) -> str:
        bucket = getattr(default_storage, "bucket_name", None)
        if bucket:
            where = f"bucket {bucket!r}" + (
                f" at {default_storage.endpoint_url}" if default_storage.endpoint_url else ""
            )
            if create_bucket:
                self.bucket_create(bucket)
        else:
            where = f"folder {default_storage.location}"
        name = default_storage.save(f"storage-check/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
        try:
            with default_storage.open(name, "rb") as handle:
                if handle.read() != b"ok":
                    raise CommandError(f"{name} came back different from what was written.")
        finally:
            default_storage.delete(name)
        return where

    def bucket_create(self, bucket: str) -> None:
        from botocore.exceptions import ClientError

        client = default_storage.connection.meta.client
        try:
            client.head_bucket(Bucket=bucket)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket"):
                raise
            region = default_storage.region_name
            where = {"LocationConstraint": region} if region and region != "us-east-1" else None
            client.create_bucket(
                Bucket=bucket, **({"CreateBucketConfiguration": where} if where else {})
            )
            self.stdout.write(f"Created the bucket {bucket!r}.")
