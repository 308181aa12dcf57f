from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.site_log, name="site_log"),
    path("audit/export.csv", views.site_export_csv, name="site_export_csv"),
    path("audit/export.json", views.site_export_json, name="site_export_json"),
    path("providers/<slug:provider>/audit/", views.provider_log, name="provider_log"),
    path(
        "providers/<slug:provider>/audit/export.csv",
        views.provider_export_csv,
        name="provider_export_csv",
    ),
    path(
        "providers/<slug:provider>/audit/export.json",
        views.provider_export_json,
        name="provider_export_json",
    ),
]
