"""Version history, diffs between versions, and the four-eyes review of the draft."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.access import capabilities
from accounts.decorators import provider_required
from accounts.roles import Action
from matrices import selectors
from matrices.diffs import snapshot_diff
from matrices.forms_edit import ApproveForm, ReturnForm, SubmitForm
from matrices.models import MatrixVersion, Provider, Submission
from matrices.selectors import snapshot_of
from matrices.services import (
    draft_approve,
    draft_authors,
    draft_return,
    draft_submit,
    draft_withdraw,
)
from matrices.services.publishing import draft_changes
from matrices.snapshot import snapshot_build, snapshot_hash
from matrices.views.source import Source


def _versions_url(provider: Provider) -> str:
    return reverse("matrices:versions", args=[provider.slug])


def _can_see_draft(may: dict[str, bool]) -> bool:
    return may["draft"]


@require_GET
@provider_required()
def versions(request: HttpRequest, provider: Provider) -> HttpResponse:
    may = capabilities(request.user, provider)
    history = list(provider.versions.defer("snapshot").order_by("-number"))
    context = {
        "provider": provider,
        "may": may,
        "page": "versions",
        "versions": history,
        "provider_offerings": list(provider.offerings.all()),
    }
    if _can_see_draft(may):
        pending = provider.submissions.filter(status=Submission.Status.PENDING).first()
        draft = snapshot_build(provider)
        base = provider.published.snapshot if provider.published_id else None
        context.update(
            {
                "pending": pending,
                "pending_is_current": pending is not None
                and pending.snapshot_hash == snapshot_hash(draft),
                "draft_diff": snapshot_diff(base, draft) if base else None,
                "draft_changes": draft_changes(provider).count(),
                "authors": draft_authors(provider),
                "recent": provider.submissions.exclude(status=Submission.Status.PENDING)[:5],
                "submit_form": SubmitForm(),
                "approve_form": ApproveForm(
                    initial={"submission": pending.pk, "expected_hash": pending.snapshot_hash}
                )
                if pending
                else None,
                "return_form": ReturnForm(initial={"submission": pending.pk}) if pending else None,
                "is_author": any(a["id"] == request.user.pk for a in draft_authors(provider)),
            }
        )
    return render(request, "matrices/versions.html", context)


@require_GET
@provider_required()
def version_detail(request: HttpRequest, provider: Provider, number: int) -> HttpResponse:
    """A published version as it was: its permanent link."""
    version = get_object_or_404(MatrixVersion, provider=provider, number=number)
    may = capabilities(request.user, provider)
    source = Source(
        snapshot=version.snapshot,
        version=version,
        may=may,
        can_see_draft=_can_see_draft(may),
        published=provider.published,
    )
    matrix = selectors.matrix_from_snapshot(provider, version.snapshot)
    return render(
        request,
        "matrices/provider_matrix.html",
        {
            "provider": provider,
            "source": source,
            "may": may,
            "page": "versions",
            "matrix": matrix,
            "provider_offerings": matrix.offerings,
            "pdf_choices": [("matrix", "Whole matrix")],
        },
    )


@require_GET
@provider_required()
def version_diff(request: HttpRequest, provider: Provider, old: str, new: str) -> HttpResponse:
    """What changed from ``old`` to ``new`` (version numbers, "latest" or "draft")."""
    may = capabilities(request.user, provider)
    before, before_label = snapshot_of(provider, old, may)
    after, after_label = snapshot_of(provider, new, may)
    return render(
        request,
        "matrices/version_diff.html",
        {
            "provider": provider,
            "may": may,
            "page": "versions",
            "diff": snapshot_diff(before, after),
            "old": old,
            "new": new,
            "before_label": before_label,
            "after_label": after_label,
            "versions": list(provider.versions.values_list("number", flat=True)),
            "provider_offerings": list(provider.offerings.all()),
        },
    )


def _refused(request: HttpRequest, exc: Exception) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, f"Not done: {text}")


@require_POST
@provider_required(Action.EDIT)
def review_submit(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = SubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not submitted: write a summary of the changes.")
        return redirect(_versions_url(provider))
    try:
        draft_submit(actor=request.user, provider=provider, summary=form.cleaned_data["summary"])
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            "Submitted for review. An approver who made none of the changes can now publish it.",
        )
    return redirect(_versions_url(provider))


@require_POST
@provider_required(Action.PUBLISH)
def review_approve(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = ApproveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not published: the approval form was incomplete.")
        return redirect(_versions_url(provider))
    submission = get_object_or_404(
        Submission, provider=provider, pk=form.cleaned_data["submission"]
    )
    try:
        version = draft_approve(
            actor=request.user,
            submission=submission,
            expected_hash=form.cleaned_data["expected_hash"],
            comment=form.cleaned_data["comment"],
        )
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        return redirect(_versions_url(provider))
    messages.success(request, f"Version {version.number} is published.")
    return redirect(version.get_absolute_url())


@require_POST
@provider_required(Action.PUBLISH)
def review_return(request: HttpRequest, provider: Provider) -> HttpResponse:
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not sent back: say what should change.")
        return redirect(_versions_url(provider))
    submission = get_object_or_404(
        Submission, provider=provider, pk=form.cleaned_data["submission"]
    )
    try:
        draft_return(
            actor=request.user, submission=submission, comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Sent back to the editors with your comment.")
    return redirect(_versions_url(provider))


@require_POST
@provider_required(Action.EDIT)
def review_withdraw(request: HttpRequest, provider: Provider) -> HttpResponse:
    submission = get_object_or_404(
        Submission, provider=provider, pk=request.POST.get("submission") or 0
    )
    try:
        draft_withdraw(actor=request.user, submission=submission)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Submission withdrawn.")
    return redirect(_versions_url(provider))
