"""Outside readers' access: given for a time, read on every path while it lasts, refused on
every path once it expires, ended and audited by the periodic task, extended and revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.access import can
from accounts.models import ProviderUserRole
from accounts.roles import Action, Visibility
from audit.models import AuditAction, AuditRecord, ObjectType
from matrices.models import PdfDocument, Provider
from matrices.services.documents import pdf_render
from tests.test_confidentiality import api_urls, crawl
from trust.grants import grant_create, grant_extend, grant_revoke, grants_expire, grants_remind
from trust.models import AccessGrant, Nda

pytestmark = pytest.mark.django_db


@pytest.fixture
def private(singlestore) -> Provider:
    Provider.objects.filter(pk=singlestore.pk).update(visibility=Visibility.PRIVATE)
    singlestore.refresh_from_db()
    return singlestore


@pytest.fixture
def reader(db):
    return get_user_model().objects.create_user("ria", "ria@customer.example")


def fresh(user):
    """The user as the next request loads it (roles are cached per instance)."""
    return get_user_model().objects.get(pk=user.pk)


def _grant(provider, reader, actor, days: float = 1) -> AccessGrant:
    return grant_create(
        actor=actor,
        provider=provider,
        user=reader,
        expires_at=timezone.now() + timedelta(days=days),
        company="Customer Ltd",
    )


def _move_past_expiry(grant: AccessGrant) -> None:
    """Time moves on: the grant (and its role) expired a second ago."""
    past = timezone.now() - timedelta(seconds=1)
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=past)
    ProviderUserRole.objects.filter(user=grant.user, content_object=grant.provider).update(
        expires_at=past
    )


def _reader_urls(client) -> dict[str, int]:
    pages, _ = crawl(client, ["/providers/singlestore/"], until_canary=False)
    # The crawl queued the PDFs (rendered after the commit that never comes in a test):
    # render the matrix one, and add its download.
    document = PdfDocument.objects.get(provider__slug="singlestore", variant="matrix")
    pdf_render(document.pk)
    download = f"/providers/singlestore/pdf/{document.pk}/download/"
    pages[download] = client.get(download).status_code
    api = {url: client.get(url).status_code for url in api_urls() if "singlestore" in url}
    return {
        url: status
        for url, status in {**pages, **api}.items()
        if url.startswith(("/providers/singlestore", "/api/v1/providers/singlestore"))
    }


def test_a_grant_opens_a_private_provider_on_every_path_and_its_expiry_closes_each(
    private, reader, users, client
):
    grant = _grant(private, reader, users["trust_manager"])
    client.force_login(reader)
    before = _reader_urls(client)
    readable = sorted(url for url, status in before.items() if status == 200)
    # Pages, offerings, exports, PDFs and the API all answered the reader.
    assert "/providers/singlestore/" in readable
    assert any("/export." in url for url in readable)
    assert any("/pdf/" in url and url.endswith("/download/") for url in readable)
    assert any(url.startswith("/api/v1/providers/singlestore/versions/") for url in readable)

    _move_past_expiry(grant)

    after = {url: client.get(url).status_code for url in readable}
    assert {url: status for url, status in after.items() if status != 404} == {}


def test_the_periodic_task_ends_expired_grants_and_audits_each(private, reader, users):
    grant = _grant(private, reader, users["admin"])
    _move_past_expiry(grant)

    assert grants_expire() == 1

    grant.refresh_from_db()
    assert grant.ended_at is not None
    assert not ProviderUserRole.objects.filter(user=reader, content_object=private).exists()
    record = AuditRecord.objects.filter(
        object_type=ObjectType.ACCESS_GRANT, action=AuditAction.EXPIRE
    ).get()
    assert (record.actor_id, record.object_id) == (None, str(grant.pk))
    assert grants_expire() == 0  # once


def test_the_task_leaves_live_grants_alone(private, reader, users):
    grant = _grant(private, reader, users["admin"], days=2)
    assert grants_expire() == 0
    grant.refresh_from_db()
    assert grant.ended_at is None
    assert can(fresh(reader), private, Action.VIEW)


def test_readers_are_emailed_once_within_the_reminder_window(
    private, reader, users, mail, settings, django_capture_on_commit_callbacks
):
    settings.TRUST_REMIND_DAYS = 7
    with django_capture_on_commit_callbacks(execute=True):
        _grant(private, reader, users["admin"], days=6)
    mail.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert grants_remind() == 1
        assert grants_remind() == 0
    [message] = mail.wait_for("ria@customer.example")
    assert "ends on" in message["Subject"]
    assert "SingleStore" in message["Subject"]
    assert AuditRecord.objects.filter(action=AuditAction.REMIND).count() == 1


def test_no_reminder_long_before_the_end(private, reader, users, settings):
    settings.TRUST_REMIND_DAYS = 7
    _grant(private, reader, users["admin"], days=20)
    assert grants_remind() == 0


def test_extending_moves_the_end_and_is_audited(private, reader, users):
    grant = _grant(private, reader, users["admin"])
    _move_past_expiry(grant)
    grant.refresh_from_db()
    assert not can(fresh(reader), private, Action.VIEW)

    grant_extend(
        actor=users["trust_manager"], grant=grant, expires_at=timezone.now() + timedelta(days=3)
    )

    assert can(fresh(reader), private, Action.VIEW)
    record = AuditRecord.objects.get(action=AuditAction.EXTEND)
    assert record.before["expires_at"] < record.after["expires_at"]


def test_revoking_needs_a_reason_and_ends_reading_at_once(private, reader, users):
    grant = _grant(private, reader, users["admin"])
    with pytest.raises(ValidationError):
        grant_revoke(actor=users["admin"], grant=grant, reason="  ")
    assert can(fresh(reader), private, Action.VIEW)

    grant_revoke(actor=users["admin"], grant=grant, reason="contract ended")

    assert not can(fresh(reader), private, Action.VIEW)
    assert (
        AuditRecord.objects.get(
            action=AuditAction.REVOKE, object_type=ObjectType.ACCESS_GRANT
        ).reason
        == "contract ended"
    )


@pytest.mark.parametrize("days", [-1, 400])
def test_it_refuses_an_expiry_in_the_past_or_beyond_the_longest(
    private, reader, users, days, settings
):
    settings.TRUST_MAX_DAYS = 366
    with pytest.raises(ValidationError):
        _grant(private, reader, users["admin"], days=days)
    assert not AccessGrant.objects.exists()
    assert not ProviderUserRole.objects.filter(user=reader).exists()


def test_it_refuses_a_second_live_grant_and_someone_holding_a_role(private, reader, users):
    _grant(private, reader, users["admin"])
    with pytest.raises(ValidationError, match="extend"):
        _grant(private, reader, users["admin"])
    with pytest.raises(ValidationError, match="holds a role"):
        _grant(private, users["editor"], users["admin"])


@pytest.mark.parametrize("who", ["editor", "approver", "auditor", "viewer", "outsider"])
def test_only_admins_and_trust_managers_grant(private, reader, users, who):
    with pytest.raises(PermissionDenied):
        _grant(private, reader, users[who])
    assert not AccessGrant.objects.exists()


def test_a_reader_waiting_for_the_nda_reads_nothing_until_accepted(private, reader, users):
    Nda.objects.create(provider=private, number=1, body="Keep it secret.")
    _grant(private, reader, users["admin"])
    assert ProviderUserRole.objects.get(user=reader, content_object=private).needs_agreement
    assert not can(fresh(reader), private, Action.VIEW)


def test_a_reader_role_expires_while_a_role_held_in_its_own_right_stays(private, reader, users):
    grant = _grant(private, reader, users["admin"])
    _move_past_expiry(grant)
    assert not can(fresh(reader), private, Action.VIEW)
    assert can(users["viewer"], private, Action.VIEW)
    assert (
        ProviderUserRole.objects.get(user=users["viewer"], content_object=private).expires_at
        is None
    )
