from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # Connects the receivers that audit every account write.
        from accounts import allauth_log, user_log  # noqa: F401
