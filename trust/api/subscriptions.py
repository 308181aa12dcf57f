"""Subscriptions over the API: anyone who may read a provider subscribes an address (the
same rules, services and rate as the form); its trust managers list the subscribers."""

from __future__ import annotations

from functools import cached_property

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import provider_for_user
from accounts.roles import Action
from accounts.throttling import AnonymousRate, SubscribeRate, UserRate
from matrices.api.base import ProviderScoped, StrictInput
from matrices.models import Provider
from trust.subscriptions import SubscriberStatus, subscribers_list, subscription_request

ACCEPTED = (
    "If the address may subscribe, a confirmation link is on its way; nothing is sent "
    "before it is confirmed."
)


class SubscribeSerializer(StrictInput, serializers.Serializer):
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="Where notices go. Signed in (or with a token): your account's address, "
        "which is taken when this is left out.",
    )


AcceptedSerializer = inline_serializer("SubscriptionAccepted", {"detail": serializers.CharField()})


class SubscriptionRequest(APIView):
    """Subscribe an address to a provider's new versions (double opt-in).

    Anyone may, for a public provider; for a gated one, a signed-in reader (their own
    address). The answer is 202 whether or not the address was subscribed already.
    """

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousRate, UserRate, SubscribeRate]

    @cached_property
    def provider(self) -> Provider:
        return provider_for_user(
            Provider.objects.all(), self.kwargs["slug"], self.request.user, Action.VIEW
        )

    @extend_schema(
        operation_id="trust_subscribe",
        request=SubscribeSerializer,
        responses={202: AcceptedSerializer},
        tags=["trust"],
    )
    def post(self, request: Request, slug: str) -> Response:
        provider = self.provider
        serializer = SubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data.get("email", "")
        user = request.user if request.user.is_authenticated else None
        if user is None and not email:
            raise serializers.ValidationError({"email": ["Give the address to subscribe."]})
        subscription_request(
            provider=provider, email=email, user=user, base_url=request.build_absolute_uri("/")
        )
        return Response({"detail": ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class SubscriberSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    email = serializers.EmailField()
    user = serializers.CharField(
        source="user.get_username", default=None, allow_null=True, help_text="The tied account."
    )
    status = serializers.ChoiceField(
        choices=SubscriberStatus.choices,
        help_text='"no-access": confirmed, but may no longer read the provider: not emailed.',
    )
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    unsubscribed_at = serializers.DateTimeField(allow_null=True)


class SubscriberList(ProviderScoped, generics.ListAPIView):
    """The provider's subscribers (every subscription, newest first) and where each stands."""

    read_action = Action.MANAGE_TRUST
    write_action = Action.MANAGE_TRUST
    serializer_class = SubscriberSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.schema_only():
            return []
        return subscribers_list(self.provider)

    @extend_schema(operation_id="trust_subscribers_list", tags=["trust"])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)
