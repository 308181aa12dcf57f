"""PAdES signatures on published PDFs, made with the key and certificate in the settings.

A published version's PDF is signed once, when it is rendered (and stored with
its SHA-256). A gated provider's PDF names its reader atop every page at
download: that changes the pages, which no later revision of a signed file may
do and stay valid, so the stored signed file is stamped from its unsigned
revision and the stamped copy is signed anew (``stamp_and_sign``).

PAdES baseline B-B: no timestamp server, no network; the signing time is the
signer's clock.
"""

from __future__ import annotations

import asyncio
import functools
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.keys import load_certs_from_pemder_data, load_private_key_from_pemder_data
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

T = TypeVar("T")

FIELD_NAME = "PortalSignature"


def signing_configured() -> bool:
    return bool(settings.PDF_SIGNING_KEY and settings.PDF_SIGNING_CERT)


@functools.cache
def _signer(key_pem: str, cert_pem: str, chain_pem: str, passphrase: str) -> signers.SimpleSigner:
    try:
        certs = list(load_certs_from_pemder_data(cert_pem.encode()))
        chain = list(load_certs_from_pemder_data(chain_pem.encode())) if chain_pem else []
        key = load_private_key_from_pemder_data(key_pem.encode(), passphrase.encode() or None)
    except Exception as exc:  # any malformed PEM: say which setting
        raise ImproperlyConfigured(f"PDF_SIGNING_KEY/CERT cannot be loaded: {exc}") from exc
    if not certs:
        raise ImproperlyConfigured("PDF_SIGNING_CERT holds no certificate.")
    return signers.SimpleSigner(
        signing_cert=certs[0],
        signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs(certs + chain),
    )


def signer() -> signers.SimpleSigner:
    return _signer(
        settings.PDF_SIGNING_KEY,
        settings.PDF_SIGNING_CERT,
        settings.PDF_SIGNING_CHAIN,
        settings.PDF_SIGNING_KEY_PASSPHRASE,
    )


def signer_name() -> str:
    return signer().subject_name or ""


def outside_event_loop(function: Callable[..., T], *args, **kwargs) -> T:
    """``function(*args, **kwargs)``, on another thread when this one runs an asyncio loop.

    pyHanko's synchronous API (signing, validation) calls ``asyncio.run``, which refuses
    to start inside a running loop (an ASGI worker, or Playwright's in a test process).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(data: bytes) -> bytes:
    """``data`` with a PAdES B-B signature appended as an incremental update."""
    pdf_signer = signer()
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=settings.PDF_SIGNING_REASON,
        name=pdf_signer.subject_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = outside_event_loop(signers.sign_pdf, writer, meta, signer=pdf_signer)
    return out.getvalue()


def unsigned_revision(data: bytes) -> bytes:
    """The bytes before our signature's incremental update (``data`` when unsigned).

    The signature covers ``ByteRange`` [0, a, b, c]: the signed revision ends at b + c.
    Our signing appends one revision to the rendered file, whose bytes are the
    prefix up to the ``startxref`` of the first revision's end.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if not reader.embedded_signatures:
        return data
    # The rendered file's own revision ends at its first %%EOF.
    end = data.find(b"%%EOF")
    return data[: end + len(b"%%EOF")] + b"\n"
