"""Editing a matrix: cells in place (htmx, with a plain-form fallback) and the axes.

Views stay thin: the provider comes checked from ``provider_required``, forms
validate input, and the services do the writing, auditing and version checks.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.roles import Action
from matrices.forms.edit import CellEditor
from matrices.models import Cell, ControlDomain, Offering, Provider
from matrices.richtext import clean_markdown, render_markdown
from matrices.selectors.editions import edition_for
from matrices.selectors.matrix import mark_unpublished, matrix_from_snapshot
from matrices.services import StaleVersion, cell_set
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_page, provider_required


def _cell_parts(provider: Provider, offering_slug: str, domain_slug: str):
    offering = get_object_or_404(Offering, provider=provider, slug=offering_slug)
    domain = get_object_or_404(ControlDomain, provider=provider, slug=domain_slug)
    cell = Cell.objects.filter(offering=offering, domain=domain).first()
    return offering, domain, cell


def _matrix_anchor(provider: Provider, domain: ControlDomain) -> str:
    return f"{provider.get_absolute_url()}#d-{domain.slug}"


def _row_response(
    request: HttpRequest, provider: Provider, domain: ControlDomain, offering: Offering
) -> HttpResponse:
    """The domain's matrix row, swapped out-of-band, closing the edit row.

    Focus returns to the Edit link of the cell (keyboard users keep their place).
    """
    edition = edition_for(request.user, provider, "draft")
    matrix = matrix_from_snapshot(provider, edition.snapshot, domains=[domain.pk])
    if edition.latest is not None:
        mark_unpublished(matrix, edition.snapshot, edition.latest.snapshot)
    context = provider_page(
        request,
        provider,
        "matrix",
        edition=edition,
        matrix=matrix,
        row=matrix.rows[0],
        focus_offering=offering.pk,
    )
    return render(request, "matrices/_cell_saved.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.EDIT)
def cell_edit(request: HttpRequest, provider: Provider, offering: str, domain: str) -> HttpResponse:
    """Edit one cell; an htmx request gets the inline edit row, others a full page."""
    offering_obj, domain_obj, cell = _cell_parts(provider, offering, domain)
    parties = list(provider.parties.all())
    duties: dict[int, list] = {}
    if cell is not None:
        for duty in cell.duties.order_by("position", "id"):
            duties.setdefault(duty.party_id, []).append(duty)
    editor = CellEditor(
        cell=cell, parties=parties, data=request.POST or None, duties_by_party=duties
    )
    status, conflict = 200, None
    # "Add another item" without JavaScript: the editor again, one more empty item, nothing saved.
    if request.method == "POST" and not editor.adding:
        if editor.is_valid():
            try:
                cell_set(
                    actor=request.user,
                    offering=offering_obj,
                    domain=domain_obj,
                    ownership=editor.form.cleaned_data["ownership"],
                    duties=editor.duties(),
                    expected_version=editor.form.cleaned_data["version"],
                    reason=editor.form.cleaned_data["reason"],
                )
            except StaleVersion as exc:
                status, conflict = refusal_status(request, exc), _conflict(exc, editor)
                # Re-submitting now knowingly replaces what the other person saved.
                data = request.POST.copy()
                data["cell-version"] = str(exc.current.version if exc.current else 0)
                editor = CellEditor(
                    cell=exc.current, parties=parties, data=data, duties_by_party=duties
                )
                editor.is_valid()
            except REFUSALS as exc:
                # The messages only: a duty's field errors name no field of this form.
                editor.form.add_error(None, refusal_message(exc))
                status = refusal_status(request, exc)
            else:
                if request.htmx:
                    return _row_response(request, provider, domain_obj, offering_obj)
                messages.success(request, f"Saved {domain_obj.name} / {offering_obj.name}.")
                return redirect(_matrix_anchor(provider, domain_obj))
        else:
            status = invalid_status(request)
    context = provider_page(
        request,
        provider,
        "edit",
        offering=offering_obj,
        domain=domain_obj,
        cell=cell,
        editor=editor,
        conflict=conflict,
        colspan=1 + provider.offerings.count() * (1 + len(parties)),
    )
    template = "matrices/_cell_edit_row.html" if request.htmx else "matrices/cell_edit.html"
    return render(request, template, context, status=status)


def _conflict(exc: StaleVersion, editor: CellEditor) -> dict:
    current = exc.current
    return {
        "current": current,
        "duties": list(
            current.duties.select_related("party").order_by("party__position", "position")
        )
        if current
        else [],
        "rejected": editor.rejected_text(),
    }


@require_safe
@provider_required(Action.EDIT)
def cell_row(request: HttpRequest, provider: Provider, offering: str, domain: str) -> HttpResponse:
    """Cancel: the edit row goes away, focus back on the cell (htmx), or back to the matrix."""
    offering_obj, domain_obj, _ = _cell_parts(provider, offering, domain)
    if request.htmx:
        return _row_response(request, provider, domain_obj, offering_obj)
    return redirect(_matrix_anchor(provider, domain_obj))


@require_POST
@provider_required(Action.EDIT)
def markdown_preview(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Render one duty text as it will be shown (sanitised), for the live preview."""
    field = request.POST.get("field", "")
    if not field.endswith("-text") or field not in request.POST:
        raise Http404("No such field.")
    html = render_markdown(clean_markdown(request.POST[field][:4000]))
    return render(request, "matrices/_preview.html", {"html": html})
