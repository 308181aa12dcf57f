"""The audit log, access grants, imports and visibility over the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.access import roles_of
from accounts.roles import Role
from audit.models import AuditRecord
from matrices.demo.synthetic import synthetic_provider_create
from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Cell, MatrixVersion, Provider, Submission
from matrices.snapshot import snapshot_build
from tests.factories import customer_duty_set, publish

pytestmark = pytest.mark.django_db


API = "/api/v1/providers/singlestore"


def without_self_managed() -> bytes:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="singlestore")))
    return write_csv([r for r in rows if r["offering"] != "SingleStore Self-managed"])


def test_a_provider_admin_changes_visibility_with_the_version_they_saw(as_user):
    provider = Provider.objects.get(slug="singlestore")
    client = as_user("admin")
    stale = client.patch(
        f"{API}/",
        {"visibility": "private", "version": provider.version + 5},
        content_type="application/json",
    )
    assert stale.status_code == 409
    changed = client.patch(
        f"{API}/",
        {"visibility": "private", "version": provider.version, "reason": "embargo"},
        content_type="application/json",
    )
    assert changed.json()["visibility"] == "private"
    assert (
        as_user("editor")
        .patch(
            f"{API}/",
            {"visibility": "public", "version": provider.version + 1},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_a_site_administrator_creates_a_provider_from_the_template(as_user, users):
    response = as_user("superuser").post(
        "/api/v1/providers/",
        {"name": "Acme Data", "template": "template", "reason": "onboarding"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert (response.json()["slug"], response.json()["published_version"]) == ("acme-data", None)
    acme = Provider.objects.get(slug="acme-data")
    template = Provider.objects.get(slug="template")
    assert acme.cells.count() == template.cells.count() > 0
    assert roles_of(users["superuser"], acme) == {Role.ADMIN}
    assert AuditRecord.objects.filter(provider=acme, reason="onboarding").count() > 1


def test_a_provider_created_from_a_file_holds_the_file(as_user):
    response = as_user("superuser").post(
        "/api/v1/providers/from-file/",
        {
            "name": "Copy",
            "slug": "copy",
            "file": SimpleUploadedFile("m.csv", without_self_managed()),
        },
    )
    assert response.status_code == 201
    copied = rows_from_snapshot(snapshot_build(Provider.objects.get(slug="copy")))
    assert write_csv(copied) == without_self_managed()


def test_creating_a_provider_refuses_bad_input_and_non_administrators(as_user):
    root = as_user("superuser")
    before = (Provider.objects.count(), AuditRecord.objects.count())
    taken = root.post(
        "/api/v1/providers/", {"name": "X", "slug": "singlestore"}, content_type="application/json"
    )
    assert taken.status_code == 400
    no_template = root.post(
        "/api/v1/providers/", {"name": "X", "template": "nope"}, content_type="application/json"
    )
    assert "template" in no_template.json()["error"]["details"]
    bad_file = root.post(
        "/api/v1/providers/from-file/",
        {"name": "X", "file": SimpleUploadedFile("m.csv", b"domain,offering\r\nA,B\r\n")},
    )
    assert bad_file.status_code == 400
    form_encoded = root.post("/api/v1/providers/", {"name": "X"})  # multipart, not JSON
    assert form_encoded.status_code == 415
    assert (Provider.objects.count(), AuditRecord.objects.count()) == before
    refused = as_user("admin").post(
        "/api/v1/providers/", {"name": "X"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Provider.objects.count() == before[0]


MATRIX = "/api/v1/providers/{}/matrix/"


def test_the_provider_list_holds_what_the_caller_may_see(as_user):
    Provider.objects.filter(slug="astronomer").update(visibility="private")
    slugs = {p["slug"] for p in as_user(None).get("/api/v1/providers/").json()["results"]}
    assert slugs == {"singlestore", "clickhouse", "template"}
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    slugs = {p["slug"] for p in as_user("viewer").get("/api/v1/providers/").json()["results"]}
    assert "singlestore" in slugs


def test_a_provider_the_caller_may_not_see_is_404_with_an_error_body(as_user):
    Provider.objects.filter(slug="singlestore").update(visibility="private")
    response = as_user("outsider").get("/api/v1/providers/singlestore/")
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["status"] == 404
    assert body["error"]["message"]
    assert as_user("outsider").get(MATRIX.format("singlestore")).status_code == 404


def test_the_matrix_is_the_latest_version_for_the_public_and_the_draft_for_editors(as_user):
    public = as_user(None).get(MATRIX.format("singlestore")).json()
    assert (public["version"], public["draft"]) == (1, False)
    assert (
        public["snapshot_hash"] == Provider.objects.get(slug="singlestore").published.snapshot_hash
    )
    assert len(public["matrix"]["cells"]) == 45
    draft = as_user("editor").get(MATRIX.format("singlestore")).json()
    assert draft["draft"] is True
    assert draft["version"] is None


def test_only_those_who_see_the_draft_get_it(as_user):
    assert (
        as_user("viewer").get(MATRIX.format("singlestore"), {"version": "draft"}).status_code == 403
    )
    assert (
        as_user("auditor").get(MATRIX.format("singlestore"), {"version": "draft"}).status_code
        == 200
    )


def test_an_unknown_version_is_a_clear_404(as_user):
    response = as_user(None).get(MATRIX.format("singlestore"), {"version": "seven"})
    assert response.status_code == 404
    assert "use a number" in response.json()["error"]["message"]
    assert as_user(None).get(MATRIX.format("singlestore"), {"version": "9"}).status_code == 404


@pytest.mark.parametrize("who", [None, "superuser"])
def test_the_matrix_costs_the_same_queries_for_200_domains_as_for_singlestore(as_user, who):
    big = synthetic_provider_create(domains=200, offerings=6, parties=3)
    publish(big)
    client = as_user(who)
    params = {"version": "draft"} if who else {}
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(MATRIX.format("singlestore"), params).status_code == 200
    with CaptureQueriesContext(connection) as big_queries:
        response = client.get(MATRIX.format(big.slug), params)
    assert response.status_code == 200
    assert len(response.json()["matrix"]["cells"]) == 1200
    assert len(big_queries) == len(small_queries)


def test_the_versions_endpoint_lists_published_versions(as_user):
    versions = as_user(None).get("/api/v1/providers/singlestore/versions/").json()["results"]
    assert [v["number"] for v in versions] == [1]
    assert versions[0]["approved_by_label"] == "demo-approver"


def edit_draft(users, text: str = "Rotate the API keys monthly.") -> Cell:
    return customer_duty_set(
        users["editor"],
        text,
        domain="access-control",
        ownership=Cell.objects.get(
            provider__slug="singlestore", offering__slug="helios", domain__slug="access-control"
        ).ownership,
    )


def test_versions_are_paged_and_one_version_carries_its_snapshot(as_user):
    listing = as_user(None).get(f"{API}/versions/").json()
    assert listing["count"] == 1
    assert "snapshot" not in listing["results"][0]
    one = as_user(None).get(f"{API}/versions/1/").json()
    assert one["snapshot"] == MatrixVersion.objects.get(provider__slug="singlestore").snapshot
    assert as_user(None).get(f"{API}/versions/9/").status_code == 404


def test_the_diff_from_the_latest_version_to_the_draft_shows_an_edit_word_by_word(as_user, users):
    edit_draft(users)
    diff = as_user("editor").get(f"{API}/versions/latest/diff/draft/").json()
    assert (diff["old"], diff["new"]) == ("version 1 (latest)", "the draft")
    [change] = diff["cells"]
    assert (change["domain_slug"], change["change"]) == ("access-control", "changed")
    assert "<ins>API keys monthly.</ins>" in change["texts"][0]["words_html"]
    assert as_user(None).get(f"{API}/versions/1/diff/1/").json()["cells"] == []


def test_the_draft_diff_is_for_the_drafts_readers(as_user):
    assert as_user("viewer").get(f"{API}/versions/1/diff/draft/").status_code == 403
    assert as_user("viewer").get(f"{API}/versions/1/diff/nine/").status_code == 404


def test_submit_then_another_approver_publishes_version_2(as_user, users):
    edit_draft(users)
    submitted = as_user("editor").post(
        f"{API}/review/submit/", {"summary": "Monthly keys."}, content_type="application/json"
    )
    assert submitted.status_code == 200
    pending = submitted.json()["pending"]
    assert (pending["summary"], pending["submitted_by"]) == ("Monthly keys.", "demo-editor")
    wrong = as_user("approver").post(
        f"{API}/review/approve/", {"expected_hash": "0" * 64}, content_type="application/json"
    )
    assert wrong.status_code == 400
    approved = as_user("approver").post(
        f"{API}/review/approve/",
        {"expected_hash": pending["snapshot_hash"], "comment": "Checked."},
        content_type="application/json",
    )
    assert approved.status_code == 201
    assert approved.json()["number"] == 2
    assert Provider.objects.get(slug="singlestore").published.number == 2


def test_an_author_may_not_approve_their_own_draft_and_an_editor_may_not_approve(as_user, users):
    from accounts.roles import Role
    from accounts.services import role_set

    edit_draft(users)
    as_user("editor").post(
        f"{API}/review/submit/", {"summary": "x"}, content_type="application/json"
    )
    submission = Submission.objects.get(provider__slug="singlestore", status="pending")
    body = {"expected_hash": submission.snapshot_hash}
    assert (
        as_user("editor").post(f"{API}/review/approve/", body, content_type="application/json")
    ).status_code == 403
    role_set(
        actor=None,
        provider=submission.provider,
        principal=users["editor"],
        role=Role.ADMIN,  # may publish now, but made the change
    )
    refused = as_user("editor").post(
        f"{API}/review/approve/", body, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Provider.objects.get(slug="singlestore").published.number == 1


def test_return_and_withdraw_need_a_pending_submission(as_user, users):
    withdraw = as_user("editor").post(
        f"{API}/review/withdraw/", {}, content_type="application/json"
    )
    assert withdraw.status_code == 404
    edit_draft(users)
    as_user("editor").post(
        f"{API}/review/submit/", {"summary": "x"}, content_type="application/json"
    )
    no_comment = as_user("approver").post(
        f"{API}/review/return/", {}, content_type="application/json"
    )
    assert no_comment.status_code == 400
    returned = as_user("approver").post(
        f"{API}/review/return/", {"comment": "Say why."}, content_type="application/json"
    )
    assert returned.status_code == 200
    assert returned.json()["pending"] is None


def test_the_review_state_is_for_the_drafts_readers(as_user):
    assert as_user("viewer").get(f"{API}/review/").status_code == 403
    state = as_user("auditor").get(f"{API}/review/").json()
    assert (state["published_version"], state["pending"]) == (1, None)


def test_each_review_action_takes_the_shared_reason_into_the_audit_log(as_user, users):
    edit_draft(users)
    editor, approver = as_user("editor"), None

    def post(client, action: str, body: dict):
        response = client.post(f"{API}/review/{action}/", body, content_type="application/json")
        assert response.status_code in (200, 201), response.content
        return AuditRecord.objects.order_by("-seq").first()

    assert post(editor, "submit", {"summary": "s", "reason": "quarterly"}).reason == "quarterly"
    assert post(editor, "withdraw", {"reason": "one more edit"}).reason == "one more edit"
    post(editor, "submit", {"summary": "s"})
    approver = as_user("approver")
    returned = post(approver, "return", {"comment": "fix the typo", "reason": "typo"})
    assert (returned.action, returned.reason) == ("return", "typo")
    post(as_user("editor"), "submit", {"summary": "s"})
    pending = Submission.objects.get(status="pending")
    approved = post(
        as_user("approver"),
        "approve",
        {"expected_hash": pending.snapshot_hash, "reason": "reviewed with legal"},
    )
    assert (approved.action, approved.reason) == ("publish", "reviewed with legal")
    unknown = as_user("editor").post(
        f"{API}/review/withdraw/", {"reasons": "x"}, content_type="application/json"
    )
    assert unknown.status_code == 400


def test_a_published_versions_json_is_kept_and_carries_an_etag(as_user):
    client = as_user(None)
    first = client.get("/api/v1/providers/singlestore/matrix/")
    etag = first["ETag"]
    assert etag == f'"{Provider.objects.get(slug="singlestore").published.snapshot_hash[:32]}"'
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/v1/providers/singlestore/matrix/")
    assert again.content == first.content
    assert not [q for q in queries if '."snapshot"' in q["sql"]]  # the cached JSON is served
    assert (
        client.get(
            "/api/v1/providers/singlestore/matrix/", headers={"If-None-Match": etag}
        ).status_code
        == 304
    )
