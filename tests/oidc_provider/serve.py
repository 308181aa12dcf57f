"""Start the test identity provider: ``python -m tests.oidc_provider.serve PORT``.

Reads IDP_DATA_DIR (a temporary folder), IDP_CLIENT_ID, IDP_CLIENT_SECRET and
IDP_REDIRECT_URIS (space-separated); makes an RSA key there, migrates its database,
registers the portal as a confidential authorization-code client (RS256, consent
skipped) and serves on 127.0.0.1:PORT.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def _key(path: Path) -> None:
    if path.exists():
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def main(port: str) -> None:
    _key(Path(os.environ["IDP_DATA_DIR"]) / "key.pem")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from oauth2_provider.models import Application

    Application.objects.update_or_create(
        client_id=os.environ["IDP_CLIENT_ID"],
        defaults={
            "name": "SRM Portal",
            "client_secret": os.environ["IDP_CLIENT_SECRET"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": os.environ["IDP_REDIRECT_URIS"],
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1])
