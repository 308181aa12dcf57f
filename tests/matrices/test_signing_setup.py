"""The development signing pair and the production warning without one."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from matrices.checks import pdf_signing_configured


def test_signing_keys_dev_writes_a_pair_once_and_keeps_it(settings, tmp_path):
    settings.DEV_SIGNING_DIR = tmp_path / "keys"
    call_command("signing_keys", "--dev")
    key = (tmp_path / "keys" / "signing-key.pem").read_text()
    assert key.startswith("-----BEGIN PRIVATE KEY-----")
    assert (tmp_path / "keys" / "signing-cert.pem").read_text().startswith("-----BEGIN CERT")
    assert (tmp_path / "keys" / "signing-key.pem").stat().st_mode & 0o077 == 0
    call_command("signing_keys", "--dev")
    assert (tmp_path / "keys" / "signing-key.pem").read_text() == key


def test_signing_keys_refuses_production_and_anything_but_dev(settings, tmp_path):
    settings.DEV_SIGNING_DIR = tmp_path
    with pytest.raises(CommandError):
        call_command("signing_keys")
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("signing_keys", "--dev")
    assert not list(tmp_path.iterdir())


def test_the_deploy_check_warns_without_a_signing_key(settings, signing_pair):
    assert [m.id for m in pdf_signing_configured(None)] == ["matrices.W001"]
    settings.PDF_SIGNING_KEY, settings.PDF_SIGNING_CERT = signing_pair
    assert pdf_signing_configured(None) == []
