"""The provider's NDA (a clickwrap): its versions, written by the provider's admins, and the
readers' acceptances.

A reader given access (``trust.grants``) holds a viewer role that waits
(``needs_agreement``) while the provider has an NDA version the reader has not accepted;
the access rules ignore a waiting role on every path. Accepting the current version
clears the wait; publishing a new version sets it again on every live reader's role, so a
new version asks again.
"""

from __future__ import annotations

from collections.abc import Iterator

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.urls import reverse
from markdown_it import MarkdownIt

from accounts.access import forget_roles, require, roles_awaiting_agreement, token_limits
from accounts.models import ProviderUserRole
from accounts.roles import Action, Role
from audit.exports import csv_lines
from audit.models import AuditAction
from matrices.models import Provider
from matrices.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, clean_markdown
from matrices.services.auditing import audit_change
from trust.centers import trust_export_audit
from trust.mail import absolute, mail_on_commit
from trust.models import AccessGrant, Nda, NdaAcceptance

NDA_MAX_CHARS = 50_000

# An agreement has sections: headings, quotes and rules too, beside the duty texts' tags.
NDA_TAGS = ALLOWED_TAGS | {"h2", "h3", "h4", "h5", "h6", "blockquote", "hr"}
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.disable(["image", "fence", "code"])


def nda_current(provider) -> Nda | None:
    """The provider's latest NDA version, or None when it has none."""
    return Nda.objects.filter(provider=provider).order_by("-number").first()


def nda_pending(provider, user) -> bool:
    """Whether ``user`` must accept the provider's current NDA before reading it."""
    current = nda_current(provider)
    return current is not None and not NdaAcceptance.objects.filter(nda=current, user=user).exists()


def nda_clean(body: str) -> str:
    """The agreement's Markdown as it is kept: any raw HTML removed, trimmed."""
    # Not through clean_markdown's cache: agreements are long and a preview sends many drafts.
    return clean_markdown.__wrapped__(body or "")


def nda_html(body: str) -> str:
    """The agreement rendered to HTML that is safe to insert into a page unescaped."""
    tokens = _md.parse(body)
    for token in tokens:  # one level down: the page's own heading is the h1
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return nh3.clean(
        _md.renderer.render(tokens, _md.options, {}),
        tags=NDA_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    ).strip()


def nda_versions(provider: Provider) -> QuerySet[Nda]:
    """The provider's NDA versions, latest first, each with its count of acceptances."""
    return (
        Nda.objects.filter(provider=provider)
        .select_related("created_by")
        .annotate(acceptance_count=Count("acceptances"))
        .order_by("-number")
    )


def nda_acceptances(provider: Provider) -> QuerySet[NdaAcceptance]:
    """Every acceptance of the provider's NDA versions, latest first."""
    return (
        NdaAcceptance.objects.filter(nda__provider=provider)
        .select_related("nda", "user")
        .order_by("-accepted_at", "-pk")
    )


def nda_acceptance_of(nda: Nda | None, user) -> NdaAcceptance | None:
    """``user``'s acceptance of ``nda``, if they accepted it."""
    if nda is None:
        return None
    return NdaAcceptance.objects.filter(nda=nda, user=user).first()


def _live_grant(provider: Provider, user) -> AccessGrant | None:
    return (
        AccessGrant.objects.live()
        .filter(provider=provider, user=user)
        .select_related("request")
        .first()
    )


def _waiting_roles(provider: Provider, user) -> QuerySet[ProviderUserRole]:
    """``user``'s roles on ``provider`` that wait for the NDA, not expired."""
    return roles_awaiting_agreement(user).filter(content_object=provider)


def nda_reader(provider_slug: str, user) -> tuple[Provider, AccessGrant | None]:
    """The provider whose NDA ``user`` may read and accept, and their live grant on it.

    A reader is someone with a live grant on the provider, or a role there waiting for
    its NDA; to anyone else the provider does not exist (404), as on its pages.
    """
    provider = Provider.objects.filter(slug=provider_slug).first()
    if provider is None or not user.is_authenticated or not user.is_active:
        raise Http404("No such provider.")
    limits = token_limits(user)
    if limits is not None and not limits.allows(provider.pk, Action.VIEW):
        raise Http404("No such provider.")
    grant = _live_grant(provider, user)
    if grant is None and not _waiting_roles(provider, user).exists():
        raise Http404("No such provider.")
    return provider, grant


def nda_by_number(provider: Provider, number: int) -> Nda:
    """Version ``number`` of the provider's NDA (a ValidationError if there is none)."""
    nda = Nda.objects.filter(provider=provider, number=number).first()
    if nda is None:
        raise ValidationError({"number": f"{provider.name} has no NDA version {number}."})
    return nda


def _lock(provider: Provider) -> None:
    """Publications and acceptances of one provider's NDA, one at a time."""
    Provider.objects.select_for_update().filter(pk=provider.pk).first()


@transaction.atomic
def nda_publish(*, actor, provider: Provider, body: str, reason: str = "") -> Nda:
    """Publish a new version of the provider's NDA (its admins only); every reader with
    live access is asked to accept it before reading on."""
    require(actor, provider, Action.MANAGE_ACCESS)
    _lock(provider)
    body = nda_clean(body)
    if not body:
        raise ValidationError({"body": "Write the agreement: it is empty."})
    if len(body) > NDA_MAX_CHARS:
        raise ValidationError(
            {"body": f"An agreement has at most {NDA_MAX_CHARS:,} characters ({len(body):,})."}
        )
    current = nda_current(provider)
    if current is not None and current.body == body:
        raise ValidationError(
            {"body": f"This is version {current.number}'s text: nothing changed."}
        )
    nda = Nda(
        provider=provider,
        number=current.number + 1 if current is not None else 1,
        body=body,
        created_by=actor,
    )
    nda.full_clean(exclude=["sha256"])  # the save computes it
    nda.save()
    audit_change(nda, AuditAction.CREATE, actor=actor, after=nda.audit_snapshot(), reason=reason)
    readers = AccessGrant.objects.filter(provider=provider, ended_at__isnull=True).values("user")
    ProviderUserRole.objects.filter(
        content_object=provider,
        user__in=readers,
        permission__codename=Role.VIEWER.codename,
        expires_at__isnull=False,  # never a role held in its own right
    ).update(needs_agreement=True)
    forget_roles(actor)
    if nda.number > 1:  # the first version reaches each reader with their access
        _readers_tell(provider, nda)
    return nda


def _readers_tell(provider: Provider, nda: Nda) -> None:
    """Email each reader with live access that a new NDA waits for them (after the commit)."""
    link = absolute("", reverse("trust:nda", args=[provider.slug]))
    for grant in AccessGrant.objects.live().filter(provider=provider).select_related("user"):
        if grant.user.email:
            mail_on_commit(
                "nda_new_version",
                {"provider": provider, "nda": nda, "grant": grant, "link": link},
                grant.user.email,
                about=f"NDA {nda.pk} to grant {grant.pk}",
            )


@transaction.atomic
def nda_accept(
    *,
    user,
    provider: Provider,
    nda: Nda,
    ip_address: str | None,
    name: str = "",
    company: str = "",
    sha256: str | None = None,
) -> NdaAcceptance:
    """Record that ``user`` accepts ``nda``, the provider's current version (whose text
    hashes to ``sha256``, when the caller says what they showed), and let their role count.

    Accepting a version already accepted changes nothing and returns that acceptance.
    """
    _lock(provider)
    grant = _live_grant(provider, user)
    if grant is None and not _waiting_roles(provider, user).exists():
        raise PermissionDenied(f"You have no access to {provider.name} to accept an NDA for.")
    current = nda_current(provider)
    if current is None:
        raise ValidationError(f"{provider.name} has no NDA to accept.")
    if nda.provider_id != provider.pk:
        raise ValidationError({"number": f"That is not an NDA of {provider.name}."})
    if nda.pk != current.pk:
        raise ValidationError(
            f"A newer NDA was published (version {current.number}); read it, then accept it."
        )
    if sha256 is not None and sha256 != nda.sha256:
        raise ValidationError(
            {"sha256": f"That is not the text of version {nda.number}: read it again."}
        )
    acceptance = nda_acceptance_of(nda, user)
    if acceptance is None:
        request = grant.request if grant is not None else None
        name = name or user.get_full_name() or (request.name if request else "")
        company = (
            company or (grant.company if grant else "") or (request.company if request else "")
        )
        acceptance = NdaAcceptance(
            nda=nda,
            user=user,
            name=name.strip() or user.get_username(),
            email=user.email or (request.email if request else ""),
            company=company.strip(),
            ip_address=ip_address,
            sha256=nda.sha256,
        )
        if not acceptance.email:
            raise ValidationError("Your account has no email address: add one, then accept.")
        acceptance.full_clean()
        acceptance.save()
        audit_change(
            acceptance,
            AuditAction.ACCEPT,
            actor=user,
            after={
                "who": acceptance.name,
                "email": acceptance.email,
                "company": acceptance.company,
                "ip": acceptance.ip_address,
                "nda": nda.number,
                "sha256": acceptance.sha256,
            },
        )
    _waiting_roles(provider, user).update(needs_agreement=False)
    forget_roles(user)
    return acceptance


ACCEPTANCES_CSV_COLUMNS = [
    "accepted_at",
    "name",
    "email",
    "company",
    "ip_address",
    "nda_version",
    "sha256",
]


def _acceptance_rows(acceptances: QuerySet[NdaAcceptance]) -> Iterator[list[object]]:
    for acceptance in acceptances.iterator(chunk_size=2000):
        yield [
            acceptance.accepted_at.isoformat(),
            acceptance.name,
            acceptance.email,
            acceptance.company,
            acceptance.ip_address,
            acceptance.nda.number,
            acceptance.sha256,
        ]


@transaction.atomic
def nda_acceptances_export(*, actor, provider: Provider) -> Iterator[str]:
    """Every acceptance of the provider's NDA as CSV lines (cells safe from spreadsheet
    formulas). They name people, their addresses and IPs: the export is audited."""
    require(actor, provider, Action.MANAGE_TRUST)
    acceptances = nda_acceptances(provider)
    trust_export_audit(
        actor=actor, provider=provider, what="NDA acceptances", after={"rows": acceptances.count()}
    )
    return csv_lines(ACCEPTANCES_CSV_COLUMNS, _acceptance_rows(acceptances))
