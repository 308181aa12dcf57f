from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.urls import allauth_urlpatterns
from matrices.api.errors import api_not_found
from portal.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("matrices.api.urls")),
    path("api/v1/", include("trust.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
    path("", include("accounts.urls")),
    *allauth_urlpatterns,
    path("", include("trust.urls")),
    path("", include("matrices.urls")),
]
