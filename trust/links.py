"""The tokens of the trust center's emailed links (an access request's confirmation, a
subscription's): the raw token exists only in the link; the database keeps its SHA-256,
found again by digest, so a copy of the database opens no link."""

from __future__ import annotations

import hashlib
import secrets


def link_digest(token: str) -> str:
    """What is stored of ``token``, and looked up when the link comes back."""
    return hashlib.sha256(token.encode()).hexdigest()


def link_token() -> tuple[str, str]:
    """A new token for a link, and its digest for the database."""
    token = secrets.token_urlsafe(32)
    return token, link_digest(token)
