"""Creating a provider in one step: from a template, from a file, or empty."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from accounts.services import principal_roles
from audit.models import AuditRecord
from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Provider
from matrices.snapshot import snapshot_build
from tests.factories import matrix_without_ids, state

pytestmark = pytest.mark.django_db


URL = "/providers/new/"


REASON = "Onboarding Acme for the Q3 review."


def form(**overrides) -> dict:
    data = {
        "name": "Acme Cloud",
        "slug": "acme",
        "website": "https://acme.example",
        "summary": "Acme's managed database.",
        "visibility": "public",
        "start": "template:template",
        "reason": REASON,
    }
    return {**data, **overrides}


def singlestore_csv() -> bytes:
    return write_csv(rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore"))))


def test_the_page_offers_each_template_a_file_and_empty(as_user):
    response = as_user("superuser").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="template:template"' in html
    assert "Vendor-neutral template" in html
    assert 'value="file"' in html
    assert 'value="empty"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "csrfmiddlewaretoken" in html


def test_the_home_page_links_to_it_for_superusers_only(as_user):
    assert reverse("matrices:provider_new") in as_user("superuser").get("/").content.decode()
    assert reverse("matrices:provider_new") not in as_user("admin").get("/").content.decode()


def test_new_is_not_read_as_a_provider_slug():
    assert reverse("matrices:provider_new") == URL


@pytest.mark.parametrize("who", ["admin", "editor", "outsider"])
def test_it_refuses_everyone_but_superusers(as_user, who):
    client = as_user(who)
    before = state()
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert state() == before


def test_it_sends_anonymous_visitors_to_sign_in(as_user):
    client = as_user(None)
    before = state()
    for response in (client.get(URL), client.post(URL, form())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert state() == before


def test_from_the_template_the_matrix_is_the_templates_published_one(as_user):
    response = as_user("superuser").post(URL, form())
    acme = Provider.objects.get(slug="acme")
    template = Provider.objects.get(slug="template")
    assert response.status_code == 302
    assert response["Location"] == acme.get_absolute_url()
    assert matrix_without_ids(snapshot_build(acme)) == matrix_without_ids(
        template.published.snapshot
    )
    assert (acme.name, acme.website) == ("Acme Cloud", "https://acme.example")
    assert not acme.is_template


def test_from_a_file_the_matrix_is_what_the_file_says(as_user):
    data = singlestore_csv()
    response = as_user("superuser").post(
        URL, form(start="file", file=SimpleUploadedFile("singlestore.csv", data))
    )
    assert response.status_code == 302
    acme = Provider.objects.get(slug="acme")
    assert write_csv(rows_from_snapshot(snapshot_build(acme))) == data


def test_a_bad_file_lists_its_problems_and_writes_nothing(as_user):
    bad = (
        b"domain,offering,offering_kind,party,party_role,ownership,duty\r\n"
        b"Keys,Hosted,rented,Customer,customer,shared,Rotate.\r\n"
    )
    client = as_user("superuser")  # signing in is audited too
    before = state()
    response = client.post(URL, form(start="file", file=SimpleUploadedFile("bad.csv", bad)))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was created." in html
    assert "bad.csv: row 2, column offering_kind" in html
    assert 'value="Acme Cloud"' in html  # the rest of the form is kept
    assert state() == before


def test_a_file_the_matrix_refuses_writes_nothing(as_user):
    # Reads fine, but a domain name longer than a domain may be fails half-way.
    long_name = "D" * 200
    rows = f"{long_name},Hosted,managed,Customer,customer,customer,Rotate.\r\n"
    data = ("domain,offering,offering_kind,party,party_role,ownership,duty\r\n" + rows).encode()
    client = as_user("superuser")  # signing in is audited too
    before = state()
    response = client.post(URL, form(start="file", file=SimpleUploadedFile("long.csv", data)))
    assert response.status_code == 400
    assert "at most 160 characters" in response.content.decode()
    assert state() == before


def test_choosing_a_file_without_one_is_refused(as_user):
    client = as_user("superuser")  # signing in is audited too
    before = state()
    response = client.post(URL, form(start="file"))
    assert response.status_code == 400
    assert "Choose a .csv or .xlsx file" in response.content.decode()
    assert state() == before


def test_the_creator_becomes_its_provider_admin(as_user, users):
    as_user("superuser").post(URL, form())
    acme = Provider.objects.get(slug="acme")
    assert principal_roles(acme, users["superuser"]) == {Role.ADMIN}


def test_every_object_created_is_audited_with_the_shared_reason(as_user, users):
    as_user("superuser").post(URL, form())
    acme = Provider.objects.get(slug="acme")
    records = AuditRecord.objects.filter(provider=acme)
    kinds = sorted(set(records.values_list("object_type", flat=True)))
    assert kinds == ["cell", "domain", "offering", "party", "provider", "role"]
    assert set(records.values_list("reason", flat=True)) == {REASON}
    assert set(records.values_list("actor", flat=True)) == {users["superuser"].pk}
    assert records.filter(object_type="cell").count() == acme.cells.count()
    assert records.filter(action="grant", object_type="role").count() == 1


def test_without_a_reason_the_records_say_where_it_started(as_user):
    as_user("superuser").post(URL, form(reason=""))
    reasons = set(
        AuditRecord.objects.filter(provider__slug="acme").values_list("reason", flat=True)
    )
    assert reasons == {"New provider, started from the template “Vendor-neutral template”."}


def test_it_starts_as_an_unpublished_draft_nobody_else_sees(as_user):
    as_user("superuser").post(URL, form())
    acme = Provider.objects.get(slug="acme")
    assert acme.published_id is None
    assert not acme.versions.exists()
    assert as_user(None).get(acme.get_absolute_url()).status_code == 404
    assert as_user("outsider").get(acme.get_absolute_url()).status_code == 404


def test_empty_start_makes_an_empty_matrix(as_user):
    response = as_user("superuser").post(URL, form(start="empty"))
    acme = Provider.objects.get(slug="acme")
    assert response.status_code == 302
    assert (acme.offerings.count(), acme.domains.count(), acme.parties.count()) == (0, 0, 0)


def test_a_blank_slug_is_made_from_the_name(as_user):
    as_user("superuser").post(URL, form(slug="", name="Acme Data Platform"))
    assert Provider.objects.get(slug="acme-data-platform").name == "Acme Data Platform"


def test_a_taken_slug_writes_nothing(as_user):
    client = as_user("superuser")  # signing in is audited too
    before = state()
    response = client.post(URL, form(slug="singlestore"))
    assert response.status_code == 400
    assert "Provider with this Slug already exists." in response.content.decode()
    assert state() == before


def test_the_slug_new_is_reserved(as_user):
    client = as_user("superuser")  # signing in is audited too
    before = state()
    response = client.post(URL, form(slug="new"))
    assert response.status_code == 400
    assert "is reserved" in response.content.decode()
    assert state() == before
