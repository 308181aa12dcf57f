"""The NDA clickwrap: versions published by provider admins, accepted by readers given
access before anything gated is shown, and asked again on each new version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import ProviderUserRole
from audit.models import AuditAction, AuditRecord, ObjectType
from matrices.models import PdfDocument
from tests.trust.nda_setup import TERMS, private, publish_nda, reader_with_grant
from trust.grants import grant_revoke
from trust.models import Nda, NdaAcceptance
from trust.nda import nda_accept, nda_current, nda_pending

pytestmark = pytest.mark.django_db

P = "singlestore"
NDA_PAGE = reverse("trust:nda", args=[P])
MANAGE = reverse("trust:nda_manage", args=[P])
MATRIX = reverse("matrices:provider", args=[P])


@pytest.fixture
def provider(users):
    provider = private(P)
    publish_nda(provider, users["admin"])
    return provider


@pytest.fixture
def grant(provider):
    return reader_with_grant(provider)


@pytest.fixture
def reader(client, grant):
    client.force_login(grant.user)
    return client


def role_waits(grant) -> bool:
    return ProviderUserRole.objects.get(
        content_object=grant.provider, user=grant.user
    ).needs_agreement


def accept(client, nda: Nda, **data):
    fields = {"number": nda.number, "sha256": nda.sha256, "accept": "on", **data}
    return client.post(NDA_PAGE, fields, REMOTE_ADDR="203.0.113.9")


# Publishing


def test_it_publishes_a_version_with_its_hash_audited(provider, users):
    nda = nda_current(provider)
    assert (nda.number, nda.body, nda.created_by) == (1, TERMS, users["admin"])
    record = AuditRecord.objects.filter(object_type=ObjectType.NDA).latest("seq")
    assert record.action == AuditAction.CREATE
    assert record.after == {"number": 1, "sha256": nda.sha256}
    assert record.actor == users["admin"]
    assert record.reason == "counsel's text"
    second = publish_nda(provider, users["admin"], TERMS + "\n\nAnd for two years.")
    assert second.number == 2
    assert second.sha256 != nda.sha256


def test_it_refuses_a_body_identical_to_the_current_version(provider, users):
    with pytest.raises(ValidationError, match="nothing changed"):
        publish_nda(provider, users["admin"], TERMS + "\n")  # the same once trimmed
    assert Nda.objects.filter(provider=provider).count() == 1


def test_it_refuses_an_empty_agreement_and_strips_raw_html(provider, users):
    with pytest.raises(ValidationError, match="empty"):
        publish_nda(provider, users["admin"], "  <script>alert(1)</script> ")
    nda = publish_nda(provider, users["admin"], "Keep it <b>secret</b>.<script>x()</script>")
    assert nda.body == "Keep it secret."


def test_a_trust_manager_cannot_publish_but_reads_the_versions(provider, as_user, users):
    with pytest.raises(PermissionDenied):
        publish_nda(provider, users["trust_manager"], "Other terms.")
    client = as_user("trust_manager")
    page = client.get(MANAGE)
    assert page.status_code == 200
    assert nda_current(provider).sha256 in page.content.decode()
    assert client.post(MANAGE, {"body": "Other terms."}).status_code == 403
    assert Nda.objects.filter(provider=provider).count() == 1


def test_the_team_page_is_refused_to_others(provider, as_user):
    assert as_user("viewer").get(MANAGE).status_code == 403
    assert as_user("outsider").get(MANAGE).status_code == 404
    assert as_user(None).get(MANAGE).status_code == 404  # a private provider, as elsewhere


def test_an_admin_publishes_from_the_team_page(provider, as_user):
    client = as_user("admin")
    response = client.post(MANAGE, {"body": "New terms.", "reason": "renewal"})
    assert response.status_code == 302
    assert nda_current(provider).body == "New terms."
    again = client.post(MANAGE, {"body": "New terms."})
    assert again.status_code == 400
    assert "nothing changed" in again.content.decode()


def test_the_preview_renders_safely_for_admins_only(provider, as_user):
    url = reverse("trust:nda_preview", args=[P])
    body = "## Term\n\n<img src=x onerror=alert(1)>[x](javascript:alert(1)) *ok*"
    html = as_user("admin").post(url, {"body": body}).content.decode()
    assert "<h3>Term</h3>" in html  # one level down: the page has the h1
    assert "<em>ok</em>" in html
    assert "onerror" not in html
    assert "href" not in html
    assert as_user("trust_manager").post(url, {"body": body}).status_code == 403


# A reader whose role waits for the NDA


def test_a_granted_reader_waits_for_the_nda(grant):
    assert role_waits(grant)


def test_without_an_nda_a_reader_never_waits_and_the_page_says_so(users, client):
    grant = reader_with_grant(private(P))
    assert not role_waits(grant)
    client.force_login(grant.user)
    page = client.get(NDA_PAGE)
    assert page.status_code == 200
    assert "nothing to accept" in page.content.decode()
    assert client.get(MATRIX).status_code == 200


def test_a_waiting_reader_is_sent_to_the_nda_from_the_provider_pages(reader):
    for url in (MATRIX, reverse("matrices:versions", args=[P])):
        response = reader.get(url)
        assert response.status_code == 302
        assert response["Location"] == NDA_PAGE


def test_a_waiting_reader_gets_no_pdf(grant, as_user, tasks_in_process):
    start = reverse("matrices:pdf_start", args=[P])
    as_user("admin").get(start, {"version": "latest", "variant": "matrix"})
    document = PdfDocument.objects.get(status=PdfDocument.Status.READY)
    download = reverse("matrices:pdf_download", args=[P, document.pk])
    reader = as_user(None)
    reader.force_login(grant.user)
    response = reader.get(download)
    assert response.status_code == 302
    assert response["Location"] == NDA_PAGE
    assert accept(reader, nda_current(document.provider)).status_code == 302
    response = reader.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_reader_page_shows_the_current_nda_with_its_hash(reader, provider):
    nda = nda_current(provider)
    page = reader.get(NDA_PAGE).content.decode()
    assert "<h2>Confidentiality</h2>" in page
    assert "<strong>everything</strong>" in page
    assert nda.sha256 in page
    assert "on behalf of Acme Corp" in page
    assert f'name="sha256" value="{nda.sha256}"' in page


def test_accepting_lets_the_reader_read_the_provider(reader, grant, provider):
    response = accept(reader, nda_current(provider))
    assert response.status_code == 302
    assert response["Location"] == MATRIX
    assert not role_waits(grant)
    assert reader.get(MATRIX).status_code == 200


def test_the_acceptance_is_stored_with_ip_hash_version_and_audited(reader, grant, provider):
    nda = nda_current(provider)
    accept(reader, nda)
    acceptance = NdaAcceptance.objects.get()
    assert (acceptance.nda, acceptance.user, acceptance.sha256) == (nda, grant.user, nda.sha256)
    assert (acceptance.name, acceptance.email, acceptance.company) == (
        "Rita Reader",
        "reader@acme.example",
        "Acme Corp",
    )
    assert acceptance.ip_address == "203.0.113.9"
    record = AuditRecord.objects.filter(object_type=ObjectType.NDA_ACCEPTANCE).get()
    assert record.action == AuditAction.ACCEPT
    assert record.actor == grant.user
    assert record.after == {
        "who": "Rita Reader",
        "email": "reader@acme.example",
        "company": "Acme Corp",
        "ip": "203.0.113.9",
        "nda": 1,
        "sha256": nda.sha256,
    }


def test_an_unticked_box_accepts_nothing(reader, grant, provider):
    response = accept(reader, nda_current(provider), accept="")
    assert response.status_code == 400
    assert "Tick the box" in response.content.decode()
    assert not NdaAcceptance.objects.exists()
    assert role_waits(grant)


def test_accepting_twice_keeps_one_acceptance(grant, provider):
    nda = nda_current(provider)
    first = nda_accept(user=grant.user, provider=provider, nda=nda, ip_address="192.0.2.1")
    second = nda_accept(user=grant.user, provider=provider, nda=nda, ip_address="192.0.2.2")
    assert first == second
    assert NdaAcceptance.objects.count() == 1


def test_a_new_version_makes_the_reader_wait_again(reader, grant, provider, users):
    accept(reader, nda_current(provider))
    assert not role_waits(grant)
    publish_nda(provider, users["admin"], TERMS + "\n\nFor five years.")
    assert role_waits(grant)
    assert nda_pending(provider, grant.user)
    assert reader.get(MATRIX)["Location"] == NDA_PAGE
    # The roles held in their own right never wait.
    assert not ProviderUserRole.objects.filter(
        content_object=provider, needs_agreement=True, expires_at__isnull=True
    ).exists()


def test_live_readers_are_emailed_when_a_new_version_asks_them_again(
    grant, provider, users, mail, django_capture_on_commit_callbacks
):
    ended = reader_with_grant(provider, username="former")
    grant_revoke(actor=users["admin"], grant=ended, reason="contract ended")
    with django_capture_on_commit_callbacks(execute=True):
        publish_nda(provider, users["admin"], TERMS + "\n\nFor five years.")
    (message,) = mail.wait_for(grant.user.email)
    assert "new NDA" in message["Subject"]
    assert NDA_PAGE in mail.text(message)
    assert nda_current(provider).sha256 in mail.text(message)
    assert mail.messages(ended.user.email) == []


def test_a_late_acceptance_of_an_old_version_is_refused(reader, grant, provider, users):
    old = nda_current(provider)
    publish_nda(provider, users["admin"], TERMS + "\n\nFor five years.")
    response = accept(reader, old)
    assert response.status_code == 400
    page = response.content.decode()
    assert "A newer NDA was published" in page
    assert "read it" in page
    assert nda_current(provider).sha256 in page  # the new version, to read
    assert not NdaAcceptance.objects.exists()
    assert role_waits(grant)


def test_a_hash_that_is_not_the_versions_is_refused(reader, grant, provider):
    response = accept(reader, nda_current(provider), sha256="0" * 64)
    assert response.status_code == 400
    assert not NdaAcceptance.objects.exists()
    assert role_waits(grant)


def test_someone_without_a_grant_cannot_accept(provider, as_user, users):
    with pytest.raises(PermissionDenied):
        nda_accept(
            user=users["outsider"],
            provider=provider,
            nda=nda_current(provider),
            ip_address="192.0.2.1",
        )
    assert as_user("outsider").get(NDA_PAGE).status_code == 404
    assert accept(as_user("outsider"), nda_current(provider)).status_code == 404
    assert as_user("viewer").get(NDA_PAGE).status_code == 404  # a role, but no grant
    assert not NdaAcceptance.objects.exists()


def test_visitors_are_sent_to_sign_in(provider, as_user):
    response = as_user(None).get(NDA_PAGE)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_a_revoked_reader_cannot_accept(reader, grant, provider, users):
    grant_revoke(actor=users["admin"], grant=grant, reason="the deal fell through")
    assert reader.get(NDA_PAGE).status_code == 404
    assert accept(reader, nda_current(provider)).status_code == 404
    assert reader.get(MATRIX).status_code == 404
    assert not NdaAcceptance.objects.exists()


def test_the_team_page_lists_acceptances_and_exports_them(reader, provider, as_user):
    accept(reader, nda_current(provider))
    client = as_user("trust_manager")
    page = client.get(MANAGE).content.decode()
    assert "reader@acme.example" in page
    assert "203.0.113.9" in page
    export = client.get(reverse("trust:nda_acceptances_csv", args=[P]))
    assert export["Content-Type"].startswith("text/csv")
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert lines[0] == "accepted_at,name,email,company,ip_address,nda_version,sha256"
    assert "Rita Reader,reader@acme.example,Acme Corp,203.0.113.9,1," in lines[1]
    assert as_user("viewer").get(reverse("trust:nda_acceptances_csv", args=[P])).status_code == 403


def test_exporting_the_acceptances_is_audited_as_the_reading_events_are(
    reader, provider, as_user, users
):
    """The export names people, their addresses and IPs: who took it is in the audit log
    (a HEAD exports nothing and records nothing)."""
    accept(reader, nda_current(provider))
    client = as_user("trust_manager")
    assert client.head(reverse("trust:nda_acceptances_csv", args=[P])).status_code == 200
    assert not AuditRecord.objects.filter(action="download").exists()
    export = client.get(reverse("trust:nda_acceptances_csv", args=[P]))
    b"".join(export.streaming_content)
    (record,) = AuditRecord.objects.filter(action="download")
    assert record.actor_id == users["trust_manager"].pk
    assert record.provider_id == provider.pk
    assert record.after == {"rows": 1}
