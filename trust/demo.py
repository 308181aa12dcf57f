"""The trust center's demo data (development only), loaded after the providers' demo.

ClickHouse Cloud becomes private behind an open trust center: an introduction, a domain
approved at once, NDA version 1, two requests waiting, a reader who accepted the NDA, one
whose access ends in five days and has not accepted it yet, one whose access was revoked,
and two months of reading from five companies. SingleStore (public) opens its trust center
and has two confirmed subscribers.

Everything but the reading events goes through the trust center's services, so the audit
log records it; the events are made directly, as the pages would have recorded them. Each
step looks first whether its result is there: running it twice changes nothing.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, Visibility
from accounts.selectors import principal_roles
from accounts.services import role_set
from matrices.demo.accounts import DEMO_PASSWORD, demo_usernames
from matrices.models import Provider
from matrices.richtext import clean_markdown
from matrices.services import provider_set_visibility
from trust.centers import trust_center_of, trust_center_update
from trust.grants import grant_revoke
from trust.models import AccessGrant, AccessRequest, NdaAcceptance, ReadEvent, Subscription
from trust.nda import nda_accept, nda_current, nda_publish
from trust.requests import access_request_approve, access_request_confirm, access_request_create
from trust.subscriptions import subscription_confirm_loaded, subscription_request

GATED = "clickhouse"
OPEN = "singlestore"
REASON = "Demo data for development."
AUTO_APPROVED_DOMAIN = "northwind-bank.example"

GATED_INTRODUCTION = """\
ClickHouse Cloud shares its **shared-responsibility matrix** and the customer checklists with
customers, prospects and their auditors under an NDA.

- Ask for access below with your work email; you confirm it, then our security team decides,
  usually within one business day.
- Addresses at our partners' domains are approved at once.
- Access lasts 30 days; ask us to extend it if your review takes longer.

Questions: trust@clickhouse.example.
"""

OPEN_INTRODUCTION = """\
SingleStore's shared-responsibility matrices are public: read them online or download the
PDFs. Subscribe to hear of each new version, first the duties that move to you.
"""

NDA_BODY = """\
# Mutual non-disclosure agreement

## 1. Confidential information

Everything ClickHouse, Inc. ("ClickHouse") shows you through this trust center (matrices,
checklists, reports and their PDFs) is confidential information.

## 2. Use

You use it only to assess ClickHouse Cloud for your organisation, and share it only with
colleagues and auditors who need it for that assessment and are bound by similar terms.

## 3. Duration

These obligations last two years from the day you accept, and survive the end of your access.

## 4. No licence

Nothing here grants a licence or a warranty; the documents describe the service as it is.
"""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    company: str
    purpose: str
    username: str = ""  # a sign-in account with the demo password, made before the request


MAYA = Person(
    "Maya Chen",
    "maya.chen@northwind-bank.example",
    "Northwind Bank",
    "Third-party risk assessment of ClickHouse Cloud before our analytics platform moves "
    "there; our auditors ask for the shared-responsibility matrix.",
    username="demo-reader",
)
PRIYA = Person(
    "Priya Raman",
    "priya.raman@contoso-health.example",
    "Contoso Health",
    "HIPAA vendor review: which safeguards stay with us when we run ClickHouse Cloud.",
    username="demo-reader-2",
)
SAM = Person(
    "Sam Okafor",
    "sam.okafor@tailspin-analytics.example",
    "Tailspin Analytics",
    "Proof of concept of ClickHouse Cloud for our product analytics.",
)
WAITING = (
    Person(
        "Lena Fischer",
        "lena.fischer@wingtip-insurance.example",
        "Wingtip Insurance",
        "Vendor due diligence before we move claims analytics to ClickHouse Cloud. Our "
        "auditors need the customer checklist for the SOC 2 bridge letter.",
    ),
    Person(
        "Tomás Ortega",
        "t.ortega@fabrikam-retail.example",
        "Fabrikam Retail",
        "Security questionnaire for procurement (ClickHouse Cloud on AWS, eu-west-1).",
    ),
)
SUBSCRIBERS = ("security-news@adatum.example", "grc-team@litware.example")

# Who read ClickHouse Cloud over two months: company, readers, and how busy they were.
READING_COMPANIES = (
    ("Northwind Bank", ("maya.chen@northwind-bank.example", "j.olsen@northwind-bank.example"), 7),
    ("Contoso Health", ("ciso-office@contoso-health.example", "d.wu@contoso-health.example"), 5),
    ("Tailspin Analytics", ("sam.okafor@tailspin-analytics.example",), 3),
    ("Adatum Corporation", ("r.patel@adatum.example", "audit@adatum.example"), 5),
    ("Litware", ("m.rossi@litware.example",), 2),
)
# Documents and how often each is read (the pages' names: matrices.views.reading).
DOCUMENTS = (
    ("matrix", ReadEvent.Kind.VIEW, 30),
    ("offering:cloud", ReadEvent.Kind.VIEW, 22),
    ("checklist:cloud", ReadEvent.Kind.VIEW, 12),
    ("compare", ReadEvent.Kind.VIEW, 3),
    ("pdf:matrix", ReadEvent.Kind.DOWNLOAD, 10),
    ("pdf:offering:cloud", ReadEvent.Kind.DOWNLOAD, 7),
    ("pdf:checklist:cloud", ReadEvent.Kind.DOWNLOAD, 8),
    ("export:csv", ReadEvent.Kind.DOWNLOAD, 4),
    ("api:matrix", ReadEvent.Kind.VIEW, 4),
)
READING_DAYS = 60


def _demo_user(role: Role):
    return get_user_model().objects.filter(username=demo_usernames()[role]).first()


def _reader_account(person: Person):
    """The person's sign-in account (made once, with the demo password and a verified address)."""
    User = get_user_model()
    user = User.objects.filter(username=person.username).first()
    if user is None:
        first, _, last = person.name.partition(" ")
        user = User(username=person.username, email=person.email, first_name=first, last_name=last)
        validate_password(DEMO_PASSWORD, user)
        user.set_password(DEMO_PASSWORD)
        user.save()  # audited by accounts.user_log
        EmailAddress.objects.create(user=user, email=person.email, verified=True, primary=True)
    return user


def _confirmed_request(provider: Provider, person: Person, ip: str) -> AccessRequest:
    """The person's request, made and confirmed as through the form and the emailed link."""
    found = AccessRequest.objects.filter(provider=provider, email=person.email).first()
    if found is not None:
        return found
    if person.username:
        _reader_account(person)
    access_request = access_request_create(
        provider=provider,
        name=person.name,
        email=person.email,
        company=person.company,
        purpose=person.purpose,
        ip_address=ip,
    )
    return access_request_confirm(access_request=access_request).access_request


def _managers(provider: Provider) -> tuple:
    """The demo admin and trust manager, given those roles on ``provider`` too (None, None
    without demo accounts: the system acts)."""
    admin, manager = _demo_user(Role.ADMIN), _demo_user(Role.TRUST_MANAGER)
    for user, role in ((admin, Role.ADMIN), (manager, Role.TRUST_MANAGER)):
        if user is not None and principal_roles(provider, user) != {role}:
            role_set(actor=None, provider=provider, principal=user, role=role, reason=REASON)
    return admin, manager


def _center(provider: Provider, actor, **settings) -> str:
    center = trust_center_of(provider)
    wanted = {
        "enabled": True,
        "introduction": clean_markdown(settings["introduction"]),
        "default_days": 30,
        "auto_approve_domains": settings.get("auto_approve_domains", []),
    }
    have = {
        "enabled": center.enabled,
        "introduction": center.introduction,
        "default_days": center.default_days,
        "auto_approve_domains": list(center.auto_approve_domains),
    }
    if center.pk is not None and have == wanted:
        return "trust center already enabled"
    trust_center_update(actor=actor, provider=provider, reason=REASON, **wanted)
    return "trust center enabled"


def _reading(provider: Provider, now: datetime, users: dict[str, object]) -> int:
    """Two months of views and downloads, busier on weekdays and in each company's review
    weeks; seeded, so the same every time. None if the demo's readers already read."""
    readers = [email for _, emails, _ in READING_COMPANIES for email in emails]
    if ReadEvent.objects.filter(provider=provider, reader__in=readers).exists():
        return 0
    version = provider.published
    rng = random.Random(12)  # noqa: S311 - invented reading, not a secret
    documents = [(d, k) for d, k, weight in DOCUMENTS for _ in range(weight)]
    events = []
    for company, emails, busy in READING_COMPANIES:
        review_start = rng.randrange(0, READING_DAYS - 14)
        for day in range(READING_DAYS):
            date = now - timedelta(days=READING_DAYS - day)
            weekday = date.weekday() < 5
            reviewing = review_start <= day < review_start + 14
            expected = busy * (0.9 if reviewing else 0.12) * (1 if weekday else 0.15)
            for _ in range(_poisson(rng, expected)):
                document, kind = rng.choice(documents)
                email = rng.choice(emails)
                at = date.replace(hour=rng.randint(7, 18), minute=rng.randrange(60))
                events.append(
                    ReadEvent(
                        provider=provider,
                        version=version,
                        version_number=version.number if version else None,
                        document=document,
                        kind=kind,
                        user=users.get(email),
                        reader=email,
                        company=company,
                        at=min(at, now),
                    )
                )
    ReadEvent.objects.bulk_create(events)
    return len(events)


def _poisson(rng: random.Random, mean: float) -> int:
    """A count with the given mean (Knuth's method: the means here are small)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


@transaction.atomic
def gated_demo_load(*, now: datetime | None = None) -> list[str]:
    """ClickHouse Cloud private behind its trust center, with readers and their reading."""
    now = now or timezone.now()
    provider = Provider.objects.filter(slug=GATED).first()
    if provider is None or provider.published_id is None:
        return [f"{GATED}: not loaded or not published; run loaddemo first"]
    admin, manager = _managers(provider)
    done = []
    if provider.visibility != Visibility.PRIVATE:
        provider = provider_set_visibility(
            actor=admin,
            provider=provider,
            visibility=Visibility.PRIVATE,
            expected_version=None,
            reason=REASON,
        )
        done.append("made private")
    done.append(
        _center(
            provider,
            manager,
            introduction=GATED_INTRODUCTION,
            auto_approve_domains=[AUTO_APPROVED_DOMAIN],
        )
    )
    if nda_current(provider) is None:
        nda_publish(actor=admin, provider=provider, body=NDA_BODY, reason=REASON)
        done.append("NDA v1 published")

    # Maya's address is at the domain approved at once; she accepted the NDA.
    maya = _confirmed_request(provider, MAYA, "203.0.113.24")
    if not NdaAcceptance.objects.filter(nda__provider=provider, user=maya.user).exists():
        nda_accept(
            user=maya.user, provider=provider, nda=nda_current(provider), ip_address="203.0.113.24"
        )
    # Priya was approved for five days and has not accepted the NDA yet.
    priya = _confirmed_request(provider, PRIYA, "198.51.100.7")
    if priya.status == AccessRequest.Status.PENDING:
        access_request_approve(
            actor=manager,
            access_request=priya,
            expires_at=now + timedelta(days=5),
            reason="A short look before the contract review.",
        )
    # Sam's access was revoked when the proof of concept ended.
    sam = _confirmed_request(provider, SAM, "192.0.2.50")
    if sam.status == AccessRequest.Status.PENDING:
        grant = access_request_approve(
            actor=manager, access_request=sam, expires_at=now + timedelta(days=30)
        )
        grant_revoke(actor=manager, grant=grant, reason="The proof of concept ended.")
    for number, person in enumerate(WAITING, 1):
        _confirmed_request(provider, person, f"203.0.113.{100 + number}")
    done.append(
        f"{AccessGrant.objects.filter(provider=provider, ended_at__isnull=True).count()} readers, "
        f"{AccessRequest.objects.filter(provider=provider, status='pending').count()} "
        "requests waiting"
    )
    users = {maya.email: maya.user}
    added = _reading(provider, now, users)
    done.append(f"{added} reading events added" if added else "reading events already there")
    return [f"{provider.name}: {item}" for item in done]


@transaction.atomic
def open_demo_load() -> list[str]:
    """SingleStore's trust center open, with two confirmed subscribers."""
    provider = Provider.objects.filter(slug=OPEN).first()
    if provider is None:
        return [f"{OPEN}: not loaded; run loaddemo first"]
    done = [_center(provider, _demo_user(Role.TRUST_MANAGER), introduction=OPEN_INTRODUCTION)]
    for email in SUBSCRIBERS:
        subscription = Subscription.objects.filter(
            provider=provider, email=email, unsubscribed_at__isnull=True
        ).first() or subscription_request(provider=provider, email=email)
        subscription_confirm_loaded(subscription=subscription, reason=REASON)
    done.append(f"{len(SUBSCRIBERS)} confirmed subscribers")
    return [f"{provider.name}: {item}" for item in done]


def trust_demo_load(*, production: bool, now: datetime | None = None) -> list[str]:
    """Both trust-center demos; what each step did, line by line. Refused in production:
    the readers and their reading are invented."""
    if production:
        raise ImproperlyConfigured("The trust-center demo is never loaded in production.")
    return [*gated_demo_load(now=now), *open_demo_load()]


def trust_demo_accounts() -> list[tuple[str, str]]:
    """The demo readers' usernames and what each shows."""
    return [
        (MAYA.username, f"{MAYA.name}, {MAYA.company}: reads ClickHouse Cloud, NDA accepted"),
        (PRIYA.username, f"{PRIYA.name}, {PRIYA.company}: 5 days left, NDA not accepted yet"),
    ]
