"""What the access-request tests share: a private SingleStore with its trust center on,
requests made and confirmed through the services, and the form's answers."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model

from accounts.roles import Visibility
from audit.models import AuditRecord
from matrices.models import Provider
from matrices.services import provider_set_visibility
from tests.servers import Mailbox
from trust.centers import trust_center_update
from trust.forms import request_stamp
from trust.models import AccessRequest
from trust.requests import access_request_confirm, access_request_create

REQUESTER = "ada@bank.example"
BASE = "http://testserver/"


def private_with_trust_center(slug: str = "singlestore", **settings) -> Provider:
    """``slug`` made private, its trust center enabled (by the system)."""
    provider = Provider.objects.get(slug=slug)
    provider_set_visibility(
        actor=None,
        provider=provider,
        visibility=Visibility.PRIVATE,
        expected_version=provider.version,
    )
    trust_center_update(actor=None, provider=provider, enabled=True, **settings)
    provider.refresh_from_db()
    return provider


def answers(provider: Provider, *, email: str = REQUESTER, age: float = 10, **extra) -> dict:
    """The request form as a person fills it in, ``age`` seconds after it was shown."""
    return {
        "name": "Ada Lovelace",
        "email": email,
        "company": "First Bank",
        "purpose": "Security review before we sign.",
        "stamp": request_stamp(provider, at=time.time() - age),
        "website": "",
        **extra,
    }


def pending_request(provider: Provider, email: str = REQUESTER, name: str = "Ada Lovelace"):
    """A request made and confirmed through the services: waiting for a decision."""
    made = access_request_create(
        provider=provider,
        name=name,
        email=email,
        company="First Bank",
        purpose="Security review.",
        base_url=BASE,
    )
    access_request_confirm(access_request=made, base_url=BASE)
    return AccessRequest.objects.get(pk=made.pk)


def reader(email: str = REQUESTER):
    return get_user_model().objects.get(email=email)


def records(object_type: str, action: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(object_type=object_type, action=action))


def link_in(message, part: str) -> str:
    (link,) = [url for url in Mailbox.links(message) if part in url]
    return link.removeprefix("http://testserver")
