"""Serializers of the API. They validate input; the services do the writing."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import Visibility
from matrices.api.base import EDITION, ReasonSerializer, StrictInput, reason_field
from matrices.exchange.files import MAX_FILE_BYTES
from matrices.models import (
    Cell,
    ControlDomain,
    Duty,
    MatrixVersion,
    Offering,
    Party,
    PdfDocument,
    PdfVariant,
    Provider,
    SourceDocument,
    Submission,
)
from matrices.models.catalogue import Ownership
from matrices.models.cell import duty_text_problem


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceDocument
        fields = ["title", "url"]


class AxisSerializer(StrictInput, serializers.ModelSerializer):
    """An offering, party or domain of the draft; writes carry the version edited and a reason."""

    required_in_patch = ("version",)

    version = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="The version you edited: required to change or delete; 409 if it moved on.",
    )
    position = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text="0-based place in the matrix; set it to move (past the end: last).",
    )
    reason = reason_field(write_only=True)


class OfferingSerializer(AxisSerializer):
    class Meta:
        model = Offering
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "service_model",
            "description",
            "position",
            "version",
            "reason",
        ]


class PartySerializer(AxisSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "role", "position", "version", "reason"]


class DomainSerializer(AxisSerializer):
    class Meta:
        model = ControlDomain
        fields = ["id", "name", "slug", "description", "category", "position", "version", "reason"]


class ProviderSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True, read_only=True)
    published_version = serializers.SerializerMethodField()

    class Meta:
        model = Provider
        fields = [
            "name",
            "slug",
            "website",
            "summary",
            "is_template",
            "visibility",
            "version",
            "published_version",
            "sources",
        ]

    def get_published_version(self, provider: Provider) -> int | None:
        return provider.published.number if provider.published_id else None


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatrixVersion
        fields = [
            "number",
            "published_at",
            "summary",
            "authors",
            "submitted_by_label",
            "approved_by_label",
            "snapshot_hash",
        ]


class MatrixDutySerializer(serializers.Serializer):
    party = serializers.IntegerField()
    text = serializers.CharField()
    text_html = serializers.CharField()
    advanced = serializers.BooleanField()
    not_applicable = serializers.BooleanField()
    scope = serializers.CharField(allow_blank=True)


class MatrixCellSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    offering = serializers.IntegerField()
    domain = serializers.IntegerField()
    ownership = serializers.CharField()
    duties = MatrixDutySerializer(many=True)


class MatrixDomainSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    category = serializers.CharField(allow_blank=True)


class MatrixOfferingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    kind = serializers.CharField()
    service_model = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)


class MatrixPartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()


class MatrixBodySerializer(serializers.Serializer):
    """The snapshot shape (matrices.snapshot), documented for the schema."""

    schema = serializers.IntegerField()
    provider = serializers.DictField()
    sources = SourceSerializer(many=True)
    offerings = MatrixOfferingSerializer(many=True)
    parties = MatrixPartySerializer(many=True)
    domains = MatrixDomainSerializer(many=True)
    cells = MatrixCellSerializer(many=True)


class MatrixSerializer(serializers.Serializer):
    provider = serializers.CharField()
    version = serializers.IntegerField(allow_null=True, help_text="Null for the draft.")
    draft = serializers.BooleanField()
    snapshot_hash = serializers.CharField()
    matrix = MatrixBodySerializer()


class DutySerializer(serializers.ModelSerializer):
    class Meta:
        model = Duty
        fields = ["id", "party", "text", "text_html", "advanced", "not_applicable", "scope"]


class CellSerializer(serializers.ModelSerializer):
    offering = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    duties = DutySerializer(many=True, read_only=True)

    class Meta:
        model = Cell
        fields = ["id", "offering", "domain", "ownership", "version", "duties"]


class DutyInputSerializer(StrictInput, serializers.Serializer):
    party = serializers.IntegerField(min_value=1, help_text="The party's id.")
    text = serializers.CharField(
        allow_blank=True,
        max_length=10_000,
        help_text="Markdown; blank (or only raw HTML, which is removed) only if not_applicable.",
    )
    advanced = serializers.BooleanField(default=False)
    not_applicable = serializers.BooleanField(default=False)
    scope = serializers.CharField(allow_blank=True, max_length=80, default="")

    def validate(self, data: dict) -> dict:
        # What Duty.clean refuses, said at the item (with its index) rather than for the cell.
        problem = duty_text_problem(data["text"], not_applicable=data["not_applicable"])
        if problem:
            raise serializers.ValidationError({"text": [problem]})
        return data


class CellWriteSerializer(StrictInput, serializers.Serializer):
    """The whole cell: its ownership and every party's duties, in order."""

    ownership = serializers.ChoiceField(choices=Ownership.choices)
    duties = DutyInputSerializer(
        many=True, help_text="In order; a party left out holds no duty in this cell."
    )
    version = serializers.IntegerField(
        min_value=0, help_text="The cell's version you edited; 0 for an empty cell."
    )
    reason = reason_field()


class DutyListSerializer(serializers.ModelSerializer):
    offering = serializers.SlugRelatedField(
        source="cell.offering", slug_field="slug", read_only=True
    )
    domain = serializers.SlugRelatedField(source="cell.domain", slug_field="slug", read_only=True)
    party_name = serializers.CharField(source="party.name", read_only=True)
    party_role = serializers.CharField(source="party.role", read_only=True)
    cell_version = serializers.IntegerField(source="cell.version", read_only=True)

    class Meta:
        model = Duty
        fields = [
            "id",
            "offering",
            "domain",
            "party",
            "party_name",
            "party_role",
            "text",
            "text_html",
            "advanced",
            "not_applicable",
            "scope",
            "cell_version",
        ]


class ProviderVisibilitySerializer(StrictInput, serializers.Serializer):
    required_in_patch = ("visibility", "version")  # PATCH /providers/{slug}/ sends both
    visibility = serializers.ChoiceField(choices=Visibility.choices)
    version = serializers.IntegerField(
        min_value=0, help_text="The provider's version you saw; 409 if it changed."
    )
    reason = reason_field()


class VersionDetailSerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "snapshot"]


class AxisChangeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    change = serializers.CharField()
    name = serializers.CharField()
    before = serializers.DictField(allow_null=True)
    after = serializers.DictField(allow_null=True)
    fields = serializers.ListField(child=serializers.CharField())


class TextChangeSerializer(serializers.Serializer):
    party = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)
    words_html = serializers.CharField(help_text="Escaped; removed words in <del>, added in <ins>.")


class CellChangeSerializer(serializers.Serializer):
    domain = serializers.CharField()
    domain_slug = serializers.CharField()
    offering = serializers.CharField()
    change = serializers.CharField()
    ownership_before = serializers.CharField(allow_blank=True)
    ownership_after = serializers.CharField(allow_blank=True)
    texts = TextChangeSerializer(many=True)


class DiffSerializer(serializers.Serializer):
    old = serializers.CharField()
    new = serializers.CharField()
    axes = AxisChangeSerializer(many=True)
    cells = CellChangeSerializer(many=True)


class SubmissionSerializer(serializers.ModelSerializer):
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Submission
        fields = ["id", "summary", "submitted_by", "submitted_at", "snapshot_hash", "status"]


class ReviewSerializer(serializers.Serializer):
    """Built from ``matrices.selectors.review.ReviewState``, as the versions page is."""

    draft_hash = serializers.CharField()
    published_version = serializers.IntegerField(allow_null=True)
    unpublished_changes = serializers.IntegerField()
    authors = serializers.ListField(child=serializers.CharField(), source="author_names")
    pending = SubmissionSerializer(allow_null=True)
    pending_is_current = serializers.BooleanField(
        help_text="Whether the pending submission is the draft as it is now (approvable)."
    )


class SubmitSerializer(ReasonSerializer):
    summary = serializers.CharField(max_length=2000, help_text="What changed, for the approver.")


class ApproveSerializer(ReasonSerializer):
    expected_hash = serializers.CharField(
        max_length=64, help_text="The pending submission's snapshot_hash you reviewed."
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReturnSerializer(ReasonSerializer):
    comment = serializers.CharField(max_length=2000, help_text="What the editors should change.")


class PdfRequestSerializer(StrictInput, serializers.Serializer):
    variant = serializers.ChoiceField(choices=PdfVariant.choices, default=PdfVariant.MATRIX)
    offering = serializers.RegexField(
        r"^[-a-zA-Z0-9_]*$",
        max_length=80,
        required=False,
        default="",
        allow_blank=True,
        help_text="The offering's slug, for offering and checklist PDFs.",
    )
    version = serializers.RegexField(
        EDITION,
        default="latest",
        max_length=12,
        error_messages={"invalid": 'A version number, "latest" or "draft".'},
        help_text='A version number, "latest" or "draft" (the draft\'s readers only).',
    )


class PdfDocumentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", allow_null=True, read_only=True)
    draft = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = PdfDocument
        fields = [
            "id",
            "variant",
            "offering",
            "version",
            "draft",
            "snapshot_hash",
            "status",
            "error",
            "created_at",
            "finished_at",
            "url",
            "download_url",
        ]

    def get_draft(self, document: PdfDocument) -> bool:
        return document.version_id is None

    def _url(self, document: PdfDocument, name: str) -> str:
        return reverse(name, args=[document.provider.slug, document.pk])

    def get_url(self, document: PdfDocument) -> str:
        return self._url(document, "api:pdf-detail")

    def get_download_url(self, document: PdfDocument) -> str | None:
        if document.status != PdfDocument.Status.READY:
            return None
        return self._url(document, "api:pdf-download")


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as a part of a multipart request: bytes, as the schema says (a FileField
    is otherwise documented as the URL it would be read back as)."""


def upload_within_limit(upload):
    """Refuse a file over the import limit before reading it."""
    if upload.size > MAX_FILE_BYTES:
        raise serializers.ValidationError(f"{upload.name}: larger than 5 MB; nothing was read.")
    return upload


class ProviderCreateSerializer(StrictInput, serializers.Serializer):
    """A new provider; its draft starts as a template's matrix, or empty."""

    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(
        max_length=80, required=False, help_text="Made from the name when left out."
    )
    website = serializers.URLField(required=False, allow_blank=True, default="")
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=600)
    visibility = serializers.ChoiceField(choices=Visibility.choices, default=Visibility.PUBLIC)
    template = serializers.SlugField(
        required=False, help_text="The slug of a template provider to start from."
    )
    reason = reason_field()


class ProviderCreateFromFileSerializer(ProviderCreateSerializer):
    """A new provider whose draft starts as a long-format file (a multipart upload)."""

    template = None  # the file is where it starts
    file = UploadField(
        validators=[upload_within_limit],
        help_text="A long-format .csv or .xlsx to start from.",
    )
