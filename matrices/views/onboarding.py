"""Starting a new provider: one form, one service call."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import superuser_required
from matrices.forms.onboarding import ProviderNewForm
from matrices.selectors.structure import provider_templates
from matrices.services import provider_create_from
from matrices.views.errors import invalid_status

# Where the service's errors go on the form; the rest are shown above it.
FORM_FIELD = {"parsed": "file", "template": "start"}


@require_http_methods(["GET", "HEAD", "POST"])
@superuser_required("create providers")
def provider_new(request: HttpRequest) -> HttpResponse:
    """Create a provider, its matrix started from a template, a file, or empty."""
    form = ProviderNewForm(
        request.POST or None, request.FILES or None, templates=provider_templates(request.user)
    )
    if not form.is_bound:
        return render(request, "matrices/provider_new.html", {"form": form})
    if form.is_valid():
        kwargs = form.service_kwargs()
        upload = form.cleaned_data["file"]
        if kwargs["parsed"] is not None and not kwargs["reason"].strip():
            kwargs["reason"] = f"New provider, started from the file “{upload.name}”."
        try:
            provider = provider_create_from(actor=request.user, **kwargs)
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            for field, field_messages in by_field.items():
                field = FORM_FIELD.get(field, field)
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(
                request,
                f"{provider.name} was created with you as its provider admin. Its matrix is a "
                "draft: nobody outside its roles sees it until a version is published.",
            )
            return redirect(provider.get_absolute_url())
    return render(
        request, "matrices/provider_new.html", {"form": form}, status=invalid_status(request)
    )
