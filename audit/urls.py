app_name = "audit"

# Filled in by the audit views (provider log, site-wide log, exports).
urlpatterns: list = []
