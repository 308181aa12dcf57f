"""Version history, diffs between versions, and the four-eyes review of the draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.access import sees_draft
from accounts.roles import Action
from matrices.diffs import snapshot_diff
from matrices.forms.review import ApproveForm, ReturnForm, SubmitForm, WithdrawForm
from matrices.models import Provider, Submission
from matrices.selectors.editions import edition_for
from matrices.selectors.matrix import matrix_from_snapshot
from matrices.selectors.review import review_state
from matrices.services import draft_approve, draft_return, draft_submit, draft_withdraw
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_page, provider_required


def _versions_page(
    request: HttpRequest,
    provider: Provider,
    *,
    status: int = 200,
    error: str = "",
    forms_in_use: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    """The history, and for the draft's readers the review panel; ``error`` says why the
    last action was refused (answered with ``status``), its form re-rendered as sent."""
    context = provider_page(
        request,
        provider,
        "versions",
        versions=list(provider.versions.defer("snapshot").order_by("-number")),
        refusal=error,
    )
    if sees_draft(request.user, provider):
        review = review_state(provider)
        pending = review.pending
        base = provider.published.snapshot if provider.published_id else None
        context.update(
            review=review,
            pending=pending,
            draft_diff=snapshot_diff(base, review.draft) if base else None,
            is_author=review.is_author(request.user),
            submit_form=SubmitForm(),
            approve_form=ApproveForm(
                initial={"submission": pending.pk, "expected_hash": pending.snapshot_hash}
            )
            if pending
            else None,
            return_form=ReturnForm(initial={"submission": pending.pk}) if pending else None,
        )
        context.update(forms_in_use or {})
    return render(request, "matrices/versions.html", context, status=status)


@require_safe
@provider_required()
def versions(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _versions_page(request, provider)


@require_safe
@provider_required()
def version_detail(request: HttpRequest, provider: Provider, number: int) -> HttpResponse:
    """A published version as it was: its permanent link."""
    edition = edition_for(request.user, provider, str(number))
    context = provider_page(
        request,
        provider,
        "versions",
        edition=edition,
        matrix=matrix_from_snapshot(provider, edition.snapshot),
        pdf_choices=[("matrix", "Whole matrix")],
    )
    return render(request, "matrices/provider_matrix.html", context)


@require_safe
@provider_required()
def version_diff(request: HttpRequest, provider: Provider, old: str, new: str) -> HttpResponse:
    """What changed from ``old`` to ``new`` (version numbers, "latest" or "draft")."""
    before = edition_for(request.user, provider, old)
    after = edition_for(request.user, provider, new)
    context = provider_page(
        request,
        provider,
        "versions",
        diff=snapshot_diff(before.snapshot, after.snapshot),
        old=old,
        new=new,
        before_label=before.label,
        after_label=after.label,
        versions=list(provider.versions.values_list("number", flat=True)),
    )
    return render(request, "matrices/version_diff.html", context)


def _pending(provider: Provider, form: forms.Form) -> Submission:
    submission = provider.submissions.filter(pk=form.cleaned_data["submission"]).first()
    if submission is None:
        raise Http404("No such submission.")
    return submission


def _review_action(
    request: HttpRequest,
    provider: Provider,
    form: forms.Form,
    act: Callable[[forms.Form], Any],
    done: str,
    form_name: str,
    *,
    then: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Run one review action (``act(form)``), then say ``done`` and go to ``then(result)``
    (the versions page by default); on a refusal, the versions page with the message, the
    refusal's status and the form as sent."""
    if not form.is_valid():
        return _versions_page(
            request,
            provider,
            status=invalid_status(request),
            error="Nothing was done: the form was incomplete.",
            forms_in_use={form_name: form},
        )
    try:
        result = act(form)
    except REFUSALS as exc:
        return _versions_page(
            request,
            provider,
            status=refusal_status(request, exc),
            error=f"Nothing was done: {refusal_message(exc)}",
            forms_in_use={form_name: form},
        )
    messages.success(request, done.format(result=result))
    return redirect(then(result) if then else reverse("matrices:versions", args=[provider.slug]))


@require_POST
@provider_required(Action.EDIT)
def review_submit(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _review_action(
        request,
        provider,
        SubmitForm(request.POST),
        lambda form: draft_submit(
            actor=request.user, provider=provider, summary=form.cleaned_data["summary"]
        ),
        "Submitted for review. An approver who made none of the changes can now publish it.",
        "submit_form",
    )


@require_POST
@provider_required(Action.PUBLISH)
def review_approve(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _review_action(
        request,
        provider,
        ApproveForm(request.POST),
        lambda form: draft_approve(
            actor=request.user,
            submission=_pending(provider, form),
            expected_hash=form.cleaned_data["expected_hash"],
            comment=form.cleaned_data["comment"],
        ),
        "Version {result.number} is published.",
        "approve_form",
        then=lambda version: version.get_absolute_url(),
    )


@require_POST
@provider_required(Action.PUBLISH)
def review_return(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _review_action(
        request,
        provider,
        ReturnForm(request.POST),
        lambda form: draft_return(
            actor=request.user,
            submission=_pending(provider, form),
            comment=form.cleaned_data["comment"],
        ),
        "Returned to the editors with your comment.",
        "return_form",
    )


@require_POST
@provider_required(Action.EDIT)
def review_withdraw(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _review_action(
        request,
        provider,
        WithdrawForm(request.POST),
        lambda form: draft_withdraw(actor=request.user, submission=_pending(provider, form)),
        "Submission withdrawn.",
        "withdraw_form",
    )
