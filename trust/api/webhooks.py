"""Webhooks over the API, for the provider's admins: list, add, change, delete, a new
secret, a test event, the delivery log and redelivery. Every write goes through the
services of ``trust.webhooks``, like the pages; the secret is in the answer only when it
was just made (creation, rotation)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import Action
from matrices.api.base import (
    REASON_PARAMETER,
    ProviderScoped,
    ReasonSerializer,
    StrictInput,
    reason_field,
)
from trust.models import Webhook, WebhookDelivery
from trust.webhooks import (
    SUBSCRIBABLE,
    deliveries_of,
    secret_hint,
    webhook_create,
    webhook_delete,
    webhook_ping,
    webhook_redeliver,
    webhook_rotate_secret,
    webhook_update,
    webhooks_of,
)

EVENT_CHOICES = [(event.value, event.label) for event in SUBSCRIBABLE]


class WebhookSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES))
    secret_hint = serializers.SerializerMethodField(
        help_text="The secret's first characters: it is returned whole only when made."
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "active", "secret_hint", "created_by", "created_at"]
        read_only_fields = fields

    def get_secret_hint(self, webhook: Webhook) -> str:
        return secret_hint(webhook)


class WebhookWithSecretSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Signs each delivery; returned this once, keep it now."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookCreateSerializer(StrictInput, serializers.Serializer):
    url = serializers.URLField(
        max_length=500, help_text="https://, resolving to public addresses only."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES), min_length=1, max_length=20
    )
    reason = reason_field()


class WebhookUpdateSerializer(StrictInput, serializers.Serializer):
    url = serializers.URLField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        min_length=1,
        max_length=20,
        required=False,
    )
    active = serializers.BooleanField(required=False)
    reason = reason_field()


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "status",
            "attempts",
            "response_status",
            "error",
            "created_at",
            "last_attempt_at",
            "delivered_at",
            "redelivery_of",
            "payload",
        ]
        read_only_fields = fields


class WebhookScoped(ProviderScoped):
    """Provider admins only, for reading as for writing (trust managers: 403)."""

    read_action = Action.MANAGE_ACCESS
    write_action = Action.MANAGE_ACCESS
    serializer_class = WebhookSerializer
    pagination_class = None

    def get_queryset(self):
        if self.schema_only():
            return Webhook.objects.none()
        return webhooks_of(self.provider)


class WebhookList(WebhookScoped, generics.ListAPIView):
    """The provider's webhooks; POST adds one (the answer holds its secret, this once)."""

    @extend_schema(request=WebhookCreateSerializer, responses={201: WebhookWithSecretSerializer})
    def post(self, request: Request, provider_slug: str) -> Response:
        serializer = WebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        webhook = webhook_create(
            actor=request.user,
            provider=self.provider,
            url=data["url"],
            events=data["events"],
            reason=data["reason"],
        )
        return Response(WebhookWithSecretSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetail(WebhookScoped, generics.RetrieveAPIView):
    """One webhook; PATCH changes its URL, events or whether it is on; DELETE deletes it
    and its delivery log."""

    @extend_schema(request=WebhookUpdateSerializer, responses=WebhookSerializer)
    def patch(self, request: Request, provider_slug: str, pk: int) -> Response:
        webhook = self.get_object()
        serializer = WebhookUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        webhook = webhook_update(
            actor=request.user,
            webhook=webhook,
            url=data.get("url"),
            events=data.get("events"),
            active=data.get("active"),
            reason=data["reason"],
        )
        return Response(WebhookSerializer(webhook).data)

    @extend_schema(parameters=[REASON_PARAMETER], responses={204: None})
    def delete(self, request: Request, provider_slug: str, pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data or request.query_params)
        serializer.is_valid(raise_exception=True)
        webhook_delete(
            actor=request.user,
            webhook=self.get_object(),
            reason=serializer.validated_data["reason"],
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookRotateSecret(WebhookScoped, generics.GenericAPIView):
    """A new secret, in this answer only; the old one signs nothing more."""

    @extend_schema(request=ReasonSerializer, responses=WebhookWithSecretSerializer)
    def post(self, request: Request, provider_slug: str, pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = webhook_rotate_secret(
            actor=request.user,
            webhook=self.get_object(),
            reason=serializer.validated_data["reason"],
        )
        return Response(WebhookWithSecretSerializer(webhook).data)


class WebhookPing(WebhookScoped, generics.GenericAPIView):
    """Send a test event ("ping"); its outcome shows in the delivery log."""

    @extend_schema(request=ReasonSerializer, responses={202: DeliverySerializer})
    def post(self, request: Request, provider_slug: str, pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = webhook_ping(
            actor=request.user,
            webhook=self.get_object(),
            reason=serializer.validated_data["reason"],
        )
        delivery.refresh_from_db()
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookDeliveries(WebhookScoped, generics.ListAPIView):
    """The webhook's deliveries, newest first, in pages."""

    serializer_class = DeliverySerializer
    pagination_class = generics.ListAPIView.pagination_class

    def get_queryset(self):
        if self.schema_only():
            return WebhookDelivery.objects.none()
        webhook = get_object_or_404(webhooks_of(self.provider), pk=self.kwargs["pk"])
        return deliveries_of(webhook)


class WebhookRedeliver(WebhookScoped, generics.GenericAPIView):
    """Send a delivery's payload again, as a new delivery (answered with it)."""

    serializer_class = DeliverySerializer

    @extend_schema(request=ReasonSerializer, responses={202: DeliverySerializer})
    def post(self, request: Request, provider_slug: str, pk: int, delivery_pk: int) -> Response:
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        webhook = self.get_object()
        original = get_object_or_404(deliveries_of(webhook), pk=delivery_pk)
        again = webhook_redeliver(
            actor=request.user, delivery=original, reason=serializer.validated_data["reason"]
        )
        again.refresh_from_db()
        return Response(DeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)
