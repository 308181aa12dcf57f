"""Django admin for the trust center: read-only, like the rest. Requests are decided, grants
extended and ended, NDAs published and webhooks changed on the trust center's own pages,
whose services check the actor and audit each change; webhook secrets are never shown."""

from django.contrib import admin

from accounts.admin import ReadOnly
from trust.models import (
    AccessGrant,
    AccessRequest,
    Nda,
    NdaAcceptance,
    ReadDaily,
    ReadEvent,
    Subscription,
    SubscriptionNotice,
    TrustCenter,
    Webhook,
    WebhookDelivery,
)


@admin.register(TrustCenter)
class TrustCenterAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["provider", "enabled", "default_days", "updated_at"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["email", "company", "provider", "status", "created_at", "decided_at"]
    list_filter = ["status", "provider"]
    search_fields = ["email", "company", "name"]
    exclude = ["digest"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["user", "company", "provider", "granted_at", "expires_at", "ended_at"]
    list_filter = ["provider"]


@admin.register(Nda)
class NdaAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["provider", "number", "sha256", "created_at"]


@admin.register(NdaAcceptance)
class NdaAcceptanceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["email", "company", "nda", "accepted_at", "ip_address"]
    search_fields = ["email", "company"]


@admin.register(ReadEvent)
class ReadEventAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "provider", "reader", "company", "kind", "document", "version_number"]
    list_filter = ["kind", "provider"]


@admin.register(ReadDaily)
class ReadDailyAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["day", "provider", "company", "kind", "document", "count"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["email", "provider", "created_at", "confirmed_at", "unsubscribed_at"]
    exclude = ["digest"]


@admin.register(SubscriptionNotice)
class SubscriptionNoticeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["subscription", "version", "sent_at"]


@admin.register(Webhook)
class WebhookAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["url", "provider", "active", "created_at"]
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["event", "webhook", "status", "attempts", "response_status", "created_at"]
    list_filter = ["status", "event"]
