"""A Python client generated from the schema by a tool nobody here wrote works.

openapi-python-client generates a client from the schema; every module of it
imports, and it does a read-modify-write of a cell against a live server with
an API token, including the 409 of a stale version."""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import TokenScope
from accounts.roles import Role
from accounts.services import role_set
from accounts.tokens import token_create
from tests.factories import small_provider

PACKAGE = "srm_client"


@pytest.fixture
def generated_client(tmp_path, monkeypatch):
    """The generated package, importable for this test only."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    config = tmp_path / "config.yaml"
    config.write_text(f"post_hooks: []\npackage_name_override: {PACKAGE}\n")
    tool = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(  # noqa: S603 - our own tool and files
        [
            str(tool),
            "generate",
            "--path",
            str(path),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    yield importlib.import_module(PACKAGE)
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_imports_and_edits_a_cell_with_a_409_on_a_stale_version(
    generated_client, live_server, django_user_model
):
    api = importlib.import_module(f"{PACKAGE}.api")
    broken = []
    for module in pkgutil.walk_packages(api.__path__, f"{PACKAGE}.api."):
        try:
            importlib.import_module(module.name)
        except Exception as exc:
            broken.append(f"{module.name}: {exc!r}")
    assert broken == []

    provider = small_provider("generated")
    editor = django_user_model.objects.create_user("client-editor", password="x-Pass-12345")
    role_set(actor=None, provider=provider, principal=editor, role=Role.EDITOR)
    _, secret = token_create(user=editor, name="generated client", scope=TokenScope.READ_WRITE)

    from srm_client import AuthenticatedClient
    from srm_client.api.cells import cells_retrieve, cells_update
    from srm_client.models import CellWrite, DutyInput, Error

    client = AuthenticatedClient(base_url=live_server.url, token=secret)
    cell = cells_retrieve.sync("generated", "hosted", "keys", client=client)
    assert [duty.text for duty in cell.duties] == ["Rotate the keys every year."]

    change = CellWrite(
        ownership=cell.ownership,
        duties=[
            DutyInput(party=duty.party, text=duty.text.replace("year", "quarter"))
            for duty in cell.duties
        ],
        version=cell.version,
        reason="generated client",
    )
    saved = cells_update.sync_detailed("generated", "hosted", "keys", client=client, body=change)
    assert saved.status_code == 200
    assert saved.parsed.version == cell.version + 1
    assert [duty.text for duty in saved.parsed.duties] == ["Rotate the keys every quarter."]

    stale = cells_update.sync_detailed("generated", "hosted", "keys", client=client, body=change)
    assert stale.status_code == 409
    assert isinstance(stale.parsed, Error)
    assert stale.parsed.error.code == "conflict"
    assert stale.parsed.error.details["current_version"] == cell.version + 1
    again = cells_retrieve.sync("generated", "hosted", "keys", client=client)
    assert again.version == cell.version + 1
