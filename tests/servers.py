"""Real servers in their own processes, for the tests that need one: an S3-protocol
server (moto's), the portal under gunicorn, a Celery worker.

Each is started with ``running(...)``, which waits until it answers and stops it
(and prints its output if the test failed while it ran) on the way out.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    """True when ``url`` gives any HTTP answer (an error status is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a local test server)
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@contextmanager
def running(
    name: str,
    argv: list[str],
    *,
    ready: Callable[[str], bool],
    env: dict[str, str] | None = None,
) -> Iterator[subprocess.Popen]:
    """Run ``argv`` until the block ends. ``ready`` is given the output so far and polled
    (for up to 30 s) before the block starts."""
    log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603 (the tests' own commands)
        argv,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready(Path(log.name).read_text(errors="replace")):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n{Path(log.name).read_text()[-3000:]}")
            time.sleep(0.2)
        yield process
    except BaseException:
        print(f"--- {name} output ({log.name}) ---\n{Path(log.name).read_text()[-3000:]}")
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def s3_server() -> Iterator[str]:
    """moto's standalone S3-protocol server; yields its endpoint URL."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    argv = [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    with running("moto_server", argv, ready=lambda output: answers(endpoint)):
        yield endpoint


@contextmanager
def web_server(env: dict[str, str]) -> Iterator[str]:
    """The portal under gunicorn (two workers) on a port of its own; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    argv = [
        *(str(BIN / "gunicorn"), "portal.wsgi:application", "--bind", f"127.0.0.1:{port}"),
        *("--workers", "2", "--access-logfile", "-"),
    ]
    up = lambda output: answers(f"{base}/healthz")  # noqa: E731
    with running(f"gunicorn-{port}", argv, ready=up, env=env):
        yield base


@contextmanager
def celery_worker(env: dict[str, str], name: str) -> Iterator[None]:
    """A Celery worker (one process) on the broker ``env`` names."""
    argv = [
        *(str(BIN / "celery"), "-A", "portal", "worker", "--pool", "solo"),
        *("--loglevel", "INFO", "--hostname", f"{name}@%h"),
    ]
    with running(name, argv, ready=lambda output: " ready." in output, env=env):
        yield


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )


def s3_storage(endpoint: str, bucket: str) -> dict:
    """The STORAGES["default"] the settings build from STORAGE_* for this bucket."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "test-key",
            "secret_key": "test-secret",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
