"""Editing cells and axes through the pages: saved, audited, version-checked, sanitised."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.models import AuditRecord
from matrices.forms.edit import MAX_ITEMS_PER_PARTY
from matrices.models import Cell, ControlDomain, Duty, Party, Provider

pytestmark = pytest.mark.django_db


P = "singlestore"


def the_cell() -> Cell:
    return Cell.objects.get(provider__slug=P, offering__slug="helios", domain__slug="compliance")


def edit_url() -> str:
    return reverse("matrices:cell_edit", args=[P, "helios", "compliance"])


def payload(
    *,
    version: int,
    ownership="customer",
    texts: dict[str, list[str]] | None = None,
    reason="",
    **extra,
) -> dict:
    """A cell form as the browser sends it; ``texts`` maps party role to item texts."""
    texts = texts if texts is not None else {"customer": ["Keep evidence of **audits**."]}
    data = {"cell-ownership": ownership, "cell-version": version, "cell-reason": reason}
    for party in Party.objects.filter(provider__slug=P):
        items = texts.get(party.role, [])
        data[f"p{party.pk}-TOTAL_FORMS"] = len(items) + 1
        data[f"p{party.pk}-INITIAL_FORMS"] = len(items)
        for index, text in enumerate(items):
            data[f"p{party.pk}-{index}-text"] = text
    data.update(extra)
    return data


def changes():
    """Audit records of changes to content (sign-ins by the test client left out)."""
    return AuditRecord.objects.exclude(object_type="user")


def latest() -> AuditRecord:
    return changes().order_by("-seq").first()


def customer() -> Party:
    return Party.objects.get(provider__slug=P, role="customer")


def as_browser_sends(cell: Cell, customer_texts: list[str], **extra) -> dict:
    """The edit form as the browser sends it after "Add another item" made room.

    Every party keeps its saved items; the customer's slots hold ``customer_texts``
    (its saved items first), so TOTAL_FORMS counts the slots, INITIAL_FORMS the
    saved items.
    """
    data = {"cell-ownership": cell.ownership, "cell-version": cell.version, "cell-reason": ""}
    for party in Party.objects.filter(provider__slug=P):
        saved = [d.text for d in cell.duties.filter(party=party).order_by("position")]
        texts = customer_texts if party.pk == customer().pk else saved
        data[f"p{party.pk}-TOTAL_FORMS"] = len(texts)
        data[f"p{party.pk}-INITIAL_FORMS"] = len(saved)
        for index, text in enumerate(texts):
            data[f"p{party.pk}-{index}-text"] = text
    data.update(extra)
    return data


def customer_texts() -> list[str]:
    return [d.text for d in the_cell().duties.filter(party=customer()).order_by("position")]


def slots(html: str, party: Party) -> list[str]:
    """The names of the party's item textareas in the page, the template's left out."""
    return re.findall(rf'<textarea name="(p{party.pk}-\d+-text)"', html)


HTML_ONLY = "Raw HTML is removed from duties, and nothing was left"


def domain(slug="compliance") -> ControlDomain:
    return ControlDomain.objects.get(provider__slug=P, slug=slug)


def test_the_edit_form_shows_the_current_duties(as_user):
    html = as_user("editor").get(edit_url()).content.decode()
    for duty in the_cell().duties.all():
        assert duty.text.split()[0] in html
    assert f'name="cell-version" value="{the_cell().version}"' in html


def test_an_htmx_save_updates_the_cell_and_returns_its_row(as_user):
    cell = the_cell()
    response = as_user("editor").post(
        edit_url(),
        payload(version=cell.version, reason="annual review"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'hx-swap-oob="true"' in html
    assert "<strong>audits</strong>" in html
    cell.refresh_from_db()
    assert cell.ownership == "customer"
    assert cell.version == 2
    assert [d.text for d in cell.duties.all()] == ["Keep evidence of **audits**."]


def test_a_save_leaves_one_audit_record_with_before_after_and_reason(as_user, users):
    cell = the_cell()
    before = cell.audit_snapshot()
    seq = latest().seq
    as_user("editor").post(edit_url(), payload(version=cell.version, reason="annual review"))
    records = list(changes().filter(seq__gt=seq))
    assert len(records) == 1
    record = records[0]
    assert (record.action, record.object_type, record.object_id) == ("update", "cell", str(cell.pk))
    assert record.actor_id == users["editor"].pk
    assert record.reason == "annual review"
    assert record.before == before
    assert record.after["ownership"] == "customer"
    assert record.after["duties"] == [
        {
            "party": "Customer",
            "text": "Keep evidence of **audits**.",
            "advanced": False,
            "not_applicable": False,
            "scope": "",
        }
    ]
    assert set(record.changed_fields) == {"ownership", "duties"}
    assert record.request_id
    assert record.ip == "127.0.0.1"


def test_a_plain_save_redirects_back_to_the_row(as_user):
    response = as_user("editor").post(edit_url(), payload(version=the_cell().version))
    assert response.status_code == 302
    assert response["Location"].endswith("/providers/singlestore/#d-compliance")


def test_saving_unchanged_content_writes_nothing(as_user):
    cell = the_cell()
    current = {}
    for duty in cell.duties.select_related("party"):
        current.setdefault(duty.party.role, []).append(duty.text)
    seq = latest().seq
    as_user("editor").post(
        edit_url(), payload(version=cell.version, ownership=cell.ownership, texts=current)
    )
    assert latest().seq == seq
    assert the_cell().version == cell.version


@pytest.mark.parametrize("htmx", [True, False])
def test_a_stale_save_is_refused_with_both_versions_shown(as_user, htmx):
    cell = the_cell()
    client = as_user("editor")
    client.post(edit_url(), payload(version=cell.version, texts={"customer": ["First wins."]}))
    seq = latest().seq
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        edit_url(),
        payload(version=cell.version, texts={"customer": ["Second loses."]}),
        headers=headers,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed this cell" in html
    assert "First wins." in html  # the current value
    assert "Second loses." in html  # the rejected text, kept for the user
    assert [d.text for d in the_cell().duties.all()] == ["First wins."]
    assert latest().seq == seq
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert f'name="cell-version" value="{the_cell().version}"' in html


@pytest.mark.parametrize(("htmx", "status"), [(True, 422), (False, 400)])
def test_invalid_input_re_renders_with_errors_and_changes_nothing(as_user, htmx, status):
    cell = the_cell()
    customer = Party.objects.get(provider__slug=P, role="customer")
    data = payload(
        version=cell.version,
        **{f"p{customer.pk}-0-advanced": "on", f"p{customer.pk}-0-not_applicable": "on"},
    )
    seq = latest().seq
    response = as_user("editor").post(
        edit_url(), data, headers={"HX-Request": "true"} if htmx else {}
    )
    assert response.status_code == status
    assert "either advanced or not applicable" in response.content.decode()
    assert the_cell().version == cell.version
    assert latest().seq == seq


def test_an_unknown_ownership_is_refused(as_user):
    response = as_user("editor").post(
        edit_url(), payload(version=the_cell().version, ownership="mostly-them")
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_hostile_duty_text_is_inert_on_every_page_that_shows_it(as_user):
    hostile = (
        '<script>alert(1)</script><img src=x onerror="alert(2)">'
        '[click](javascript:alert(3)) <a href="#" onmouseover="alert(4)">x</a>'
    )
    client = as_user("admin")
    client.post(edit_url(), payload(version=the_cell().version, texts={"customer": [hostile]}))
    stored = the_cell().duties.get().text
    assert "<script" not in stored
    assert "onerror" not in stored
    pages = [
        reverse("matrices:provider", args=[P]),
        reverse("matrices:offering", args=[P, "helios"]),
        reverse("matrices:checklist", args=[P, "helios"]),
        reverse("matrices:compare", args=[P]),
        reverse("matrices:search") + "?q=click",
        edit_url(),
        reverse("matrices:audit_log", args=[P]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for attack in ("<script>alert", "onerror=", "onmouseover=", 'href="javascript:'):
            assert attack not in html, (url, attack)


def test_the_preview_renders_sanitised_markdown(as_user):
    response = as_user("editor").post(
        reverse("matrices:markdown_preview", args=[P]),
        {"field": "p1-0-text", "p1-0-text": "**bold** <script>x()</script>[a](javascript:y)"},
    )
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "javascript:" not in html.split("[a]")[0]


def test_the_editor_offers_add_another_item_and_an_empty_item_template_per_party(as_user):
    html = as_user("editor").get(edit_url()).content.decode()
    preview = reverse("matrices:markdown_preview", args=[P])
    templates = re.findall(r"<template data-item-template>(.*?)</template>", html, re.S)
    parties = list(Party.objects.filter(provider__slug=P))
    assert len(templates) == len(parties)
    for party, template in zip(parties, templates, strict=True):
        assert f'<button type="submit" name="add-item" value="{party.pk}"' in html
        assert f'name="p{party.pk}-__prefix__-text"' in template
        assert f'hx-post="{preview}"' in template  # new items get the live preview too
    assert "Add another item" in html
    assert "save and edit again" not in html


@pytest.mark.parametrize("htmx", [True, False])
def test_it_adds_two_items_in_one_save(as_user, htmx):
    cell = the_cell()
    saved = customer_texts()
    seq = latest().seq
    # The empty slot the editor offers is left empty; two added slots are filled.
    data = as_browser_sends(cell, [*saved, "", "Keep the **first** record.", "Then the second."])
    response = as_user("editor").post(
        edit_url(), data, headers={"HX-Request": "true"} if htmx else {}
    )
    assert response.status_code == (200 if htmx else 302)
    assert customer_texts() == [*saved, "Keep the **first** record.", "Then the second."]
    assert [r.object_type for r in changes().filter(seq__gt=seq)] == ["cell"]
    assert the_cell().version == cell.version + 1
    if htmx:
        assert "<strong>first</strong>" in response.content.decode()


@pytest.mark.parametrize("htmx", [True, False])
def test_add_another_item_without_javascript_comes_back_with_one_more_slot_and_saves_nothing(
    as_user, htmx
):
    cell = the_cell()
    saved = customer_texts()
    seq = latest().seq
    data = as_browser_sends(cell, [*saved, "Typed, not saved yet."], **{"add-item": customer().pk})
    response = as_user("editor").post(
        edit_url(), data, headers={"HX-Request": "true"} if htmx else {}
    )
    assert response.status_code == 200
    html = response.content.decode()
    if htmx:
        assert html.lstrip().startswith('<tr class="edit-row"')
    n = len(saved) + 1
    assert slots(html, customer()) == [f"p{customer().pk}-{i}-text" for i in range(n + 1)]
    assert f'name="p{customer().pk}-TOTAL_FORMS" value="{n + 1}"' in html
    assert "Typed, not saved yet.</textarea>" in html  # what was typed is kept
    # Focus goes to the new, empty item (not to the ownership, as on opening).
    assert re.search(rf'name="p{customer().pk}-{n}-text"[^>]*\bautofocus\b', html)
    assert not re.search(r"<select[^>]*\bautofocus\b", html)
    assert f"Item {n + 1}</label>" in html
    assert customer_texts() == saved
    assert the_cell().version == cell.version
    assert latest().seq == seq


def test_add_another_item_at_the_maximum_adds_none_and_says_so(as_user):
    cell = the_cell()
    full = [f"Item number {i}." for i in range(MAX_ITEMS_PER_PARTY)]
    seq = latest().seq
    data = as_browser_sends(cell, full, **{"add-item": customer().pk})
    response = as_user("editor").post(edit_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(slots(html, customer())) == MAX_ITEMS_PER_PARTY
    assert f"At most {MAX_ITEMS_PER_PARTY} items per party." in html
    assert re.search(r'<button type="submit" name="add-item" [^>]*\bhidden\b', html)
    assert the_cell().version == cell.version
    assert latest().seq == seq


@pytest.mark.parametrize(("htmx", "status"), [(True, 422), (False, 400)])
def test_more_items_than_the_maximum_are_refused_with_a_message(as_user, htmx, status):
    cell = the_cell()
    too_many = [f"Item number {i}." for i in range(MAX_ITEMS_PER_PARTY + 1)]
    seq = latest().seq
    response = as_user("editor").post(
        edit_url(),
        as_browser_sends(cell, too_many),
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == status
    assert f"At most {MAX_ITEMS_PER_PARTY} items per party." in response.content.decode()
    assert the_cell().version == cell.version
    assert latest().seq == seq


@pytest.mark.parametrize("text", ["<script>x</script>", "<b></b>", "<b> </b>"])
@pytest.mark.parametrize(("htmx", "status"), [(True, 422), (False, 400)])
def test_a_new_item_of_only_raw_html_is_refused_at_the_item_not_dropped(
    as_user, text, htmx, status
):
    cell = the_cell()
    saved = customer_texts()
    seq = latest().seq
    response = as_user("editor").post(
        edit_url(),
        as_browser_sends(cell, [*saved, text]),
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == status
    html = response.content.decode()
    # The message sits with the item it is about, which keeps what was typed.
    item = html.split(f'name="p{customer().pk}-{len(saved)}-text"')[1].split('class="duty-item"')[0]
    assert HTML_ONLY in item
    assert "write the duty in Markdown, or mark it not applicable." in item
    assert "Write the duty, or mark it not applicable." not in html
    assert customer_texts() == saved
    assert the_cell().version == cell.version
    assert latest().seq == seq


def test_a_saved_item_replaced_by_only_raw_html_is_refused(as_user):
    cell = the_cell()
    saved = customer_texts()
    seq = latest().seq
    response = as_user("editor").post(edit_url(), as_browser_sends(cell, ["<em></em>"]))
    assert response.status_code == 400
    assert HTML_ONLY in response.content.decode()
    assert customer_texts() == saved
    assert (the_cell().version, latest().seq) == (cell.version, seq)


def test_raw_html_around_words_keeps_the_words_and_an_emptied_item_is_still_removed(as_user):
    cell = the_cell()
    response = as_user("editor").post(
        edit_url(), as_browser_sends(cell, ["<b>Keep</b> the logs.", ""])
    )
    assert response.status_code == 302
    assert customer_texts() == ["Keep the logs."]


def test_an_item_of_only_raw_html_marked_not_applicable_is_a_bare_marker(as_user):
    cell = the_cell()
    data = as_browser_sends(cell, ["<b></b>"], **{f"p{customer().pk}-0-not_applicable": "on"})
    assert as_user("editor").post(edit_url(), data).status_code == 302
    duty = the_cell().duties.get(party=customer())
    assert (duty.not_applicable, duty.text) == (True, "")


def test_adding_a_domain_appends_it_and_audits_it(as_user):
    seq = latest().seq
    response = as_user("editor").post(
        reverse("matrices:axis_add", args=[P, "domains"]),
        {
            "domains-name": "Physical security",
            "domains-slug": "physical-security",
            "domains-category": "DCS",
            "domains-reason": "new row",
        },
    )
    assert response.status_code == 302
    added = domain("physical-security")
    assert added.position == ControlDomain.objects.filter(provider__slug=P).count() - 1
    record = changes().get(seq__gt=seq)
    assert (record.action, record.object_type, record.after["name"]) == (
        "create",
        "domain",
        "Physical security",
    )


def test_adding_a_domain_with_a_taken_slug_shows_the_error(as_user):
    response = as_user("editor").post(
        reverse("matrices:axis_add", args=[P, "domains"]),
        {"domains-name": "Another", "domains-slug": "compliance"},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_renaming_a_domain_is_version_checked(as_user):
    target = domain()
    url = reverse("matrices:axis_edit", args=[P, "domains", target.pk])
    client = as_user("editor")
    fields = {"slug": "compliance", "category": "GRC", "description": ""}
    ok = client.post(url, {**fields, "name": "Compliance (renamed)", "version": target.version})
    assert ok.status_code == 302
    stale = client.post(url, {**fields, "name": "Compliance (stale)", "version": target.version})
    assert stale.status_code == 409
    assert domain().name == "Compliance (renamed)"
    assert "Compliance (stale)" in stale.content.decode()


def test_moving_a_domain_up_renumbers_and_audits_each_moved_row(as_user):
    target = domain()
    above = ControlDomain.objects.get(provider__slug=P, position=target.position - 1)
    seq = latest().seq
    as_user("editor").post(
        reverse("matrices:axis_move", args=[P, "domains", target.pk]),
        {"version": target.version, "offset": -1},
    )
    assert domain().position == above.position
    assert ControlDomain.objects.get(pk=above.pk).position == target.position
    records = changes().filter(seq__gt=seq)
    assert sorted(r.object_id for r in records) == sorted([str(target.pk), str(above.pk)])
    assert all(r.changed_fields == ["position"] for r in records)


def test_deleting_a_domain_says_what_goes_with_it_then_audits_every_cell(as_user):
    target = domain()
    url = reverse("matrices:axis_delete", args=[P, "domains", target.pk])
    client = as_user("editor")
    page = client.get(url).content.decode()
    duty_count = Duty.objects.filter(cell__domain=target).count()
    assert f"deletes 3 cells with {duty_count} duties" in " ".join(page.split())
    seq = latest().seq
    assert client.post(url, {"version": target.version, "reason": "merged"}).status_code == 302
    assert not ControlDomain.objects.filter(pk=target.pk).exists()
    records = list(changes().filter(seq__gt=seq).order_by("seq"))
    assert [(r.action, r.object_type) for r in records] == [("delete", "cell")] * 3 + [
        ("delete", "domain")
    ]
    assert all(r.reason == "merged" for r in records)
    assert all(r.before and r.after is None for r in records)


def test_deleting_a_party_updates_every_cell_it_had_duties_in(as_user):
    party = Party.objects.get(provider__slug=P, role="provider")
    cells = Cell.objects.filter(duties__party=party).distinct().count()
    seq = latest().seq
    as_user("editor").post(
        reverse("matrices:axis_delete", args=[P, "parties", party.pk]), {"version": party.version}
    )
    records = list(changes().filter(seq__gt=seq))
    assert len([r for r in records if r.object_type == "cell" and r.action == "update"]) == cells
    assert Provider.objects.get(slug=P).parties.count() == 1
