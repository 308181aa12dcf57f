"""What every page's frame needs to know about the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.mfa_policy import meets_mfa_policy


def second_factor(request: HttpRequest) -> dict:
    """``second_factor_missing``: the user must set up a second factor before writing
    (base.html's banner). Asked only when a template reads it, and only of the signed-in."""
    user = getattr(request, "user", None)

    def missing() -> bool:
        return bool(user and user.is_authenticated and not meets_mfa_policy(user))

    return {"second_factor_missing": missing}
