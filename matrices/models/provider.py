"""A provider and the axes of its matrix: offerings, parties and control domains."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.access import restrict_providers
from accounts.roles import ROLE_PERMISSIONS, Action, Visibility
from audit.models import ObjectType
from matrices.models.catalogue import CcmDomain


class OfferingKind(models.TextChoices):
    SELF_MANAGED = "self-managed", "Self-managed"
    MANAGED = "managed", "Managed"
    BYOC = "byoc", "Bring your own cloud (BYOC)"


class ServiceModel(models.TextChoices):
    IAAS = "iaas", "IaaS"
    PAAS = "paas", "PaaS"
    SAAS = "saas", "SaaS"


class PartyRole(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    PROVIDER = "provider", "Provider"
    CLOUD_PROVIDER = "cloud-provider", "Cloud provider"
    THIRD_PARTY = "third-party", "Third party"


class ProviderQuerySet(models.QuerySet):
    def restrict(self, user, action: Action = Action.VIEW) -> ProviderQuerySet:
        """Only the providers ``user`` may perform ``action`` on (see accounts.access)."""
        return restrict_providers(self, user, action)


class Provider(models.Model):
    """A vendor publishing a shared-responsibility matrix (SingleStore, ClickHouse...)."""

    audit_type = ObjectType.PROVIDER  # how the audit log names it

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    website = models.URLField(blank=True)
    summary = models.TextField(
        max_length=600, blank=True, help_text="One or two sentences shown on the home page."
    )
    is_template = models.BooleanField(
        default=False, help_text="A vendor-neutral starting point for a new provider's matrix."
    )
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    published = models.ForeignKey(
        "matrices.MatrixVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The latest published version; what the public sees.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["is_template", "name"]
        permissions = ROLE_PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="provider_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("matrices:provider", kwargs={"provider": self.slug})

    def audit_snapshot(self) -> dict:
        """What the audit log keeps of the provider, its source documents included."""
        return {
            "name": self.name,
            "slug": self.slug,
            "website": self.website,
            "summary": self.summary,
            "is_template": self.is_template,
            "visibility": self.visibility,
            "sources": [{"title": s.title, "url": s.url} for s in self.sources.all()],
        }


class SourceDocument(models.Model):
    """A public document the provider's matrix was transcribed from."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "url"], name="source_unique_url_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Offering(models.Model):
    """One way the provider's product is delivered: a column group of the matrix."""

    audit_type = ObjectType.OFFERING  # how the audit log names it

    Kind = OfferingKind
    ServiceModel = ServiceModel

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offerings")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    kind = models.CharField(max_length=20, choices=OfferingKind.choices)
    service_model = models.CharField(max_length=10, choices=ServiceModel.choices, blank=True)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "slug"], name="offering_unique_slug_per_provider"
            ),
            models.UniqueConstraint(
                fields=["provider", "name"], name="offering_unique_name_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OfferingKind.values), name="offering_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(service_model__in=[*ServiceModel.values, ""]),
                name="offering_service_model_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "matrices:offering", kwargs={"provider": self.provider.slug, "offering": self.slug}
        )

    def audit_snapshot(self) -> dict:
        return {
            "name": self.name,
            "slug": self.slug,
            "kind": self.kind,
            "service_model": self.service_model,
            "description": self.description,
            "position": self.position,
        }


class Party(models.Model):
    """Someone who can hold a duty in the provider's matrix, named as the document names them."""

    audit_type = ObjectType.PARTY  # how the audit log names it

    Role = PartyRole

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "parties"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"], name="party_unique_name_per_provider"
            ),
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="party_role_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_snapshot(self) -> dict:
        return {"name": self.name, "role": self.role, "position": self.position}


class ControlDomain(models.Model):
    """A row of the matrix: an area of security controls (access control, encryption...)."""

    audit_type = ObjectType.DOMAIN  # how the audit log names it

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="domains")
    name = models.CharField(max_length=160)
    slug = models.SlugField(max_length=100)
    description = models.TextField(blank=True)
    category = models.CharField(
        max_length=4,
        choices=CcmDomain.choices,
        blank=True,
        help_text="CSA CCM v4 domain, so rows of different providers can be compared.",
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "control domain"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "slug"], name="domain_unique_slug_per_provider"
            ),
            models.UniqueConstraint(
                fields=["provider", "name"], name="domain_unique_name_per_provider"
            ),
            models.CheckConstraint(
                condition=Q(category__in=[*CcmDomain.values, ""]), name="domain_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_snapshot(self) -> dict:
        return {
            "name": self.name,
            "slug": self.slug,
            "description": self.description,
            "category": self.category,
            "position": self.position,
        }
