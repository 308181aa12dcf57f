"""Real servers in their own processes, for the tests that need one: an S3-protocol
server (moto's), an SMTP server (aiosmtpd's), an OpenID Connect identity provider
(django-oauth-toolkit's, tests/oidc_provider), the portal under gunicorn, a Celery worker.

Each is started with ``running(...)``, which waits until it answers and stops it
(and prints its output if the test failed while it ran) on the way out.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import mailbox
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


def accepts(port: int) -> bool:
    """True when something listens on 127.0.0.1:``port``."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def smtp_server(maildir: Path) -> Iterator[int]:
    """aiosmtpd's SMTP server, delivering every message into the Maildir ``maildir``;
    yields its port."""
    port = free_port()
    argv = [
        *(str(BIN / "python"), "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"),
        *("-c", "aiosmtpd.handlers.Mailbox", str(maildir)),
    ]
    with running("aiosmtpd", argv, ready=lambda output: accepts(port)):
        yield port


class Mailbox:
    """The messages the SMTP server was given, read from its Maildir."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    def clear(self) -> None:
        box = mailbox.Maildir(self.maildir)
        for key in list(box.keys()):
            box.remove(key)

    def messages(self, to: str | None = None) -> list[email.message.EmailMessage]:
        """Every delivered message (oldest first), or those addressed to ``to``."""
        box = mailbox.Maildir(self.maildir, factory=None)
        found = []
        for key in box.iterkeys():
            with box.get_file(key) as raw:
                message = email.message_from_binary_file(raw, policy=email.policy.default)
            if to is None or to.lower() in message.get("To", "").lower():
                found.append(message)
        return sorted(found, key=lambda m: email.utils.parsedate_to_datetime(m["Date"]))

    def wait_for(self, to: str, count: int = 1, timeout: float = 10) -> list:
        """The messages to ``to``, once at least ``count`` arrived (a worker may send them)."""
        deadline = time.monotonic() + timeout
        while len(found := self.messages(to)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} message(s) to {to} expected, {len(found)} came")
            time.sleep(0.1)
        return found

    @staticmethod
    def text(message: email.message.EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    @classmethod
    def links(cls, message: email.message.EmailMessage) -> list[str]:
        """The http(s) links in the message's plain-text body, in order."""
        return re.findall(r"https?://[^\s<>\"]+", cls.text(message))


# Where the identity provider may send people back to: the test client's portal, and the
# portal on any port of 127.0.0.1 (a loopback redirect URI matches every port, RFC 8252).
SSO_CALLBACK = "/accounts/oidc/sso/login/callback/"
IDP_REDIRECT_URIS = (f"http://testserver{SSO_CALLBACK}", f"http://127.0.0.1{SSO_CALLBACK}")


@dataclass
class IdentityProvider:
    """The test identity provider: its issuer, the portal's client, and its people."""

    base: str
    data_dir: Path
    client_id: str = "srm-portal"
    client_secret: str = "srm-portal-test-secret"

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def person(
        self,
        username: str,
        *,
        email: str,
        email_verified: bool = True,
        password: str = "idp-Pass-12345",  # noqa: S107
        **claims,
    ) -> None:
        """Add ``username`` (or change their claims: ``groups=[...]``, ``name=...``); the
        server reads the file at each request."""
        path = self.data_dir / "people.json"
        people = json.loads(path.read_text()) if path.exists() else {}
        people[username] = {
            "password": password,
            "email": email,
            "email_verified": email_verified,
            **claims,
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(people))
        tmp.replace(path)


@contextmanager
def oidc_provider(data_dir: Path) -> Iterator[IdentityProvider]:
    """The test identity provider (tests/oidc_provider: django-oauth-toolkit in OpenID
    Connect mode, under runserver) with its database and RSA key in ``data_dir``."""
    port = free_port()
    idp = IdentityProvider(base=f"http://127.0.0.1:{port}", data_dir=data_dir)
    env = {
        "IDP_DATA_DIR": str(data_dir),
        "IDP_CLIENT_ID": idp.client_id,
        "IDP_CLIENT_SECRET": idp.client_secret,
        "IDP_REDIRECT_URIS": " ".join(IDP_REDIRECT_URIS),
    }
    argv = [str(BIN / "python"), "-m", "tests.oidc_provider.serve", str(port)]
    up = lambda output: answers(f"{idp.issuer}/.well-known/openid-configuration")  # noqa: E731
    with running("oidc-provider", argv, ready=up, env=env):
        yield idp


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
