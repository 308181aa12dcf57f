"""Serializers of the read API (writes arrive in a later change, through the services)."""

from __future__ import annotations

from rest_framework import serializers

from matrices.models import MatrixVersion, Offering, Party, Provider, SourceDocument


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = SourceDocument
        fields = ["title", "url"]


class OfferingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offering
        fields = ["id", "name", "slug", "kind", "service_model", "description", "position"]


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "name", "role", "position"]


class ProviderSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True, read_only=True)
    offerings = OfferingSerializer(many=True, read_only=True)
    parties = PartySerializer(many=True, read_only=True)
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
            "published_version",
            "sources",
            "offerings",
            "parties",
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
