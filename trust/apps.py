from django.apps import AppConfig


class TrustConfig(AppConfig):
    """The trust center: outside readers ask for access, accept the NDA and read for a time;
    the provider sees who read what; subscribers and webhooks hear of new versions."""

    name = "trust"
    verbose_name = "Trust center"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connect the receivers that turn the portal's events into webhook deliveries.
        from trust import webhooks  # noqa: F401
