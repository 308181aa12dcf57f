"""Is this a PDF the portal published? Answered from a SHA-256 (and, given the file, its signature).

What a stranger learns: the hash of a file is unguessable, so whoever asks
about a match holds the file, which already names its provider, version,
date and approver on its pages. The answer repeats no more than that for a
public provider; for a gated one it leaves out the approver's name and never
names the reader a stamped copy was made for. Drafts are never recognised
(nor signed): "not a document this portal published".
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass

from django.conf import settings

from accounts.roles import Visibility
from audit.models import AuditAction, AuditRecord, ObjectType
from matrices.models import PdfDocument
from matrices.pdf.sign import outside_event_loop

SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Verdict:
    published: bool
    provider: str = ""
    version: int | None = None
    published_at: str = ""
    approved_by: str = ""
    variant: str = ""
    offering: str = ""
    stamped_copy: bool = False
    signature: str = ""  # "", "valid", "invalid", "missing"
    signed_by: str = ""


def _published_document(digest: str) -> tuple[PdfDocument | None, bool]:
    """The published PDF whose stored file, or one of whose stamped copies, has this hash."""
    found = (
        PdfDocument.objects.select_related("provider", "version")
        .filter(sha256=digest, version__isnull=False, status=PdfDocument.Status.READY)
        .first()
    )
    if found:
        return found, False
    record = (
        AuditRecord.objects.filter(
            object_type=ObjectType.PDF, action=AuditAction.DOWNLOAD, after__sha256=digest
        )
        .values_list("object_id", flat=True)
        .first()
    )
    if record and record.isdigit():
        found = (
            PdfDocument.objects.select_related("provider", "version")
            .filter(pk=int(record), version__isnull=False)
            .first()
        )
        return found, found is not None
    return None, False


def signature_of(data: bytes) -> tuple[str, str]:
    """("valid"|"invalid"|"missing", signer) for the portal's signature in ``data``."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return "invalid", ""
    if not signatures:
        return "missing", ""
    if not settings.PDF_SIGNING_CERT:
        return "invalid", ""
    roots = list(load_certs_from_pemder_data(settings.PDF_SIGNING_CERT.encode()))
    if settings.PDF_SIGNING_CHAIN:
        roots += list(load_certs_from_pemder_data(settings.PDF_SIGNING_CHAIN.encode()))
    try:
        status = outside_event_loop(
            validate_pdf_signature, signatures[-1], ValidationContext(trust_roots=roots)
        )
    except Exception:
        return "invalid", ""
    subject = status.signing_cert.subject if status.signing_cert else None
    name = (subject.native.get("common_name") or subject.human_friendly) if subject else ""
    ok = status.bottom_line and status.coverage.name == "ENTIRE_FILE"
    return ("valid" if ok else "invalid"), name


def verify(*, digest: str = "", data: bytes | None = None) -> Verdict:
    """The verdict on a file (hash and signature) or a hash."""
    if data is not None:
        digest = hashlib.sha256(data).hexdigest()
    document, stamped = _published_document(digest.lower())
    if document is None:
        return Verdict(published=False)
    public = document.provider.visibility == Visibility.PUBLIC
    signature, signer = signature_of(data) if data is not None else ("", "")
    return Verdict(
        published=True,
        provider=document.provider.name,
        version=document.version.number,
        published_at=document.version.published_at.date().isoformat(),
        approved_by=document.version.approved_by_label if public else "",
        variant=document.get_variant_display(),
        offering=document.offering,
        stamped_copy=stamped,
        signature=signature,
        signed_by=signer,
    )
