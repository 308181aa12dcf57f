"""Managing the axes of a matrix: add, rename, reorder and delete offerings, parties, domains."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Action
from matrices.forms.edit import DomainForm, OfferingForm, PartyForm, VersionedActionForm
from matrices.models import ControlDomain, Offering, Party, Provider
from matrices.selectors.structure import axis_delete_impact
from matrices.services import (
    StaleVersion,
    axis_delete,
    axis_move,
    axis_update,
    domain_create,
    offering_create,
    party_create,
)
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_page, provider_required


@dataclass(frozen=True)
class AxisKind:
    slug: str  # in URLs
    model: type
    form: type[forms.ModelForm]
    create: object
    singular: str
    plural: str


KINDS = {
    kind.slug: kind
    for kind in (
        AxisKind(
            "domains", ControlDomain, DomainForm, domain_create, "control domain", "Control domains"
        ),
        AxisKind("offerings", Offering, OfferingForm, offering_create, "offering", "Offerings"),
        AxisKind("parties", Party, PartyForm, party_create, "party", "Parties"),
    )
}


def _kind(slug: str) -> AxisKind:
    if slug not in KINDS:
        raise Http404("No such part of a matrix.")
    return KINDS[slug]


def _structure_url(provider: Provider, kind: str = "") -> str:
    url = reverse("matrices:structure", args=[provider.slug])
    return f"{url}#{kind}" if kind else url


def _structure_page(
    request: HttpRequest, provider: Provider, *, status: int = 200, error: str = ""
) -> HttpResponse:
    sections = [
        {
            "kind": kind,
            "items": list(kind.model.objects.filter(provider=provider)),
            "form": kind.form(prefix=kind.slug, instance=kind.model(provider=provider)),
        }
        for kind in KINDS.values()
    ]
    context = provider_page(request, provider, "structure", sections=sections, refusal=error)
    return render(request, "matrices/structure.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@provider_required(Action.EDIT)
def structure(request: HttpRequest, provider: Provider) -> HttpResponse:
    return _structure_page(request, provider)


@require_POST
@provider_required(Action.EDIT)
def axis_add(request: HttpRequest, provider: Provider, kind: str) -> HttpResponse:
    axis = _kind(kind)
    form = axis.form(request.POST, prefix=axis.slug, instance=axis.model(provider=provider))
    status = invalid_status(request)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            obj = axis.create(
                actor=request.user, provider=provider, reason=form.cleaned_data["reason"], **fields
            )
        except REFUSALS as exc:
            form.add_error(None, exc)
            status = refusal_status(request, exc)
        else:
            messages.success(request, f"Added the {axis.singular} {obj}.")
            return redirect(_structure_url(provider, axis.slug))
    context = provider_page(request, provider, "structure", kind=axis, form=form, obj=None)
    return render(request, "matrices/axis_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.EDIT)
def axis_edit(request: HttpRequest, provider: Provider, kind: str, pk: int) -> HttpResponse:
    axis = _kind(kind)
    obj = get_object_or_404(axis.model, provider=provider, pk=pk)
    form = axis.form(request.POST or None, instance=obj, initial={"version": obj.version})
    status, conflict = 200, None
    if request.method == "POST":
        # The ModelForm writes the input onto ``obj``; keep the stored values apart.
        stored = axis.model.objects.get(pk=obj.pk)
        status = invalid_status(request)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                axis_update(
                    actor=request.user,
                    obj=stored,
                    expected_version=form.cleaned_data["version"],
                    changes=changes,
                    reason=form.cleaned_data["reason"],
                )
            except StaleVersion as exc:
                status, conflict = refusal_status(request, exc), exc.current
                data = request.POST.copy()
                data["version"] = str(exc.current.version) if exc.current else "0"
                form = axis.form(data, instance=stored)
                form.is_valid()
            except REFUSALS as exc:
                form.add_error(None, exc)
                status = refusal_status(request, exc)
            else:
                messages.success(request, f"Saved the {axis.singular} {changes['name']}.")
                return redirect(_structure_url(provider, axis.slug))
        obj = stored
    context = provider_page(
        request, provider, "structure", kind=axis, form=form, obj=obj, conflict=conflict
    )
    return render(request, "matrices/axis_form.html", context, status=status)


@require_POST
@provider_required(Action.EDIT)
def axis_move_view(request: HttpRequest, provider: Provider, kind: str, pk: int) -> HttpResponse:
    axis = _kind(kind)
    obj = get_object_or_404(axis.model, provider=provider, pk=pk)
    form = VersionedActionForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("offset"):
        return _structure_page(
            request,
            provider,
            status=invalid_status(request),
            error="The move was not understood; nothing changed.",
        )
    try:
        axis_move(
            actor=request.user,
            obj=obj,
            expected_version=form.cleaned_data["version"],
            offset=form.cleaned_data["offset"],
            reason=form.cleaned_data["reason"],
        )
    except StaleVersion as exc:
        return _structure_page(
            request,
            provider,
            status=refusal_status(request, exc),
            error=f"{obj} was changed by someone else meanwhile; nothing moved. "
            "Here is the current order.",
        )
    except REFUSALS as exc:
        return _structure_page(
            request,
            provider,
            status=refusal_status(request, exc),
            error=f"Nothing moved: {refusal_message(exc)}",
        )
    return redirect(_structure_url(provider, axis.slug))


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.EDIT)
def axis_delete_view(request: HttpRequest, provider: Provider, kind: str, pk: int) -> HttpResponse:
    """Confirm, saying what goes with it, then delete."""
    axis = _kind(kind)
    obj = get_object_or_404(axis.model, provider=provider, pk=pk)
    form = VersionedActionForm(request.POST or None, initial={"version": obj.version})
    status, conflict = 200, ""
    if request.method == "POST":
        status = invalid_status(request)
        if form.is_valid():
            try:
                axis_delete(
                    actor=request.user,
                    obj=obj,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleVersion as exc:
                status = refusal_status(request, exc)
                if exc.current is None:
                    return _structure_page(
                        request,
                        provider,
                        status=status,
                        error=f"{obj} was already deleted by someone else.",
                    )
                obj = exc.current
                conflict = (
                    f"{obj} was changed by someone else meanwhile; nothing was deleted. "
                    "Check what goes with it now, then confirm again."
                )
                form = VersionedActionForm(
                    initial={"version": obj.version, "reason": form.cleaned_data["reason"]}
                )
            except REFUSALS as exc:
                status = refusal_status(request, exc)
                conflict = f"Nothing was deleted: {refusal_message(exc)}"
            else:
                messages.success(request, f"Deleted the {axis.singular} {obj}.")
                return redirect(_structure_url(provider, axis.slug))
    context = provider_page(
        request,
        provider,
        "structure",
        kind=axis,
        obj=obj,
        form=form,
        conflict=conflict,
        impact=axis_delete_impact(obj),
    )
    return render(request, "matrices/axis_delete.html", context, status=status)
