"""Every read of a provider's published content, recorded for its analytics.

``record_read`` receives ``matrices.signals.content_read`` (connected in
``TrustConfig.ready``). Reads of the draft are the team's own work and are not
recorded. It runs inside the page's request, so it costs one INSERT: the reader's
company is looked up inside that statement, from their live grant on the provider
(or the request that led to it).
"""

from __future__ import annotations

from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from matrices.models import MatrixVersion, Provider
from trust.models import AccessGrant, ReadEvent


def reader_label(user) -> str:
    """How a reader is named in the analytics: their email, else their username."""
    if user is None:
        return ""
    return user.email or user.get_username()


def company_expression(user, provider_id: int) -> Coalesce:
    """The company of ``user``'s live grant on the provider (the grant's, else its access
    request's), "" without one: an expression, evaluated by the INSERT itself."""
    grant = (
        AccessGrant.objects.live()
        .filter(provider_id=provider_id, user=user)
        .annotate(named=Coalesce(NullIf("company", Value("")), "request__company"))
        .values("named")[:1]
    )
    return Coalesce(Subquery(grant), Value(""))


def record_read(
    sender,
    *,
    user,
    provider: Provider,
    version: MatrixVersion | None,
    document: str,
    kind: str,
    **kwargs,
) -> None:
    """Record one view or download of a published version (``content_read``)."""
    if version is None:
        return
    ReadEvent.objects.create(
        provider_id=provider.pk,
        version_id=version.pk,
        version_number=version.number,
        document=document[:100],
        kind=kind,
        user=user,
        reader=reader_label(user)[:254],
        company=Value("") if user is None else company_expression(user, provider.pk),
    )
