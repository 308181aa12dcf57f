"""Signed PDFs validate with pyHanko's validator against the signing certificate; one changed
byte does not."""

from __future__ import annotations

import io

import pytest
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from matrices.pdf.render import render_pdf
from matrices.pdf.sign import outside_event_loop, sign_pdf, unsigned_revision
from tests.matrices.pdf import pdftools


def status_of(data: bytes, cert_pem: str):
    roots = list(load_certs_from_pemder_data(cert_pem.encode()))
    signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0]
    return outside_event_loop(
        validate_pdf_signature, signature, ValidationContext(trust_roots=roots)
    )


@pytest.fixture
def rendered(tiny_snapshot) -> bytes:
    from tests.matrices.pdf.test_render import meta

    return render_pdf(tiny_snapshot({"text_html": "<p>Encrypt the backups.</p>"}), meta())


def test_a_signed_pdf_is_intact_valid_and_trusted(signing, rendered):
    signed = sign_pdf(rendered)
    status = status_of(signed, signing[1])
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert "Test signer" in status.signing_cert.subject.human_friendly
    assert "Encrypt the backups." in pdftools.pdf_text(signed)


def test_one_changed_byte_in_the_signed_range_fails_validation(signing, rendered):
    signed = bytearray(sign_pdf(rendered))
    at = signed.index(b"Encrypt") if b"Encrypt" in signed else len(rendered) // 2
    signed[at] ^= 0x01
    status = status_of(bytes(signed), signing[1])
    assert not status.intact
    assert not status.bottom_line


def test_another_certificate_is_not_trusted(signing, rendered):
    from matrices.management.commands.signing_keys import dev_pair

    other_cert = dev_pair("Someone else")[1].decode()
    status = status_of(sign_pdf(rendered), other_cert)
    assert status.intact
    assert not status.trusted


def test_the_unsigned_revision_is_the_rendered_file(signing, rendered):
    assert unsigned_revision(sign_pdf(rendered)) == rendered
    assert unsigned_revision(rendered) == rendered
