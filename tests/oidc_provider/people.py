"""The test identity provider's people, read from ``IDP_DATA_DIR/people.json`` at each
request, so a test can add someone or change their claims while the server runs:

    {"alice": {"password": "...", "email": "alice@example.com", "email_verified": true,
               "name": "Alice Example", "groups": ["srm-editors"]}}
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from oauth2_provider.oauth2_validators import OAuth2Validator

CLAIMS = ("email", "email_verified", "name", "groups")


def person(username: str) -> dict | None:
    path = settings.DATA_DIR / "people.json"
    people = json.loads(path.read_text()) if path.exists() else {}
    return people.get(username)


class PeopleBackend(ModelBackend):
    """Signs in the people of the file with their password (their user row made on demand)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        known = person(username or "")
        if known is None or known.get("password") != password:
            return None
        user, _ = get_user_model().objects.get_or_create(username=username)
        return user


class PeopleValidator(OAuth2Validator):
    """Adds the person's claims (email, email_verified, preferred_username, name, groups)."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile"}

    def get_additional_claims(self, request):
        known = person(request.user.username) or {}
        claims = {"preferred_username": known.get("preferred_username", request.user.username)}
        claims.update({name: known[name] for name in CLAIMS if name in known})
        return claims
