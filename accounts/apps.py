from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # Connect the receivers that audit every account write, and single sign-on's.
        from accounts import allauth_log, signals, user_log  # noqa: F401
