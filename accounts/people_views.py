"""The People pages: site administrators list, create and administer accounts.

Every action takes a reason and a confirmation step, then calls one service of
``accounts.people``, which refuses what would lock the site out and audits the change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from accounts import people, people_selectors
from accounts.decorators import superuser_required
from accounts.people_forms import PeopleFilterForm, PersonActionForm, PersonCreateForm

ADMINISTER = "administer accounts"


@dataclass(frozen=True)
class PersonAction:
    """One thing a site administrator may do to an account, as its page offers it."""

    slug: str
    label: str
    explains: str  # what happens, said on the confirmation step
    service: Callable
    offered: Callable  # whether the person page offers it for this user
    danger: bool = False
    needs_request: bool = False  # the service sends a link, built from the request


ACTIONS = {
    action.slug: action
    for action in [
        PersonAction(
            "deactivate",
            "Deactivate",
            "They are signed out everywhere, their API tokens are revoked and they cannot "
            "sign in until reactivated. Their roles and history stay.",
            people.user_deactivate,
            lambda user: user.is_active,
            danger=True,
        ),
        PersonAction(
            "reactivate",
            "Reactivate",
            "They may sign in again with their password or single sign-on. Revoked API "
            "tokens stay revoked.",
            people.user_reactivate,
            lambda user: not user.is_active,
        ),
        PersonAction(
            "grant-superuser",
            "Make superuser",
            "They will administer the whole site: every provider, every action, the "
            "site-wide audit log and these People pages.",
            people.superuser_grant,
            lambda user: user.is_active and not user.is_superuser,
            danger=True,
        ),
        PersonAction(
            "revoke-superuser",
            "Revoke superuser",
            "They keep their roles on providers and lose everything else a superuser may do.",
            people.superuser_revoke,
            lambda user: user.is_superuser,
            danger=True,
        ),
        PersonAction(
            "reset-password",
            "Force a password reset",
            "Their password stops working at once and they are signed out everywhere; a "
            "link to choose a new one goes to their email address.",
            people.password_reset_force,
            lambda user: user.is_active and bool(user.email),
            needs_request=True,
        ),
    ]
}


def _person_or_404(pk: int):
    user = people_selectors.person(pk)
    if user is None:
        raise Http404("No such account.")
    return user


@require_safe
@superuser_required(ADMINISTER)
def people_list(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    return render(
        request,
        "accounts/people.html",
        {"form": form, "people": people_selectors.people(**filters)},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@superuser_required(ADMINISTER)
def person_new(request: HttpRequest) -> HttpResponse:
    form = PersonCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = people.user_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Created {user.get_username()}: a link to choose a password is on its way.",
            )
            return redirect(reverse("accounts:person", args=[user.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/person_new.html", {"form": form}, status=status)


@require_safe
@superuser_required(ADMINISTER)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person_or_404(pk)
    return render(
        request,
        "accounts/person.html",
        {
            "person": user,
            "standing": people_selectors.standing(user),
            "actions": [action for action in ACTIONS.values() if action.offered(user)],
            "form": PersonActionForm(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@superuser_required(ADMINISTER)
def person_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Step one asks for the reason, step two shows what will happen; then it is done."""
    user = _person_or_404(pk)
    if action not in ACTIONS:
        raise Http404("No such action.")
    todo = ACTIONS[action]
    form = PersonActionForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["confirmed"]:
            confirming = True
        else:
            extra = {"request": request} if todo.needs_request else {}
            try:
                todo.service(
                    actor=request.user, user=user, reason=form.cleaned_data["reason"], **extra
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"{todo.label}: done for {user.get_username()}.")
                return redirect(reverse("accounts:person", args=[user.pk]))
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/person_action.html",
        {"person": user, "action": todo, "form": form, "confirming": confirming},
        status=status,
    )
