"""Managing the axes of a matrix: add, rename, reorder and delete offerings, parties, domains."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import capabilities
from accounts.decorators import provider_required
from accounts.roles import Action
from matrices.forms_edit import DomainForm, OfferingForm, PartyForm, VersionedActionForm
from matrices.models import ControlDomain, Offering, Party, Provider
from matrices.services import (
    StaleVersion,
    axis_delete,
    axis_delete_impact,
    axis_move,
    axis_update,
    domain_create,
    offering_create,
    party_create,
)


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


@require_http_methods(["GET"])
@provider_required(Action.EDIT)
def structure(request: HttpRequest, provider: Provider) -> HttpResponse:
    sections = [
        {
            "kind": kind,
            "items": list(kind.model.objects.filter(provider=provider)),
            "form": kind.form(prefix=kind.slug, instance=kind.model(provider=provider)),
        }
        for kind in KINDS.values()
    ]
    return render(
        request,
        "matrices/structure.html",
        {
            "provider": provider,
            "sections": sections,
            "page": "structure",
            "may": capabilities(request.user, provider),
        },
    )


@require_POST
@provider_required(Action.EDIT)
def axis_add(request: HttpRequest, provider: Provider, kind: str) -> HttpResponse:
    axis = _kind(kind)
    form = axis.form(request.POST, prefix=axis.slug, instance=axis.model(provider=provider))
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            obj = axis.create(
                actor=request.user, provider=provider, reason=form.cleaned_data["reason"], **fields
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Added the {axis.singular} {obj}.")
            return redirect(_structure_url(provider, axis.slug))
    return render(
        request,
        "matrices/axis_form.html",
        {
            "provider": provider,
            "kind": axis,
            "form": form,
            "obj": None,
            "page": "structure",
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
@provider_required(Action.EDIT)
def axis_edit(request: HttpRequest, provider: Provider, kind: str, pk: int) -> HttpResponse:
    axis = _kind(kind)
    obj = get_object_or_404(axis.model, provider=provider, pk=pk)
    form = axis.form(request.POST or None, instance=obj, initial={"version": obj.version})
    status, conflict = 200, None
    if request.method == "POST":
        # The ModelForm writes the input onto ``obj``; keep the stored values apart.
        stored = axis.model.objects.get(pk=obj.pk)
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
                status, conflict = 409, exc.current
                data = request.POST.copy()
                data["version"] = str(exc.current.version) if exc.current else "0"
                form = axis.form(data, instance=stored)
                form.is_valid()
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(request, f"Saved the {axis.singular} {changes['name']}.")
                return redirect(_structure_url(provider, axis.slug))
        else:
            status = 400
        obj = stored
    return render(
        request,
        "matrices/axis_form.html",
        {
            "provider": provider,
            "kind": axis,
            "form": form,
            "obj": obj,
            "conflict": conflict,
            "page": "structure",
        },
        status=status,
    )


@require_POST
@provider_required(Action.EDIT)
def axis_move_view(request: HttpRequest, provider: Provider, kind: str, pk: int) -> HttpResponse:
    axis = _kind(kind)
    obj = get_object_or_404(axis.model, provider=provider, pk=pk)
    form = VersionedActionForm(request.POST)
    if not form.is_valid() or not form.cleaned_data.get("offset"):
        messages.error(request, "The move was not understood; nothing changed.")
        return redirect(_structure_url(provider, axis.slug))
    try:
        axis_move(
            actor=request.user,
            obj=obj,
            expected_version=form.cleaned_data["version"],
            offset=form.cleaned_data["offset"],
            reason=form.cleaned_data["reason"],
        )
    except StaleVersion:
        messages.error(
            request,
            f"{obj} was changed by someone else meanwhile; nothing moved. "
            "Here is the current order.",
        )
    return redirect(_structure_url(provider, axis.slug))


@require_http_methods(["GET", "POST"])
@provider_required(Action.EDIT)
def axis_delete_view(request: HttpRequest, provider: Provider, kind: str, pk: int) -> HttpResponse:
    """Confirm, saying what goes with it, then delete."""
    axis = _kind(kind)
    obj = get_object_or_404(axis.model, provider=provider, pk=pk)
    form = VersionedActionForm(request.POST or None, initial={"version": obj.version})
    status, conflict = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                axis_delete(
                    actor=request.user,
                    obj=obj,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleVersion as exc:
                if exc.current is None:
                    messages.error(request, f"{obj} was already deleted by someone else.")
                    return redirect(_structure_url(provider, axis.slug))
                obj, status = exc.current, 409
                conflict = (
                    f"{obj} was changed by someone else meanwhile; nothing was deleted. "
                    "Check what goes with it now, then confirm again."
                )
                form = VersionedActionForm(
                    initial={"version": obj.version, "reason": form.cleaned_data["reason"]}
                )
            else:
                messages.success(request, f"Deleted the {axis.singular} {obj}.")
                return redirect(_structure_url(provider, axis.slug))
        else:
            status = 400
    return render(
        request,
        "matrices/axis_delete.html",
        {
            "provider": provider,
            "kind": axis,
            "obj": obj,
            "form": form,
            "conflict": conflict,
            "impact": axis_delete_impact(obj),
            "page": "structure",
        },
        status=status,
    )
