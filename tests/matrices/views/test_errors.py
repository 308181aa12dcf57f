"""A refused write answers the same status on every page, as it does in the API.

A stale version (or a draft changed since a dry run) is 409, invalid input is
400 (422 to htmx, which swaps the form back in), a rule the service enforces
for the user's role is 403; the page says why, and nothing changes.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matrices.exchange.files import write_csv
from matrices.exchange.longformat import rows_from_snapshot
from matrices.models import Cell, ControlDomain, Party, Provider
from matrices.snapshot import snapshot_build
from tests.factories import customer_duty_set, state, submit

pytestmark = pytest.mark.django_db

P = "singlestore"
STALE = 7  # added to a version: one that does not exist yet


def compliance() -> ControlDomain:
    return ControlDomain.objects.get(provider__slug=P, slug="compliance")


def cell_form(*, version_offset: int = STALE, ownership: str = "customer") -> dict:
    cell = Cell.objects.get(provider__slug=P, offering__slug="helios", domain__slug="compliance")
    data = {
        "cell-ownership": ownership,
        "cell-version": cell.version + version_offset,
        "cell-reason": "",
    }
    for party in Party.objects.filter(provider__slug=P):
        data[f"p{party.pk}-TOTAL_FORMS"] = 1
        data[f"p{party.pk}-INITIAL_FORMS"] = 0
        data[f"p{party.pk}-0-text"] = "Refused text." if party.role == "customer" else ""
    return data


def domain_form(**fields) -> dict:
    domain = compliance()
    return {
        "name": domain.name,
        "slug": domain.slug,
        "description": "",
        "category": "",
        "version": domain.version + STALE,
        "reason": "",
        **fields,
    }


def import_dry_run(client) -> None:
    rows = rows_from_snapshot(snapshot_build(Provider.objects.get(slug=P)))[:-3]
    upload = SimpleUploadedFile("m.csv", write_csv(rows))
    client.post(reverse("matrices:import", args=[P]), {"step": "dry-run", "file": upload})


def cell_url() -> str:
    return reverse("matrices:cell_edit", args=[P, "helios", "compliance"])


def axis_url(action: str = "axis_edit") -> str:
    return reverse(f"matrices:{action}", args=[P, "domains", compliance().pk])


# (name, user, url, data(client), status of the page, status to htmx, what the page says)
REFUSALS = [
    ("stale cell", "editor", cell_url, lambda c: cell_form(), 409, 409, "someone else"),
    (
        "stale axis edit",
        "editor",
        axis_url,
        lambda c: domain_form(),
        409,
        409,
        "someone else",
    ),
    (
        "stale axis move",
        "editor",
        lambda: axis_url("axis_move"),
        lambda c: {"version": compliance().version + STALE, "offset": 1},
        409,
        409,
        "nothing moved",
    ),
    (
        "stale axis delete",
        "editor",
        lambda: axis_url("axis_delete"),
        lambda c: {"version": compliance().version + STALE},
        409,
        409,
        "nothing was deleted",
    ),
    (
        "stale visibility",
        "admin",
        lambda: reverse("matrices:visibility", args=[P]),
        lambda c: {
            "visibility": "private",
            "version": Provider.objects.get(slug=P).version + STALE,
        },
        409,
        409,
        "nothing changed",
    ),
    (
        "import against a changed draft",
        "editor",
        lambda: reverse("matrices:import", args=[P]),
        lambda c: (import_dry_run(c), {"step": "apply", "expected_hash": "0" * 64})[1],
        409,
        409,
        "changed since the dry run",
    ),
    (
        "invalid cell",
        "editor",
        cell_url,
        lambda c: cell_form(version_offset=0, ownership="mine"),
        400,
        422,
        "not one of the available choices",
    ),
    (
        "invalid axis edit",
        "editor",
        axis_url,
        lambda c: domain_form(name="", version=compliance().version),
        400,
        422,
        "This field is required",
    ),
    (
        "invalid axis add",
        "editor",
        lambda: reverse("matrices:axis_add", args=[P, "domains"]),
        lambda c: {"domains-name": "", "domains-slug": "x"},
        400,
        422,
        "This field is required",
    ),
    (
        "summary missing",
        "editor",
        lambda: reverse("matrices:review_submit", args=[P]),
        lambda c: {"summary": ""},
        400,
        422,
        "Nothing was done",
    ),
    (
        "unchanged draft submitted",
        "editor",
        lambda: reverse("matrices:review_submit", args=[P]),
        lambda c: {"summary": "Nothing changed."},
        400,
        422,
        "identical to the published version",
    ),
    (
        "unknown principal",
        "admin",
        lambda: reverse("matrices:access", args=[P]),
        lambda c: {"principal_kind": "user", "principal": "nobody", "role": "viewer"},
        400,
        422,
        "No active user named",
    ),
    (
        "no file to import",
        "editor",
        lambda: reverse("matrices:import", args=[P]),
        lambda c: {"step": "dry-run"},
        400,
        422,
        "Choose a .csv or .xlsx file",
    ),
    (
        "invalid new provider",
        "superuser",
        lambda: reverse("matrices:provider_new"),
        lambda c: {"name": "", "visibility": "public", "start": "empty"},
        400,
        422,
        "This field is required",
    ),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(
    ("name", "who", "url", "data", "status", "htmx_status", "says"),
    REFUSALS,
    ids=[r[0] for r in REFUSALS],
)
def test_a_refused_write_answers_its_status_says_why_and_changes_nothing(
    as_user, name, who, url, data, status, htmx_status, says, htmx
):
    client = as_user(who)
    payload = data(client)
    before = state()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url(), payload, headers=headers)
    assert response.status_code == (htmx_status if htmx else status), name
    assert says.lower() in response.content.decode().lower(), name
    assert state() == before


def test_approving_ones_own_change_is_403_on_the_page_as_in_the_api(as_user, users):
    customer_duty_set(users["admin"], "The admin's own wording.")
    pending = submit(users, Provider.objects.get(slug=P))
    client = as_user("admin")
    before = state()
    body = {"submission": pending.pk, "expected_hash": pending.snapshot_hash, "comment": ""}
    page = client.post(reverse("matrices:review_approve", args=[P]), body)
    assert page.status_code == 403
    assert "another approver must publish it" in page.content.decode()
    api = client.post(
        f"/api/v1/providers/{P}/review/approve/",
        {"expected_hash": pending.snapshot_hash},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert state() == before


@pytest.mark.parametrize(
    ("page_name", "api_call"),
    [
        (
            "stale cell",
            lambda c: c.put(
                f"/api/v1/providers/{P}/cells/helios/compliance/",
                {"ownership": "customer", "duties": [], "version": 999},
                content_type="application/json",
            ),
        ),
        (
            "stale axis edit",
            lambda c: c.patch(
                f"/api/v1/providers/{P}/domains/{compliance().pk}/",
                {"name": "Renamed", "version": 999},
                content_type="application/json",
            ),
        ),
        (
            "invalid cell",
            lambda c: c.put(
                f"/api/v1/providers/{P}/cells/helios/compliance/",
                {"ownership": "mine", "duties": [], "version": 1},
                content_type="application/json",
            ),
        ),
    ],
)
def test_the_api_answers_the_same_refusal_with_the_same_status(as_user, page_name, api_call):
    page = next(r for r in REFUSALS if r[0] == page_name)
    response = api_call(as_user("editor"))
    assert response.status_code == page[4]
    assert response.json()["error"]["status"] == page[4]
