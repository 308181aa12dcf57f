"""The public verification page: is this PDF one the portal published?"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matrices.forms.verify import VerifyForm
from matrices.selectors.verify import verify


def verify_page(request: HttpRequest) -> HttpResponse:
    verdict, status = None, 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if data["file"] is not None:
                verdict = verify(data=data["file"])
            else:
                verdict = verify(digest=data["sha256"])
        else:
            status = 400
    else:
        form = VerifyForm()
    context = {"form": form, "verdict": verdict, "max_bytes": settings.VERIFY_MAX_BYTES}
    return render(request, "matrices/verify.html", context, status=status)
