"""Django admin for every matrix model: read-only (staff only, as the admin always is).

Every change to matrix content must go through the audited, version-checked
services, which the portal's own pages call; the admin is for looking.
"""

from django.contrib import admin
from django.db import models

from accounts.admin import ReadOnly  # no add, change or delete: writes go through services
from matrices.models import (
    Cell,
    ControlDomain,
    Duty,
    ImportJob,
    MatrixVersion,
    Offering,
    Party,
    PdfDocument,
    Provider,
    SourceDocument,
    Submission,
)

# URLs typed without a scheme are read as https (Django 6's default, asked for now).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class SourceDocumentInline(ReadOnly, admin.TabularInline):
    model = SourceDocument
    formfield_overrides = HTTPS_URLS
    extra = 0


class OfferingInline(ReadOnly, admin.TabularInline):
    model = Offering
    extra = 0
    fields = ("position", "name", "slug", "kind", "service_model")
    prepopulated_fields = {"slug": ("name",)}


class PartyInline(ReadOnly, admin.TabularInline):
    model = Party
    extra = 0
    fields = ("position", "name", "role")


@admin.register(Provider)
class ProviderAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "slug", "website", "is_template", "updated_at")
    list_filter = ("is_template",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (SourceDocumentInline, OfferingInline, PartyInline)
    formfield_overrides = HTTPS_URLS


@admin.register(Offering)
class OfferingAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "provider", "kind", "service_model", "position")
    list_filter = ("kind", "service_model", "provider")
    list_select_related = ("provider",)
    search_fields = ("name", "slug", "provider__name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Party)
class PartyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "provider", "role", "position")
    list_filter = ("role", "provider")
    list_select_related = ("provider",)
    search_fields = ("name", "provider__name")


@admin.register(ControlDomain)
class ControlDomainAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "provider", "category", "position")
    list_filter = ("category", "provider")
    list_select_related = ("provider",)
    search_fields = ("name", "slug", "provider__name")
    prepopulated_fields = {"slug": ("name",)}


class DutyInline(ReadOnly, admin.StackedInline):
    model = Duty
    extra = 0
    fields = ("party", "position", "text", "advanced", "not_applicable", "scope")


@admin.register(Cell)
class CellAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("domain", "offering", "provider", "ownership")
    list_filter = ("ownership", "provider")
    list_select_related = ("domain", "offering", "provider")
    search_fields = ("domain__name", "offering__name", "provider__name")
    raw_id_fields = ("provider", "offering", "domain")
    inlines = (DutyInline,)


@admin.register(Duty)
class DutyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "party", "cell", "advanced", "not_applicable")
    list_filter = ("advanced", "not_applicable", "party__role")
    list_select_related = ("party", "cell__domain", "cell__offering")
    search_fields = ("text",)
    raw_id_fields = ("cell", "party")
    readonly_fields = ("text_html",)


@admin.register(SourceDocument)
class SourceDocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("title", "provider", "url")
    formfield_overrides = HTTPS_URLS
    list_select_related = ("provider",)


@admin.register(MatrixVersion)
class MatrixVersionAdmin(ReadOnly, admin.ModelAdmin):
    """Published versions are immutable; the admin shows them, nothing more."""

    list_display = ("provider", "number", "published_at", "approved_by_label", "snapshot_hash")
    list_select_related = ("provider",)
    exclude = ("snapshot",)


@admin.register(Submission)
class SubmissionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("provider", "submitted_at", "status", "submitted_by", "decided_by")
    list_filter = ("status",)
    list_select_related = ("provider", "submitted_by", "decided_by")


@admin.register(PdfDocument)
class PdfDocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("provider", "variant", "offering", "version", "status", "created_at")
    list_filter = ("status", "variant")
    list_select_related = ("provider", "version")
    exclude = ("draft_snapshot",)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("provider", "filename", "status", "requested_by", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("provider", "requested_by")
