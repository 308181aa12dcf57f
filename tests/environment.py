"""The settings a new process builds from a given environment (portal.settings reads it once,
at import, so a test that varies the environment imports them in a process of its own)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.servers import ROOT


def settings_from_env(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Import portal.settings in a new process with ``env`` (and no other OIDC_ or SSO_
    variable); its stdout is the JSON of the settings ``names``."""
    code = (
        "import json, sys; from portal import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in sys.argv[1:]}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "SSO_"))}
    return subprocess.run(  # noqa: S603 (the test's own command)
        [sys.executable, "-c", code, *names],
        env={**clean, "PORTAL_ENV": "development", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
