from django.apps import AppConfig

from matrices.signals import content_read


class TrustConfig(AppConfig):
    """The trust center: outside readers ask for access, accept the NDA and read for a time;
    the provider sees who read what; subscribers and webhooks hear of new versions."""

    name = "trust"
    verbose_name = "Trust center"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from trust import reading

        content_read.connect(reading.record_read, dispatch_uid="trust.reading.record_read")
