"""System checks: a production portal without a signing key publishes unsigned PDFs."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def pdf_signing_configured(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.PDF_SIGNING_KEY and settings.PDF_SIGNING_CERT:
        return []
    return [
        checks.Warning(
            "PDF_SIGNING_KEY and PDF_SIGNING_CERT are not set: published PDFs are not signed "
            "and the verification page cannot vouch for any file's signature.",
            hint="Give the portal a key and certificate (see 'Signed PDFs' in the README).",
            id="matrices.W001",
        )
    ]
