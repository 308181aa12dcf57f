"""`make bench`, PDF part 2: the first request of a PDF (rendered) against a repeat
request of the same key (served from storage). Target: the repeat >= 100x faster."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="srm-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{scratch}/media"
os.environ.pop("CELERY_BROKER_URL", None)  # render in-process (eager), as in development
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def timed_download(client: Client) -> float:
    started = time.perf_counter()
    status = client.get("/providers/singlestore/pdf/?variant=matrix&version=1")
    download = client.get(status["Location"] + "download/")
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF"), download.status_code
    return (time.perf_counter() - started) * 1000


call_command("migrate", verbosity=0)
call_command("loaddemo", "--no-accounts", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
client = Client()
first = timed_download(client)
repeats = sorted(timed_download(client) for _ in range(9))
repeat = repeats[len(repeats) // 2]
print(
    f"SingleStore matrix PDF: first request (render + download) {first:.0f} ms, "
    f"repeat (stored file) {repeat:.1f} ms, {first / repeat:.0f}x faster (target >= 100x)"
)
