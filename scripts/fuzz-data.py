"""Test data for scripts/api-fuzz.sh, in the scratch database it fuzzes.

    fuzz-data.py accounts            # "editor TOKEN" and "superuser TOKEN" lines
    fuzz-data.py config run.toml     # schemathesis.toml with this database's ids

``accounts`` makes a superuser (``fuzz-root``) and an API token for it and for
``demo-editor`` (an editor of SingleStore), so one run reaches what an editor
may do and another what only a site administrator may.

``config`` is run before each fuzzing run. It first sets up what the review
operations need and the fuzzer cannot make by itself: a provider with an
unpublished draft to submit, and three providers with a submission by
demo-editor waiting for review (to approve, to return, to withdraw), each
used by that operation alone, so the fuzzing of the other operations does not
change the draft under review. It also asks for one PDF, and imports the draft as it is
(so an import's status can be read). For the trust center it makes, on SingleStore (its
trust center enabled), access requests waiting for a decision, outside readers with live
access and webhooks with a delivery (to the discard port on loopback: the run allows
private addresses and nothing leaves the machine), each set used by the operations that
could use it up (a decision, a revocation, a deletion) apart from the others; and a
private provider with an NDA both accounts may read through a grant, to accept it. Then
it writes
schemathesis.toml with the values of its dictionaries refreshed from the
database: the ids, slugs and versions of SingleStore's rows now, the PDFs,
the pending submission's hash. A previous run may have deleted or changed
rows: each run starts from what is there.
"""

from __future__ import annotations

import json
import os
import sys
import tomllib
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.invitations import invitation_create  # noqa: E402
from accounts.models import Invitation, TokenScope  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import role_set  # noqa: E402
from accounts.tokens import token_create  # noqa: E402
from audit.context import acting_as  # noqa: E402
from matrices.exchange.files import write_csv  # noqa: E402
from matrices.exchange.longformat import rows_from_snapshot  # noqa: E402
from matrices.models import (  # noqa: E402
    Cell,
    ControlDomain,
    Duty,
    ImportJob,
    Offering,
    Party,
    PdfDocument,
    Provider,
    Submission,
)
from matrices.selectors.editions import edition_for  # noqa: E402
from matrices.services import draft_submit, provider_create_from  # noqa: E402
from matrices.services.documents import pdf_request  # noqa: E402
from matrices.services.imports import import_request  # noqa: E402
from matrices.snapshot import snapshot_build, snapshot_hash  # noqa: E402
from trust.centers import trust_center_update  # noqa: E402
from trust.grants import grant_create  # noqa: E402
from trust.models import AccessGrant  # noqa: E402
from trust.nda import nda_current, nda_publish  # noqa: E402
from trust.requests import access_request_confirm, access_request_create  # noqa: E402
from trust.selectors import offerings_to_grant  # noqa: E402
from trust.webhooks import webhook_create, webhook_ping  # noqa: E402

SUPERUSER = "fuzz-root"
EDITOR = "demo-editor"
DRAFTS = "singlestore"  # the provider demo-editor edits: the draft operations go there
TEMPLATE = "template"
# One provider per review operation, each used by that operation only.
REVIEW = {
    "submit": "fuzz-submit",
    "approve": "fuzz-approve",
    "return": "fuzz-return",
    "withdraw": "fuzz-withdraw",
}
# A private provider with an NDA that both accounts read through a grant (not in the
# "providers" dictionary: the fuzzer's own NDA versions would make the one to accept stale).
NDA_PROVIDER = "fuzz-nda"
# The discard port on loopback: every delivery is refused at once (api-fuzz.sh allows
# private addresses, so the fuzzer's webhooks may be made with it too).
HOOK = "http://127.0.0.1:9/fuzz"


def accounts() -> None:
    User = get_user_model()
    root = User.objects.filter(username=SUPERUSER).first()
    if root is None:
        # With an address: a signed-in subscriber subscribes their account's.
        root = User.objects.create_superuser(SUPERUSER, email=f"{SUPERUSER}@example.com")
    for label, user in (("editor", User.objects.get(username=EDITOR)), ("superuser", root)):
        print(label, token_create(user=user, name="schemathesis", scope=TokenScope.READ_WRITE)[1])


def _review_providers() -> dict[str, Provider]:
    """The review providers, made from the template by the system (so no user is an author
    of their drafts), with demo-editor as their editor; a pending submission on each but
    fuzz-submit's, where there is none."""
    editor = get_user_model().objects.get(username=EDITOR)
    template = Provider.objects.get(slug=TEMPLATE)
    found = {}
    for operation, slug in REVIEW.items():
        provider = Provider.objects.filter(slug=slug).first()
        if provider is None:
            provider = provider_create_from(
                actor=None,
                name=f"Fuzzing: {operation}",
                slug=slug,
                visibility="public",
                template=template,
                reason="Scratch provider of the API fuzzing run.",
            )
            role_set(actor=None, provider=provider, principal=editor, role=Role.EDITOR)
        pending = provider.submissions.filter(status=Submission.Status.PENDING).exists()
        if operation != "submit" and not pending:
            published = provider.published
            if published is None or published.snapshot_hash != _draft_hash(provider):
                draft_submit(actor=editor, provider=provider, summary="For the fuzzing run.")
        found[operation] = provider
    return found


def _draft_hash(provider: Provider) -> str:
    return snapshot_hash(snapshot_build(provider))


def _pdf(provider: Provider) -> None:
    """One PDF of the latest version, requested by demo-editor (rendered at once: eager tasks)."""
    editor = get_user_model().objects.get(username=EDITOR)
    if provider.published_id:
        pdf_request(actor=editor, edition=edition_for(editor, provider, "latest"), variant="matrix")


def _import(provider: Provider) -> None:
    """One import of the draft as it is, by demo-editor (applied at once: eager tasks), so
    the status of an import can be read."""
    editor = get_user_model().objects.get(username=EDITOR)
    data = write_csv(rows_from_snapshot(snapshot_build(provider)))
    import_request(
        actor=editor,
        provider=provider,
        filename="draft.csv",
        data=data,
        expected_hash=_draft_hash(provider),
        reason="For the fuzzing run.",
    )


def _invitations(provider: Provider) -> None:
    """Two open invitations to the draft's provider, by the superuser, for the operations on
    one invitation (read, resend, revoke); each run makes new ones."""
    root = get_user_model().objects.get(username=SUPERUSER)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    for n in (1, 2):
        invitation_create(
            actor=root,
            provider=provider,
            email=f"fuzz-{stamp}-{n}@example.com",
            role=Role.VIEWER,
            base_url="http://fuzz.invalid/",
            reason="For the fuzzing run.",
        )


def _access_requests(provider: Provider, stamp: str, kind: str) -> list[int]:
    """Three confirmed requests to read ``provider``, waiting for a decision."""
    ids = []
    for n in (1, 2, 3):
        made = access_request_create(
            provider=provider,
            name=f"Fuzz {kind} {n}",
            email=f"fuzz-{stamp}-{kind}-{n}@example.com",
            company="Fuzzing Inc.",
            purpose="For the fuzzing run.",
            base_url="http://fuzz.invalid/",
        )
        access_request_confirm(access_request=made, base_url="http://fuzz.invalid/")
        ids.append(made.pk)
    return ids


def _reader(username: str, provider: Provider) -> AccessGrant:
    """``username``'s live access to ``provider`` (given now by the system if none is)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, email=f"{username}@example.com")
    live = AccessGrant.objects.filter(
        provider=provider, user=user, ended_at=None, expires_at__gt=timezone.now()
    ).first()
    return live or grant_create(
        actor=None,
        provider=provider,
        user=user,
        expires_at=timezone.now() + timedelta(days=30),
        company="Fuzzing Inc.",
        reason="For the fuzzing run.",
    )


def _nda_provider() -> Provider:
    """The private provider whose NDA both accounts read and accept through their grants."""
    provider = Provider.objects.filter(slug=NDA_PROVIDER).first()
    if provider is None:
        provider = provider_create_from(
            actor=None,
            name="Fuzzing: NDA",
            slug=NDA_PROVIDER,
            visibility="private",
            template=Provider.objects.get(slug=TEMPLATE),
            reason="Scratch provider of the API fuzzing run.",
        )
    if nda_current(provider) is None:
        nda_publish(actor=None, provider=provider, body="# NDA\n\nKeep it to yourself.")
    for username in (EDITOR, SUPERUSER):
        _reader(username, provider)
    return provider


def _trust(provider: Provider) -> dict[str, list]:
    """What the trust center's operations act on, made anew each run; the dictionaries."""
    root = get_user_model().objects.get(username=SUPERUSER)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    # On, and approving no domain at once: the requests below wait for a decision.
    trust_center_update(actor=None, provider=provider, enabled=True, auto_approve_domains=[])
    hooks = [
        webhook_create(
            actor=root,
            provider=provider,
            url=HOOK,
            events=["version.published"],
            reason="For the fuzzing run.",
        )
        for _ in range(4)
    ]
    delivery = webhook_ping(actor=root, webhook=hooks[1], reason="For the fuzzing run.")
    nda = nda_current(_nda_provider())
    return {
        "request-approve-ids": _access_requests(provider, stamp, "approve"),
        "request-deny-ids": _access_requests(provider, stamp, "deny"),
        "grant-ids": [_reader(f"fuzz-reader-{stamp}", provider).pk],
        "grant-revoke-ids": [_reader(f"fuzz-reader-{stamp}-{n}", provider).pk for n in (1, 2, 3)],
        # Days ahead an approval or an extension may end, within TRUST_MAX_DAYS.
        "published-offerings": list(offerings_to_grant(provider).values_list("slug", flat=True)),
        "expiries": [
            (timezone.now() + timedelta(days=days)).isoformat(timespec="seconds")
            for days in (1, 30, 90)
        ],
        # One webhook changed, read and given new secrets; one pinged and redelivered (it
        # stays on); two deleted.
        "webhook-ids": [hooks[0].pk],
        "webhook-send-ids": [hooks[1].pk],
        "delivery-ids": [delivery.pk],
        "webhook-delete-ids": [hooks[2].pk, hooks[3].pk],
        "hooks": [HOOK],
        "nda-providers": [NDA_PROVIDER],
        "nda-numbers": [nda.number],
        "nda-hashes": [nda.sha256],
        "subscribers": [root.email],
    }


def _versions(values, extra=()) -> list[int]:
    """The versions rows are at, and the next two: the fuzzer's own edits move them on."""
    found = {*values, *extra}
    return sorted({v + step for v in found for step in (0, 1, 2)} | set(extra))


def dictionaries() -> dict[str, list]:
    """Fresh values for the dictionaries of schemathesis.toml that name rows of the database."""
    with acting_as("command:fuzz-data"):
        review = _review_providers()
        drafts = Provider.objects.get(slug=DRAFTS)
        _pdf(drafts)
        _import(drafts)
        _invitations(drafts)
        trust = _trust(drafts)
    offerings = Offering.objects.filter(provider=drafts)
    parties = Party.objects.filter(provider=drafts)
    domains = ControlDomain.objects.filter(provider=drafts)
    axes = [*offerings, *parties, *domains]
    pending = {
        operation: provider.submissions.filter(status=Submission.Status.PENDING).first()
        for operation, provider in review.items()
    }
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    values = {
        "providers": list(
            Provider.objects.exclude(slug__in=[*REVIEW.values(), NDA_PROVIDER])
            .order_by("slug")
            .values_list("slug", flat=True)
        ),
        "offerings": [o.slug for o in offerings],
        "domains": [d.slug for d in domains],
        # Ids in paths are strings (of digits) where the schema says so; in bodies, numbers.
        "offering-ids": [str(o.pk) for o in offerings],
        "party-ids": [str(p.pk) for p in parties],
        "domain-ids": [str(d.pk) for d in domains],
        "duty-ids": [
            str(pk)
            for pk in Duty.objects.filter(cell__provider=drafts)
            .order_by("pk")
            .values_list("pk", flat=True)[:50]
        ],
        "parties": [p.pk for p in parties],
        "row-versions": _versions((row.version for row in axes), extra=(1,)),
        "cell-versions": _versions(
            Cell.objects.filter(provider=drafts).values_list("version", flat=True), extra=(0,)
        ),
        "provider-versions": _versions(
            Provider.objects.values_list("version", flat=True), extra=(1,)
        ),
        "version-numbers": [
            str(n) for n in sorted({1, *drafts.versions.values_list("number", flat=True)})
        ],
        "pdf-ids": [
            str(pk)
            for pk in PdfDocument.objects.filter(provider=drafts)
            .order_by("pk")
            .values_list("pk", flat=True)
        ],
        # These two are integers in the schema (a string would only make negative cases).
        "import-ids": list(
            ImportJob.objects.filter(provider=drafts).order_by("pk").values_list("pk", flat=True)
        ),
        "invitation-ids": list(
            Invitation.objects.filter(
                provider=drafts, accepted_at=None, revoked_at=None
            ).values_list("pk", flat=True)
        ),
        "pdf-hashes": list(
            PdfDocument.objects.exclude(sha256="").order_by("pk").values_list("sha256", flat=True)
        ),
        "principals": [
            *users.values_list("username", flat=True),
            *Group.objects.order_by("name").values_list("name", flat=True),
        ],
        "templates": list(
            Provider.objects.filter(is_template=True)
            .order_by("slug")
            .values_list("slug", flat=True)
        ),
        "approve-hash": [pending["approve"].snapshot_hash] if pending["approve"] else [],
        **trust,
    }
    # A dictionary needs at least one value: keep the placeholder where the database has none.
    return {name: entries for name, entries in values.items() if entries}


def config(path: str) -> None:
    document = tomllib.loads((ROOT / "schemathesis.toml").read_text())
    for name, entries in dictionaries().items():
        document["dictionaries"][name] = {"values": entries}
    Path(path).write_text(toml_dumps(document))


# A TOML writer for what schemathesis.toml holds: tables, arrays of tables, strings,
# numbers, booleans and lists of them (the standard library only reads TOML). Every
# table gets its own header, which TOML allows everywhere, inline ones included.


def toml_dumps(document: dict) -> str:
    lines: list[str] = []
    _table(lines, [], document)
    return "\n".join(lines) + "\n"


def _is_tables(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _table(lines: list[str], path: list[str], table: dict) -> None:
    for key, value in table.items():
        if not isinstance(value, dict) and not _is_tables(value):
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in table.items():
        header = ".".join(_key(k) for k in [*path, key])
        if isinstance(value, dict):
            lines.extend(["", f"[{header}]"])
            _table(lines, [*path, key], value)
        elif _is_tables(value):
            for item in value:
                lines.extend(["", f"[[{header}]]"])
                _table(lines, [*path, key], item)


def _key(key: str) -> str:
    bare = key.replace("-", "").replace("_", "")
    return key if bare.isascii() and bare.isalnum() else json.dumps(key)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


if __name__ == "__main__":
    {"accounts": accounts, "config": config}[sys.argv[1]](*sys.argv[2:])
