"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path  # noqa: F401

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns: list = []
